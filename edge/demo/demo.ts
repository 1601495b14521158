import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EdgeConfig, Env } from '../adapters/node/config.js';
import type { NodeDemo } from '../adapters/node/edge-server.js';
import { privateFileSync } from '../adapters/node/file-modes.js';
import { randomToken } from '../core/auth/tokens.js';
import type { KnownTerminal } from '../core/boot.js';
import type { IpcSettings } from '../core/ipc/settings.js';
import type { Logger } from '../core/ports.js';
import { IPC_DEMO_SID, IPC_DEMO_WALLET } from '../simulator/ipc/settings.js';
import { startIqomSimulator, type RunningIqomSimulator } from '../simulator/iqom-server.js';
import type { RunningSimulator } from '../simulator/node-server.js';
import { demoMyposSettings, startDemoSimulator } from './demo-mypos.js';

// Demo mode of the Node edge (no MYPOS_ENDPOINT): the built-in myPOS simulator on SIM_PORT, the
// iqom Payment Interface stand-in on SIM_LAN_PORT for one LAN terminal, an admin token kept in the
// data folder, and the terminals both serve, known to the till from its first start.

/** The demo's LAN terminal, served by the Payment Interface simulator. */
export const DEMO_LAN_TID = 'LAN00001';
const ADMIN_TOKEN_FILE = 'admin-token';

export interface RunningDemo extends NodeDemo {
  readonly simulator: RunningSimulator;
  /** The Payment Interface of the LAN terminal DEMO_LAN_TID. */
  readonly lanSimulator: RunningIqomSimulator;
}

/** Made once and kept (mode 600), so the admin's credential survives restarts. */
async function demoAdminToken(file: string): Promise<string> {
  if (existsSync(file)) {
    privateFileSync(file);
    return (await readFile(file, 'utf8')).trim();
  }
  const token = randomToken();
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  privateFileSync(file);
  return token;
}

/** The simulator's documented profile serves no WSDL, which is not worth a warning. */
function quietWarnings(logger: Logger): Logger {
  return { info: (message, fields) => logger.info(message, fields), warn: (message, fields) => logger.info(message, fields), error: (message, fields) => logger.error(message, fields) };
}

/** The simulator's Online Checkout: the handbook's test store, the demo partner's key, the simulator's certificate. */
async function demoOnlineCheckout(dataDir: string, simulator: RunningSimulator): Promise<IpcSettings> {
  return {
    merchant: { sid: IPC_DEMO_SID, walletNumber: IPC_DEMO_WALLET, keyIndex: '1' },
    endpoint: `${simulator.url}/vmp/checkout`,
    environment: 'url',
    privateKeyPem: await readFile(join(dataDir, 'keys/partner-key.pem'), 'utf8'),
    certificatePem: await readFile(simulator.certificateFile, 'utf8'),
  };
}

/** Starts the demo's simulators; the Node edge (start.ts) calls it when MYPOS_ENDPOINT is not set. */
export async function startDemo(env: Env, config: EdgeConfig): Promise<RunningDemo> {
  const simulator = await startDemoSimulator(env, config.dataDir);
  let lanSimulator: RunningIqomSimulator | undefined;
  try {
    lanSimulator = await startIqomSimulator(Number(env.SIM_LAN_PORT ?? '8789'), { cardMs: 2_000, timeScale: Number(env.SIM_TIME_SCALE ?? '1') });
    const lan = lanSimulator;
    // The demo's cloud terminals are already paired in the simulator: the till knows them too.
    const cloud = [...simulator.simulator.terminals.terminals.values()]
      .filter((terminal) => terminal.subscription === 'subscribed')
      .map((terminal): KnownTerminal => ({ transport: 'cloud', tid: terminal.tid, currency: terminal.currency }));
    const tokenFile = join(config.dataDir, ADMIN_TOKEN_FILE);
    return {
      simulator,
      lanSimulator: lan,
      mypos: await demoMyposSettings(env, config.dataDir, simulator),
      online: await demoOnlineCheckout(config.dataDir, simulator),
      partnerCertFile: join(config.dataDir, 'keys/partner-cert.pem'),
      terminals: [...cloud, { transport: 'lan', tid: DEMO_LAN_TID, address: lan.address, currency: 'EUR' }],
      adminToken: config.settings.adminToken === undefined ? { token: await demoAdminToken(tokenFile), file: tokenFile } : undefined,
      profileLogger: quietWarnings,
      async close() {
        await simulator.close();
        await lan.close();
      },
    };
  } catch (error) {
    await simulator.close();
    await lanSimulator?.close();
    throw error;
  }
}
