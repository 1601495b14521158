import { serve, type ServerType } from '@hono/node-server';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { importCertificatesPem, importPrivateKeyPem, type CertificateInfo } from '../core/mypos/keys.js';
import type { FieldOrder } from '../core/mypos/methods.js';
import { ensureKeyFiles } from '../tools/key-files.js';
import { createSimulator, type Simulator } from './app.js';
import { DEMO_MERCHANT, DEMO_TERMINALS } from './settings.js';
import type { TerminalSeed } from './terminals.js';

export interface SimulatorEnv {
  readonly [name: string]: string | undefined;
}

export interface RunningSimulator {
  readonly simulator: Simulator;
  readonly url: string;
  readonly endpoint: string;
  readonly certificateFile: string;
  close(): Promise<void>;
}

function fieldOrder(value: string | undefined): FieldOrder {
  if (value === undefined || value === '' || value === 'reference') return 'reference';
  if (value === 'key_index_first') return 'key_index_first';
  throw new Error('SIM_FIELD_ORDER must be "reference" or "key_index_first"');
}

function terminalSeeds(value: string | undefined): readonly TerminalSeed[] {
  if (!value) return DEMO_TERMINALS;
  return value.split(',').map((item) => {
    const [tid = '', currency = 'EUR', state = 'subscribed'] = item.trim().split(':');
    return { tid, currency, subscribed: state !== 'none' };
  });
}

/** "path" (key_index 1) or "1=path,2=path". */
async function partnerCertificates(value: string, dataDir: string): Promise<Map<string, CertificateInfo[]>> {
  const map = new Map<string, CertificateInfo[]>();
  for (const item of value.split(',')) {
    const [index, path] = item.includes('=') ? item.split('=', 2) : ['1', item];
    map.set(String(index).trim(), await importCertificatesPem(await readFile(resolve(dataDir, String(path).trim()), 'utf8')));
  }
  return map;
}

/**
 * Starts the simulator on 127.0.0.1 from environment variables. Missing key files are made in the
 * data folder, so the demo runs on a fresh machine; a named file that is missing is an error.
 */
export async function startSimulator(env: SimulatorEnv): Promise<RunningSimulator> {
  const dataDir = resolve(env.SIM_DATA_DIR ?? 'data');
  const keyFile = resolve(env.SIM_PRIVATE_KEY_FILE ?? `${dataDir}/simulator/mypos-sim-key.pem`);
  const certificateFile = resolve(env.SIM_CERT_FILE ?? `${dataDir}/simulator/mypos-sim-cert.pem`);
  const own = env.SIM_PRIVATE_KEY_FILE
    ? { privateKeyPem: await readFile(keyFile, 'utf8'), certificatePem: undefined }
    : await ensureKeyFiles(keyFile, certificateFile, 'myPOS simulator');
  if (own.certificatePem === undefined && env.SIM_CERT_FILE === undefined) {
    throw new Error('SIM_CERT_FILE is needed with SIM_PRIVATE_KEY_FILE: the certificate the edge verifies answers with');
  }
  let partnerSpec = env.SIM_PARTNER_CERT_FILE;
  if (!partnerSpec) {
    const demo = `${dataDir}/keys/partner-cert.pem`;
    await ensureKeyFiles(`${dataDir}/keys/partner-key.pem`, demo, 'myPOS till demo partner');
    partnerSpec = demo;
  }
  const timeScale = Number(env.SIM_TIME_SCALE ?? '1');
  if (!Number.isFinite(timeScale) || timeScale < 0) throw new Error('SIM_TIME_SCALE must be a number of 0 or more');
  const simulator = createSimulator({
    signingKey: await importPrivateKeyPem(own.privateKeyPem),
    partnerLogin: env.SIM_PARTNER_LOGIN ?? 'demo@mypos.local',
    partnerCertificates: await partnerCertificates(partnerSpec, dataDir),
    fieldOrder: fieldOrder(env.SIM_FIELD_ORDER),
    timeScale,
    terminals: terminalSeeds(env.SIM_TERMINALS),
    merchant: DEMO_MERCHANT,
    duplicateMode: env.SIM_DUPLICATE_MODE === 'error' ? 'error' : 'cache',
    pinCodeIn: env.SIM_PIN_CODE_IN === 'status' ? 'status' : 'response_code',
  });
  const port = Number(env.SIM_PORT ?? '8788');
  const server = await new Promise<ServerType>((resolveServer) => {
    const started: ServerType = serve({ fetch: simulator.app.fetch, port, hostname: '127.0.0.1' }, () => resolveServer(started));
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://127.0.0.1:${boundPort}`;
  return {
    simulator,
    url,
    endpoint: `${url}/infromhttp`,
    certificateFile,
    close: () =>
      new Promise<void>((resolveClose) => {
        simulator.close();
        server.close(() => resolveClose());
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
