import { join } from 'node:path';
import { DEMO_LOGIN, startDemoSimulator } from '../../edge/demo/demo-mypos.js';
import { IPC_DEMO_SID, IPC_DEMO_WALLET } from '../../edge/simulator/ipc/settings.js';
import type { RunningSimulator } from '../../edge/simulator/node-server.js';
import { FAST_ENV } from './edge-harness.js';

// The myPOS simulator in its own server, apart from the edge, and the edge's settings to use it as
// its live myPOS: the simulator outlives the edge's restarts (a restore stops the edge) and keeps
// the payments it made, as the real myPOS does. The demo's built-in one stops with the edge.

export interface SimulatorApart {
  readonly sim: RunningSimulator;
  /** The edge's live-mode settings: the Remote API and the Online Checkout, with the demo partner's key. */
  readonly edgeEnv: Readonly<Record<string, string>>;
}

export async function startSimulatorApart(dataDir: string): Promise<SimulatorApart> {
  const sim = await startDemoSimulator({ SIM_TIME_SCALE: FAST_ENV.SIM_TIME_SCALE ?? '0.004' }, dataDir, '0');
  return {
    sim,
    edgeEnv: {
      MYPOS_ENDPOINT: sim.endpoint,
      MYPOS_LOGIN: DEMO_LOGIN,
      MYPOS_PRIVATE_KEY_FILE: join(dataDir, 'keys/partner-key.pem'),
      MYPOS_CERT_FILE: sim.certificateFile,
      MYPOS_IPC_SID: IPC_DEMO_SID,
      MYPOS_IPC_WALLET: IPC_DEMO_WALLET,
      MYPOS_IPC_KEY_INDEX: '1',
      MYPOS_IPC_ENDPOINT: sim.checkoutEndpoint,
      MYPOS_IPC_PRIVATE_KEY_FILE: join(dataDir, 'keys/partner-key.pem'),
      MYPOS_IPC_CERT_FILE: sim.certificateFile,
    },
  };
}
