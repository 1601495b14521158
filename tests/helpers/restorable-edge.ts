import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { startEdgeHarness, type EdgeHarness } from './edge-harness.js';
import { runEdgeTool } from './edge-tool.js';
import { startSimulatorApart, type SimulatorApart } from './live-edge.js';

// The books of a backup-and-restore test: a live edge on its own data folder whose myPOS (the
// simulator) runs apart from it, so myPOS keeps its payments while the edge is stopped and its
// database restored, as the real one does. Registers its own beforeAll/afterAll; terminal TID is
// subscribed once at start.

export const RESTORABLE_TID = '90000015';

export interface RestorableEdge {
  /** The running edge (throws between a stop and a start). */
  readonly edge: EdgeHarness;
  readonly sim: SimulatorApart['sim'];
  /** `npm run backup` on the running edge's data: the backup file kept. */
  backup(): string;
  /** Stops the edge, `npm run restore -- file`, starts the edge again on the same settings. */
  restoreFrom(file: string): Promise<void>;
}

export function restorableEdge(prefix: string, settings: () => Readonly<Record<string, string>> = () => ({})): RestorableEdge {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const dataDir = join(root, 'data');
  let apart: SimulatorApart | undefined;
  let running: EdgeHarness | undefined;
  const start = async () => {
    if (!apart) throw new Error('the simulator is not running');
    running = await startEdgeHarness({ ...apart.edgeEnv, EDGE_DATA_DIR: dataDir, EDGE_BACKUP_EVERY: 'off', ...settings() });
  };

  beforeAll(async () => {
    apart = await startSimulatorApart(join(root, 'sim'));
    await start();
    expect((await books.edge.api('POST', '/api/terminals', { tid: RESTORABLE_TID, currency: 'EUR' })).status).toBe(201);
  }, 30_000);
  afterAll(async () => {
    await running?.close();
    await apart?.sim.close();
    rmSync(root, { recursive: true, force: true });
  });

  const books: RestorableEdge = {
    get edge() {
      if (!running) throw new Error('the edge is not running');
      return running;
    },
    get sim() {
      if (!apart) throw new Error('the simulator is not running');
      return apart.sim;
    },
    backup() {
      const backup = runEdgeTool('backup', dataDir);
      expect(backup.status, backup.stderr).toBe(0);
      const file = /backup kept: (\S+)/.exec(backup.stdout)?.[1] ?? '';
      expect(file).toMatch(/edge-.*\.sqlite$/);
      return file;
    },
    async restoreFrom(file) {
      await running?.close();
      running = undefined;
      const restored = runEdgeTool('restore', dataDir, [file]);
      expect(restored.status, restored.stderr).toBe(0);
      await start();
    },
  };
  return books;
}
