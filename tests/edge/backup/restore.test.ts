import { spawnSync } from 'node:child_process';
import { runEdgeTool as tool } from '../../helpers/edge-tool.js';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { EDGE_PID_FILE } from '../../../edge/adapters/node/backup/edge-lock.js';
import { startEdge, type RunningEdge } from '../../../edge/adapters/node/start.js';
import { jsonLogger } from '../../../edge/adapters/node/logger.js';
import { openNodeDatabase } from '../../../edge/adapters/node/node-sqlite.js';
import { ledgerGeneration } from '../../../edge/adapters/sql/ledger-generation.js';
import { ADMIN_HEADERS, FAST_ENV } from '../../helpers/edge-harness.js';
import { cashSale } from '../../helpers/sale-bodies.js';

// npm run restore: refused while the edge runs and for a file that fails its check (then nothing
// changes); otherwise the books before are kept aside, the backup's books are in place, the audit
// log verifies (npm run audit:verify), the restore is an audit line and the ledger a new generation.

const dirs: string[] = [];
const edges: RunningEdge[] = [];

afterEach(async () => {
  for (const edge of edges.splice(0)) await edge.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(dataDir: string): Promise<RunningEdge> {
  const edge = await startEdge({ ...FAST_ENV, EDGE_DATA_DIR: dataDir, EDGE_BACKUP_EVERY: 'off' }, jsonLogger(() => undefined));
  edges.push(edge);
  return edge;
}

async function stop(edge: RunningEdge): Promise<void> {
  edges.splice(edges.indexOf(edge), 1);
  await edge.close();
}

async function api(edge: RunningEdge, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${edge.url}${path}`, { method, headers: { ...ADMIN_HEADERS, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const count = (file: string, sql: string) => {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

/** A data folder whose books had 3 sales and Z 1 when backed up, and 5 sales now; the edge running. */
async function booksWithBackup(): Promise<{ dataDir: string; edge: RunningEdge; backup: string }> {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'restore-')), 'data');
  dirs.push(resolve(dataDir, '..'));
  const edge = await start(dataDir);
  for (const n of [1, 2, 3]) expect((await api(edge, 'PUT', `/api/sales/sale-${n}`, cashSale('2.00'))).status).toBe(201);
  expect((await api(edge, 'POST', '/api/day-closes', { openingFloat: '0.00', countedCash: '6.00' })).status).toBe(201);
  const made = tool('backup', dataDir);
  expect(made.status, made.stderr).toBe(0);
  const backup = /backup kept: (\S+)/.exec(made.stdout)?.[1] ?? '';
  for (const n of [4, 5]) expect((await api(edge, 'PUT', `/api/sales/sale-${n}`, cashSale('1.00'))).status).toBe(201);
  return { dataDir, edge, backup };
}

describe('npm run restore', () => {
  it('is refused while the edge runs, then puts the backup in place: old books aside, audit:verify passes, a new generation', async () => {
    const { dataDir, edge, backup } = await booksWithBackup();
    const database = join(dataDir, 'edge.sqlite');

    const refused = tool('restore', dataDir, [backup]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`restore refused: the edge is running (${database} is open, and ${EDGE_PID_FILE} names process ${process.pid})`);
    expect(count(database, 'SELECT COUNT(*) AS n FROM ledger_sales')).toBe(5);

    await stop(edge);
    expect(existsSync(join(dataDir, EDGE_PID_FILE))).toBe(false);
    const before = (() => {
      const db = openNodeDatabase(database);
      try {
        return ledgerGeneration(db);
      } finally {
        db.close();
      }
    })();

    const restored = tool('restore', dataDir, [backup]);
    expect(restored.stderr).toBe('');
    expect(restored.status).toBe(0);
    expect(restored.stdout).toContain(`restored ${backup} to ${database}`);
    expect(restored.stdout).toContain('sales: 3, the last receipt no. 3 (sale sale-3, completed 2026-11-22T10:00:00.000Z)');
    expect(restored.stdout).toMatch(/day closes: the last Z no\. 1, closed \d{4}-\d{2}-\d{2}T/);
    expect(restored.stdout).toMatch(/audit line \d+ records the restore/);
    expect(restored.stdout).toContain("audit log OK");

    // The books before: renamed aside with their companions, never deleted, all 5 sales in them.
    const aside = readdirSync(dataDir).filter((name) => name.startsWith('edge.sqlite.before-restore-'));
    const oldBooks = aside.find((name) => /^edge\.sqlite\.before-restore-[0-9T:.Z-]+$/.test(name) && !name.endsWith('-wal') && !name.endsWith('-shm')) ?? '';
    expect(count(join(dataDir, oldBooks), 'SELECT COUNT(*) AS n FROM ledger_sales')).toBe(5);
    expect(readdirSync(dataDir).some((name) => name.startsWith('audit-head.log.before-restore-'))).toBe(true);
    expect(statSync(database).mode & 0o777).toBe(0o600);

    // The restored books: the backup's 3 sales, the restore as the last audit line, a new generation.
    expect(count(database, 'SELECT COUNT(*) AS n FROM ledger_sales')).toBe(3);
    const db = new DatabaseSync(database, { readOnly: true });
    const last = db.prepare('SELECT actor, action, result FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { actor: string; action: string; result: string };
    const generation = (db.prepare("SELECT value FROM ledger_meta WHERE key = 'generation'").get() as { value: string }).value;
    db.close();
    expect(last).toEqual({ actor: 'admin', action: 'ledger.restore', result: expect.stringMatching(/^restored:edge-.*\.sqlite;generation:[0-9a-f]{32}$/) });
    expect(generation).toMatch(/^[0-9a-f]{32}$/);
    expect(generation).not.toBe(before);
    expect(last.result).toContain(generation);

    const verified = tool('audit-verify', dataDir);
    expect(verified.stderr).toBe('');
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(/^audit log OK: \d+ lines/);

    // The edge starts on the restored books and books the next sale as receipt 4.
    const again = await start(dataDir);
    expect((await api(again, 'PUT', '/api/sales/sale-6', cashSale('1.00'))).body).toMatchObject({ sale: { receiptNo: 4 } });
    await stop(again);
    expect(tool('audit-verify', dataDir).status).toBe(0);
  });

  it('refuses a damaged file, a tampered chain and a newer schema, and changes nothing', async () => {
    const { dataDir, edge, backup } = await booksWithBackup();
    await stop(edge);
    const database = join(dataDir, 'edge.sqlite');
    const files = readdirSync(dataDir).sort();
    const books = sha(database);
    const work = resolve(dataDir, '..');

    const damaged = join(work, 'damaged.sqlite');
    copyFileSync(backup, damaged);
    const bytes = readFileSync(damaged);
    // Page 2 on overwritten: SQLite's header stays, the tables' pages do not.
    bytes.fill(0x5a, 4096, Math.min(bytes.length, 4096 * 6));
    writeFileSync(damaged, bytes);
    const tampered = join(work, 'tampered.sqlite');
    copyFileSync(backup, tampered);
    const t = new DatabaseSync(tampered);
    t.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'someone' WHERE seq = 2");
    t.close();
    const newer = join(work, 'newer.sqlite');
    copyFileSync(backup, newer);
    const n = new DatabaseSync(newer);
    n.exec('PRAGMA user_version = 999');
    n.close();

    const outcomes = [damaged, tampered, newer, join(work, 'missing.sqlite')].map((file) => ({ file, ...tool('restore', dataDir, [file]) }));
    expect(outcomes.map((o) => o.status)).toEqual([1, 1, 1, 2]);
    expect(outcomes[0]?.stderr).toMatch(new RegExp(`^restore refused.*${damaged}`));
    expect(outcomes[1]?.stderr).toContain(`restore refused (audit_chain): ${tampered}: audit log broken at line 2`);
    expect(outcomes[2]?.stderr).toContain(`restore refused (schema_version): ${newer}: schema version 999 is newer than this edge knows`);
    expect(outcomes[3]?.stderr).toContain('no backup at');
    expect(readdirSync(dataDir).sort()).toEqual(files);
    expect(sha(database)).toBe(books);
    expect(tool('audit-verify', dataDir).status).toBe(0);
  });

  it('is refused while edge.pid names a live process, and goes on past a stale one', async () => {
    const { dataDir, edge, backup } = await booksWithBackup();
    await stop(edge);
    // This test's own process: alive, and not the restore's.
    writeFileSync(join(dataDir, EDGE_PID_FILE), `${process.pid} abc\n`);
    const refused = tool('restore', dataDir, [backup]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`names process ${process.pid}, which is alive`);
    // A process that has ended: its pid file is stale.
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(dataDir, EDGE_PID_FILE), `${ended.stdout} abc\n`);
    const restored = tool('restore', dataDir, [backup]);
    expect(restored.stderr).toBe('');
    expect(restored.status).toBe(0);
  });
});
