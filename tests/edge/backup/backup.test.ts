import { runEdgeTool } from '../../helpers/edge-tool.js';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAuditSecret } from '../../../edge/adapters/node/audit-files.js';
import { checkDatabaseFile } from '../../../edge/adapters/node/backup/check.js';
import { makeBackup } from '../../../edge/adapters/node/backup/make-backup.js';
import { backupTime } from '../../../edge/adapters/node/backup/names.js';
import { backupHealth, FAILURE_FILE } from '../../../edge/adapters/node/backup/status.js';
import { importAuditKey } from '../../../edge/core/auth/audit.js';
import { startEdgeHarness, type EdgeHarness } from '../../helpers/edge-harness.js';
import { cashSale } from '../../helpers/sale-bodies.js';

// npm run backup and what it is made of: a copy of the live books taken while sales are booked is
// a consistent prefix of them and passes its checks; a copy that fails its check is not kept.

const harnesses: EdgeHarness[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function edge(): Promise<{ h: EdgeHarness; dataDir: string; database: string; auditKey: CryptoKey }> {
  const h = await startEdgeHarness({ EDGE_BACKUP_EVERY: 'off' });
  harnesses.push(h);
  const dataDir = h.edge.config.dataDir;
  const auditKey = await importAuditKey((await loadAuditSecret({}, dataDir, { create: false })).secret);
  return { h, dataDir, database: join(dataDir, 'edge.sqlite'), auditKey };
}

function rowsOf<T>(file: string, sql: string): T[] {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

const SALES_SQL = 'SELECT n.receipt_no AS receiptNo, s.id FROM ledger_sales s JOIN sale_numbers n ON n.sale_id = s.id ORDER BY n.receipt_no';
const AUDIT_SQL = 'SELECT seq, hash, mac FROM audit_log ORDER BY seq';

/** As someone with the file but not the key would change it: the append-only triggers dropped. */
function tamperAuditLine(database: string, seq: number): void {
  const db = new DatabaseSync(database);
  db.exec('DROP TRIGGER audit_log_no_update');
  db.prepare("UPDATE audit_log SET result = 'refused' WHERE seq = ?").run(seq);
  db.close();
}

describe('a backup of the running edge', () => {
  it('taken while sales are booked, holds a consistent prefix of the books and passes its checks', async () => {
    const { h, database, dataDir, auditKey } = await edge();
    const dir = join(dataDir, 'backups');
    let next = 0;
    let writing = true;
    // Three tills booking sales as fast as the edge takes them.
    const tills = [1, 2, 3].map(async () => {
      while (writing) {
        next += 1;
        const { status } = await h.api('PUT', `/api/sales/sale-${next}`, cashSale('1.00'));
        expect(status).toBe(201);
      }
    });
    const files: string[] = [];
    for (let i = 0; i < 5; i++) {
      await new Promise((done) => setTimeout(done, 40));
      const outcome = await makeBackup({ database, dir, auditKey, now: Date.now() });
      expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
      if (outcome.ok) files.push(outcome.file);
    }
    writing = false;
    await Promise.all(tills);

    const live = rowsOf<{ receiptNo: number; id: string }>(database, SALES_SQL);
    const liveAudit = rowsOf<{ seq: number; hash: string; mac: string }>(database, AUDIT_SQL);
    const counts: number[] = [];
    for (const file of files) {
      expect((await checkDatabaseFile(file, auditKey)).ok).toBe(true);
      const sales = rowsOf<{ receiptNo: number; id: string }>(file, SALES_SQL);
      // Receipts 1..n without a gap, each the same sale as in the live books: a prefix, no torn write.
      expect(sales).toEqual(live.slice(0, sales.length));
      const audit = rowsOf<{ seq: number; hash: string; mac: string }>(file, AUDIT_SQL);
      expect(audit).toEqual(liveAudit.slice(0, audit.length));
      counts.push(sales.length);
    }
    // Taken while the books grew: later copies hold more, the live books more still.
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(live.length).toBeGreaterThan(counts[0] ?? Infinity);
    // Kept under dated names, 600, in a 700 folder, with no temporary copy left.
    expect(readdirSync(dir).every((name) => backupTime(name) !== undefined)).toBe(true);
    expect(readdirSync(dir)).toHaveLength(5);
  });

  it('npm run backup prints what it kept, and /api/health shows it to an admin', async () => {
    const { h, dataDir } = await edge();
    await h.api('PUT', '/api/sales/sale-1', cashSale('3.50'));
    await h.api('PUT', '/api/sales/sale-2', cashSale('2.00'));
    expect((await h.api<{ backup: unknown }>('GET', '/api/health')).body.backup).toEqual({ everySeconds: 0, warning: 'none_yet' });
    expect((await h.api('POST', '/api/day-closes', { openingFloat: '0.00', countedCash: '5.50' })).status).toBe(201);
    const run = runEdgeTool('backup', dataDir);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^backup kept: .*\/backups\/edge-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z\.sqlite\n {2}size: \d+ bytes, schema version \d+\n/);
    expect(run.stdout).toContain('sales: 2, the last receipt no. 2 (sale sale-2, completed 2026-11-22T10:00:00.000Z)');
    expect(run.stdout).toMatch(/day closes: the last Z no\. 1, closed \d{4}-/);
    expect(run.stdout).toMatch(/audit lines: \d+/);
    const file = /backup kept: (\S+)/.exec(run.stdout)?.[1] ?? '';
    const { body } = await h.api<{ backup: { lastAt: string; ageSeconds: number; everySeconds: number; warning?: string } }>('GET', '/api/health');
    expect(body.backup).toEqual({ lastAt: new Date(backupTime(file.split('/').at(-1) ?? '') ?? 0).toISOString(), ageSeconds: expect.any(Number), everySeconds: 0 });
    // Not for a monitor without a credential.
    expect((await h.api('GET', '/healthz', undefined, { authorization: '' })).body).toEqual({ ok: true, store: true });
  });

  it('is not kept when its copy fails the audit check: exit 1, nothing in the folder but the failure', async () => {
    const { h, database, dataDir, auditKey } = await edge();
    const dir = join(dataDir, 'backups');
    await h.api('PUT', '/api/sales/sale-1', cashSale('1.00'));
    const good = await makeBackup({ database, dir, auditKey, now: Date.now() - 60_000 });
    expect(good.ok).toBe(true);
    await h.api('PUT', '/api/sales/sale-2', cashSale('1.00'));
    tamperAuditLine(database, 2);

    const outcome = await makeBackup({ database, dir, auditKey, now: Date.now() });
    expect(outcome).toMatchObject({ ok: false, kind: 'check_failed', rule: 'audit_chain' });
    const run = runEdgeTool('backup', dataDir);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^backup FAILED its check \(audit_chain\), nothing kept: backup not kept: .*audit log broken at line 2: its content does not match its hash/);
    // The good one is still there, nothing else under a backup's name, no temporary copy.
    expect(readdirSync(dir).sort()).toEqual([good.ok ? (good.file.split('/').at(-1) ?? '') : '', FAILURE_FILE].sort());
    expect(JSON.parse(readFileSync(join(dir, FAILURE_FILE), 'utf8'))).toMatchObject({ message: expect.stringContaining('audit log broken at line 2') });
    expect(backupHealth(dir, 3_600_000, Date.now())).toMatchObject({ warning: 'failing', lastAt: expect.any(String) });
  });

  it('is refused when the copy is damaged (integrity) or not the edge\'s, naming the file and the rule', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backup-check-'));
    dirs.push(dir);
    const auditKey = await importAuditKey('k'.repeat(40));
    const notOurs = join(dir, 'other.sqlite');
    const db = new DatabaseSync(notOurs);
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    db.close();
    expect(await checkDatabaseFile(notOurs, auditKey)).toEqual({ ok: false, rule: 'not_edge_database', message: `${notOurs}: not an edge database (no table audit_log, ledger_sales, sale_numbers, day_closes)` });
    const garbage = join(dir, 'garbage.sqlite');
    writeFileSync(garbage, 'SQLite format 3\0'.padEnd(8192, 'x'));
    expect(await checkDatabaseFile(garbage, auditKey)).toMatchObject({ ok: false, rule: expect.stringMatching(/^(unreadable|integrity)$/), message: expect.stringContaining(garbage) });
  });

  it('cannot run without a database or the audit key: exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backup-none-'));
    dirs.push(dir);
    const run = runEdgeTool('backup', dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('backup NOT MADE: no audit key');
    expect(runEdgeTool('backup', dir, ['--keep']).stderr).toContain('unknown argument --keep');
  });
});
