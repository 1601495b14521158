import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAuditSecret } from '../../../edge/adapters/node/audit-files.js';
import { backupName, backupTime } from '../../../edge/adapters/node/backup/names.js';
import { startBackupSchedule, type BackupSchedule } from '../../../edge/adapters/node/backup/schedule.js';
import { parseBackupKeep } from '../../../edge/adapters/node/backup/settings.js';
import { backupHealth, FAILURE_FILE, recordFailure } from '../../../edge/adapters/node/backup/status.js';
import { loadConfig } from '../../../edge/adapters/node/config.js';
import { importAuditKey } from '../../../edge/core/auth/audit.js';
import { startEdgeHarness, type EdgeHarness } from '../../helpers/edge-harness.js';
import { cashSale } from '../../helpers/sale-bodies.js';

// The running edge's backups: hourly, after a day close (seen in the books, not told by the route),
// rotated after a good one; a failing one is logged, kept from retrying every minute, and deletes nothing.

const HOUR = 3_600_000;
const harnesses: EdgeHarness[] = [];
const schedules: BackupSchedule[] = [];

afterEach(async () => {
  for (const schedule of schedules.splice(0)) await schedule.stop();
  for (const h of harnesses.splice(0)) await h.close();
});

function backupsIn(dir: string): string[] {
  return readdirSync(dir).filter((name) => backupTime(name) !== undefined).sort();
}

describe('the backup schedule', () => {
  it('backs up at first, after each day close and each hour; rotates; survives a failing backup', async () => {
    const h = await startEdgeHarness({ EDGE_BACKUP_EVERY: 'off' });
    harnesses.push(h);
    const dataDir = h.edge.config.dataDir;
    const database = join(dataDir, 'edge.sqlite');
    const dir = join(dataDir, 'backups');
    const auditKey = await importAuditKey((await loadAuditSecret({}, dataDir, { create: false })).secret);
    const logs: Array<{ level: string; message: string; fields: Record<string, unknown> | undefined }> = [];
    const log = (level: string) => (message: string, fields?: Record<string, unknown>) => void logs.push({ level, message, fields });
    let now = Date.parse('2026-12-02T08:00:00.000Z');
    const schedule = startBackupSchedule({ settings: { dir, everyMs: HOUR, keep: parseBackupKeep('48h,90d') }, database, auditKey, logger: { info: log('info'), warn: log('warn'), error: log('error') }, checkEveryMs: 3_600_000, now: () => now });
    if (!schedule) throw new Error('no schedule');
    schedules.push(schedule);

    await h.api('PUT', '/api/sales/sale-1', cashSale('1.00'));
    await schedule.check();
    expect(backupsIn(dir)).toEqual([backupName(now)]);
    now += 60_000;
    await schedule.check();
    expect(backupsIn(dir)).toHaveLength(1);

    // A day closed: the next look takes a backup, well before the hour; the rotation keeps the
    // newest of the hour (48h: one an hour), which holds everything the first one did and the Z.
    expect((await h.api('POST', '/api/day-closes', { openingFloat: '0.00', countedCash: '1.00' })).status).toBe(201);
    now += 60_000;
    await schedule.check();
    expect(backupsIn(dir)).toEqual([backupName(now)]);
    expect(logs.filter((entry) => entry.message === 'backup kept').map((entry) => entry.fields?.reason)).toEqual(['first', 'day_close']);
    const afterClose = now;

    // An hour on, with a backup from 100 days ago lying there: the new one is kept, the old one rotated away.
    const ancient = backupName(now - 100 * 24 * HOUR);
    cpSync(join(dir, backupName(afterClose)), join(dir, ancient));
    now += HOUR;
    await schedule.check();
    expect(backupsIn(dir)).toEqual([backupName(afterClose), backupName(now)]);
    expect(backupHealth(dir, HOUR, now)).toEqual({ lastAt: new Date(now).toISOString(), ageSeconds: 0, everySeconds: 3600 });

    // The live books tampered with: the next backup fails its check; logged, nothing deleted, the edge answers.
    const before = backupsIn(dir);
    const db = new DatabaseSync(database);
    db.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET result = 'x' WHERE seq = 1");
    db.close();
    now += HOUR;
    await schedule.check();
    expect(backupsIn(dir)).toEqual(before);
    expect(readdirSync(dir)).toContain(FAILURE_FILE);
    expect(logs.at(-1)).toMatchObject({ level: 'error', message: 'backup failed', fields: { kind: 'check_failed', error: expect.stringContaining('audit log broken at line 1') } });
    expect(backupHealth(dir, HOUR, now)).toMatchObject({ warning: 'failing' });
    expect((await h.api('GET', '/api/health')).status).toBe(200);
    // Not tried again at the next minute's look.
    const failures = logs.filter((entry) => entry.message === 'backup failed').length;
    now += 60_000;
    await schedule.check();
    expect(logs.filter((entry) => entry.message === 'backup failed')).toHaveLength(failures);
  });

  it('health warns of a stale backup (older than twice the schedule), of none yet, and of a failure since the last good one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backup-health-'));
    try {
      const now = Date.parse('2026-12-02T21:30:00.000Z');
      expect(backupHealth(join(dir, 'none'), HOUR, now)).toEqual({ everySeconds: 3600, warning: 'none_yet' });
      expect(backupHealth(join(dir, 'none'), 0, now)).toEqual({ everySeconds: 0, warning: 'none_yet' });
      writeFileSync(join(dir, backupName(now - 2 * HOUR)), '');
      expect(backupHealth(dir, HOUR, now)).toEqual({ lastAt: new Date(now - 2 * HOUR).toISOString(), ageSeconds: 7200, everySeconds: 3600 });
      expect(backupHealth(dir, HOUR, now + 1000)).toMatchObject({ ageSeconds: 7201, warning: 'stale' });
      // No schedule: nothing to be late for.
      expect(backupHealth(dir, 0, now + 100 * HOUR)).toEqual({ lastAt: new Date(now - 2 * HOUR).toISOString(), ageSeconds: 102 * 3600, everySeconds: 0 });
      await recordFailure(dir, { at: new Date(now - HOUR).toISOString(), message: 'disk full' });
      expect(backupHealth(dir, HOUR, now)).toMatchObject({ ageSeconds: 7200, warning: 'failing' });
      // A good backup after the failure: the failure is history.
      writeFileSync(join(dir, backupName(now - 30 * 60_000)), '');
      expect(backupHealth(dir, HOUR, now)).toEqual({ lastAt: new Date(now - 30 * 60_000).toISOString(), ageSeconds: 1800, everySeconds: 3600 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts with the edge (hourly by default) and a bad setting stops the start, naming it', async () => {
    const h = await startEdgeHarness();
    harnesses.push(h);
    expect(h.logs.some((line) => line.includes('"msg":"backups scheduled"') && line.includes('"everyMinutes":60'))).toBe(true);
    // Read with the rest of the configuration, before anything starts.
    await expect(loadConfig({ EDGE_BACKUP_EVERY: 'hourly' })).rejects.toThrow('EDGE_BACKUP_EVERY must be a whole number of minutes, hours or days');
    await expect(loadConfig({ EDGE_BACKUP_KEEP: '2 days' })).rejects.toThrow('EDGE_BACKUP_KEEP must be');
  });
});
