import type { Logger } from '../../core/ports.js';
import { startDemo, type RunningDemo } from '../../demo/demo.js';
import { claimEdgePidFile } from './backup/edge-lock.js';
import { startEdgeBackups } from './backup/edge-hook.js';
import { dataDirOf, type Env } from './config.js';
import * as nodeEdge from './edge-server.js';
import { jsonLogger } from './logger.js';

// The Node edge with its demo mode: the one place that joins the adapter (edge-server.ts, which
// knows no simulator) and edge/demo. main.ts and the tests start the edge here. Around it: edge.pid
// (for `npm run restore`, which must not swap the books under a running edge) and the backups.

export interface RunningEdge extends nodeEdge.RunningEdge<RunningDemo> {
  /** The built-in myPOS simulator in demo mode. */
  readonly simulator: RunningDemo['simulator'] | undefined;
  /** Demo mode: the iqom Payment Interface stand-in, serving the LAN terminal DEMO_LAN_TID. */
  readonly lanSimulator: RunningDemo['lanSimulator'] | undefined;
}

/** Live with MYPOS_ENDPOINT; otherwise demo mode, with the built-in simulators. */
export async function startEdge(env: Env, logger: Logger = jsonLogger()): Promise<RunningEdge> {
  const pidFile = claimEdgePidFile(dataDirOf(env));
  try {
    const running = await nodeEdge.startEdge(env, logger, startDemo);
    const backups = await startEdgeBackups(env, running.config, logger);
    return {
      ...running,
      simulator: running.demo?.simulator,
      lanSimulator: running.demo?.lanSimulator,
      async close() {
        await backups?.stop();
        await running.close();
        pidFile.release();
      },
    };
  } catch (error) {
    pidFile.release();
    throw error;
  }
}
