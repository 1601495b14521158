import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { profileOverrides, type Env } from '../core/env-settings.js';
import type { MyposSettings } from '../core/mypos/setup.js';
import { startSimulator, type RunningSimulator } from '../simulator/node-server.js';

// The demo's myPOS: the built-in simulator, with the demo partner's login and key from the data
// folder. The Node edge's demo mode and the doctor (npm run mypos:doctor) both use it.

export const DEMO_LOGIN = 'demo@mypos.local';

/**
 * The built-in simulator with the demo partner's login and key (the doctor starts it too). It keeps
 * its payments in the data folder, as myPOS keeps them whatever happens to the shop's box: after a
 * restore, a card payment made since the backup can still be confirmed.
 */
export function startDemoSimulator(env: Env, dataDir: string, port?: string): Promise<RunningSimulator> {
  return startSimulator({ SIM_PAYMENTS_FILE: join(dataDir, 'simulator/payments.jsonl'), ...env, ...(port === undefined ? {} : { SIM_PORT: port }), SIM_DATA_DIR: dataDir, SIM_PARTNER_LOGIN: DEMO_LOGIN, SIM_PARTNER_CERT_FILE: undefined });
}

/** The edge's myPOS settings for the built-in simulator: the demo key, the simulator's certificate. */
export async function demoMyposSettings(env: Env, dataDir: string, simulator: Pick<RunningSimulator, 'endpoint' | 'certificateFile'>): Promise<MyposSettings> {
  return {
    endpoint: simulator.endpoint,
    login: DEMO_LOGIN,
    overrides: profileOverrides(env),
    keyIndex: '1',
    privateKeysPem: { '1': await readFile(join(dataDir, 'keys/partner-key.pem'), 'utf8') },
    myposCertificatePem: await readFile(simulator.certificateFile, 'utf8'),
  };
}
