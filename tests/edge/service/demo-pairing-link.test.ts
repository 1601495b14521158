import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEdgeHarness } from '../../helpers/edge-harness.js';

// Demo mode prints a one-time link that pairs the first till as an admin device. Once an admin
// device is paired, a restart prints none: a console log must not hand out admin access each time.

const dataDir = mkdtempSync(join(tmpdir(), 'demo-pairing-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the demo pairing link', () => {
  it('is made while no admin device is paired, and not after', async () => {
    const first = await startEdgeHarness({ EDGE_DATA_DIR: dataDir, EDGE_BACKUP_EVERY: 'off' });
    try {
      expect(first.edge.pairingLink).toMatch(/\/pair\?code=[A-Z2-9]{10}$/);
      expect(first.edge.adminPaired).toBe(false);
      // A till device does not count: the shop still has no admin.
      await first.pairDevice({ role: 'till' });
    } finally {
      await first.close();
    }
    const second = await startEdgeHarness({ EDGE_DATA_DIR: dataDir, EDGE_BACKUP_EVERY: 'off' });
    try {
      expect(second.edge.pairingLink).toBeDefined();
      const code = new URL(second.edge.pairingLink ?? '').searchParams.get('code');
      expect((await second.api('POST', '/api/devices/pair', { code, name: 'Office tablet' }, { authorization: '' })).status).toBe(201);
    } finally {
      await second.close();
    }
    const third = await startEdgeHarness({ EDGE_DATA_DIR: dataDir, EDGE_BACKUP_EVERY: 'off' });
    try {
      expect(third.edge.pairingLink).toBeUndefined();
      expect(third.edge.adminPaired).toBe(true);
    } finally {
      await third.close();
    }
  }, 30_000);
});
