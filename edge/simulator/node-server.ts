import { serve, type ServerType } from '@hono/node-server';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { importCertificatesPem, importPrivateKeyPem, type CertificateInfo } from '../core/mypos/keys.js';
import { ensureKeyFiles } from '../tools/key-files.js';
import { createSimulator, type Simulator } from './app.js';
import { fileJournal } from './payment-journal.js';
import { DEMO_MERCHANT, DEMO_TERMINALS, isSimProfile, SIM_PROFILES, type SimProfile } from './settings.js';
import type { TerminalSeed } from './terminals.js';

export interface SimulatorEnv {
  readonly [name: string]: string | undefined;
}

export interface RunningSimulator {
  readonly simulator: Simulator;
  readonly url: string;
  readonly endpoint: string;
  /** The Online Checkout's endpoint (IPC): the edge's IPC endpoint setting. */
  readonly checkoutEndpoint: string;
  readonly certificateFile: string;
  close(): Promise<void>;
}

/** SIM_PROFILE (documented by default). SIM_FIELD_ORDER is gone: a profile says the wire and signing orders together. */
export function simProfile(env: SimulatorEnv): SimProfile {
  if (env.SIM_FIELD_ORDER !== undefined && env.SIM_FIELD_ORDER !== '') {
    throw new Error(`SIM_FIELD_ORDER is replaced by SIM_PROFILE (${SIM_PROFILES.join(' or ')}); unset SIM_FIELD_ORDER`);
  }
  const value = env.SIM_PROFILE;
  if (value === undefined || value === '') return 'documented';
  if (isSimProfile(value)) return value;
  throw new Error(`SIM_PROFILE must be ${SIM_PROFILES.map((name) => `"${name}"`).join(' or ')}, not "${value}"`);
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
  const profile = simProfile(env);
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
  // The Online Checkout's store: myPOS's test SID and wallet unless SIM_IPC_SID / SIM_IPC_WALLET say otherwise.
  const checkoutOptions = { ...(env.SIM_IPC_SID ? { sid: env.SIM_IPC_SID } : {}), ...(env.SIM_IPC_WALLET ? { wallet: env.SIM_IPC_WALLET } : {}) };
  const simulator = createSimulator({
    signingKey: await importPrivateKeyPem(own.privateKeyPem),
    partnerLogin: env.SIM_PARTNER_LOGIN ?? 'demo@mypos.local',
    partnerCertificates: await partnerCertificates(partnerSpec, dataDir),
    profile,
    timeScale,
    terminals: terminalSeeds(env.SIM_TERMINALS),
    merchant: DEMO_MERCHANT,
    duplicateMode: env.SIM_DUPLICATE_MODE === 'error' ? 'error' : 'cache',
    pinCodeIn: env.SIM_PIN_CODE_IN === 'status' ? 'status' : 'response_code',
    ...(env.SIM_PAYMENTS_FILE ? { journal: fileJournal(resolve(env.SIM_PAYMENTS_FILE)) } : {}),
  }, checkoutOptions);
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
    checkoutEndpoint: `${url}/vmp/checkout`,
    certificateFile,
    close: () =>
      new Promise<void>((resolveClose) => {
        simulator.close();
        server.close(() => resolveClose());
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
