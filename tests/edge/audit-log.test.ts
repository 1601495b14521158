import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_HEAD_FILE, AUDIT_KEY_FILE, fileAuditHead, loadAuditSecret, nodeAudit } from '../../edge/adapters/node/audit-files.js';
import { openNodeStore } from '../../edge/adapters/node/node-sqlite.js';
import type { SqlStore } from '../../edge/adapters/sql/sql-store.js';
import { checkHead, GENESIS_HASH, GENESIS_MAC, hashLine, importAuditKey, parseAuditHead, verifyChain, type AuditLine } from '../../edge/core/auth/audit.js';
import { AuditLog } from '../../edge/core/auth/audit-log.js';
import { sha256Hex } from '../../edge/core/auth/tokens.js';
import type { Logger } from '../../edge/core/ports.js';

// The audit log cannot be cut or rewritten silently: each line's HMAC (a key apart from the
// database), the chain's end in audit-head.log, and `npm run audit:verify` naming the line.

const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const dirs: string[] = [];
const stores: SqlStore[] = [];
const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const clock = { now: () => Date.parse('2026-05-01T10:00:00Z') };

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'audit-mac-'));
  dirs.push(dir);
  return dir;
}

/** A data folder as the Node edge leaves it: the store, its audit key file, its head file, `count` lines. */
async function edgeData(count: number, env: Record<string, string> = {}): Promise<{ dir: string; lines: AuditLine[] }> {
  const dir = tempDir();
  const store = openNodeStore(join(dir, 'edge.sqlite'));
  const audit = await nodeAudit(env, dir);
  const log = new AuditLog(store, clock, quiet, { key: audit.key, head: audit.head });
  await log.start();
  for (let i = 1; i <= count; i++) await log.record({ actor: i % 2 ? 'admin' : 'device:abc', action: 'payment.create', ruid: `R-${i}`, result: 'created' });
  const lines = await store.auditLines();
  store.close();
  return { dir, lines };
}

function verify(dir: string, env: Record<string, string> = {}) {
  const result = spawnSync(tsx, ['edge/tools/audit-verify.ts'], { cwd: root, env: { ...process.env, EDGE_AUDIT_KEY: '', EDGE_DATA_DIR: dir, ...env }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Opens the copy as someone with the file but not the key would: the append-only triggers dropped. */
function tamper(dir: string, work: (db: DatabaseSync) => void): void {
  const db = new DatabaseSync(join(dir, 'edge.sqlite'));
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete');
  work(db);
  db.close();
}

/** Recomputes the plain SHA-256 chain from line `from` on, as an editor without the key can. */
async function rehash(db: DatabaseSync, from: number): Promise<void> {
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Array<{ seq: number; at: string; actor: string; action: string; ruid: string | null; result: string; prev_hash: string; hash: string }>;
  let prev = GENESIS_HASH;
  for (const row of rows) {
    if (row.seq >= from) {
      const hash = await hashLine({ seq: row.seq, at: row.at, actor: row.actor, action: row.action, ruid: row.ruid ?? undefined, result: row.result, prevHash: prev });
      db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, row.seq);
      prev = hash;
    } else {
      prev = row.hash;
    }
  }
}

describe('audit lines carry an HMAC chained to the line before', () => {
  it('every line has a MAC that the key recomputes, and the head file follows each write', async () => {
    const { dir, lines } = await edgeData(5);
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line.mac).toMatch(/^[0-9a-f]{64}$/);
    const secret = readFileSync(join(dir, AUDIT_KEY_FILE), 'utf8').trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const chain = await verifyChain(lines, await importAuditKey(secret));
    expect(chain.broken).toBeUndefined();
    expect(chain.legacy).toBe(0);
    // Start wrote the empty chain's head, then one record per line.
    const head = parseAuditHead(readFileSync(join(dir, AUDIT_HEAD_FILE), 'utf8'));
    expect(head.bad).toBeUndefined();
    expect(head.entries.map((entry) => entry.count)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(head.entries[0]?.mac).toBe(GENESIS_MAC);
    expect(head.entries.at(-1)?.mac).toBe(lines.at(-1)?.mac);
    expect(checkHead(chain, head.entries)).toEqual({ problem: undefined, unheaded: 0 });
    // Another key does not recompute them.
    expect((await verifyChain(lines, await importAuditKey('another-key-of-at-least-32-characters!!'))).broken?.seq).toBe(1);
  });

  it('the key file is made once (600) and kept; EDGE_AUDIT_KEY wins and must be 32 characters or more', async () => {
    const dir = tempDir();
    const first = await loadAuditSecret({}, dir, { create: true });
    expect(first).toMatchObject({ source: 'file', created: true });
    const again = await loadAuditSecret({}, dir, { create: true });
    expect(again).toMatchObject({ source: 'file', created: false, secret: first.secret });
    const fromEnv = await loadAuditSecret({ EDGE_AUDIT_KEY: 'k'.repeat(32) }, dir, { create: true });
    expect(fromEnv).toMatchObject({ source: 'env', secret: 'k'.repeat(32) });
    await expect(loadAuditSecret({ EDGE_AUDIT_KEY: 'k'.repeat(31) }, dir, { create: true })).rejects.toThrow('EDGE_AUDIT_KEY must be at least 32 characters');
    await expect(loadAuditSecret({}, tempDir(), { create: false })).rejects.toThrow('no audit key');
    writeFileSync(join(dir, AUDIT_KEY_FILE), 'short\n');
    await expect(loadAuditSecret({}, dir, { create: true })).rejects.toThrow('at least 32 characters');
  });

  it('a head that cannot be written is logged; the line is stored all the same', async () => {
    const dir = tempDir();
    const store = openNodeStore(join(dir, 'edge.sqlite'));
    stores.push(store);
    const errors: string[] = [];
    const logger: Logger = { ...quiet, error: (message) => void errors.push(message) };
    const log = new AuditLog(store, clock, logger, { key: await importAuditKey('k'.repeat(40)), head: fileAuditHead(join(dir, 'no-such-folder', AUDIT_HEAD_FILE)) });
    const line = await log.record({ actor: 'admin', action: 'shop.save', ruid: undefined, result: 'EUR' });
    expect(line.mac).toBeDefined();
    expect((await store.auditLines()).map((stored) => stored.seq)).toEqual([1]);
    expect(errors).toEqual(['audit head not written']);
  });

  it('concurrent records stay one chain: each line follows the one before, each head record matches its line', async () => {
    const dir = tempDir();
    const store = openNodeStore(join(dir, 'edge.sqlite'));
    stores.push(store);
    const audit = await nodeAudit({}, dir);
    const log = new AuditLog(store, clock, quiet, { key: audit.key, head: audit.head });
    await Promise.all(Array.from({ length: 20 }, (_, i) => log.record({ actor: 'admin', action: 'x', ruid: `R${i}`, result: 'ok' })));
    const chain = await verifyChain(await store.auditLines(), audit.key);
    expect(chain.broken).toBeUndefined();
    expect(checkHead(chain, parseAuditHead(readFileSync(audit.headFile, 'utf8')).entries)).toEqual({ problem: undefined, unheaded: 0 });
  });
});

describe('npm run audit:verify', () => {
  it('passes an untouched log (the key from the file, or from EDGE_AUDIT_KEY)', async () => {
    const { dir } = await edgeData(6);
    const ok = verify(dir);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('audit log OK: 6 lines');
    const secret = readFileSync(join(dir, AUDIT_KEY_FILE), 'utf8').trim();
    rmSync(join(dir, AUDIT_KEY_FILE));
    expect(verify(dir, { EDGE_AUDIT_KEY: secret }).status).toBe(0);
    const noKey = verify(dir);
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toContain('no audit key');
  });

  it('a deleted tail fails, naming the first missing line', async () => {
    const { dir } = await edgeData(8);
    tamper(dir, (db) => db.exec('DELETE FROM audit_log WHERE seq > 3'));
    const cut = verify(dir);
    expect(cut.status).toBe(1);
    expect(cut.stderr).toContain('audit log BROKEN at line 4: lines 4 to 8 are missing');
    expect(cut.stderr).toContain('the tail was cut off');
  });

  it('an edited line fails at that line', async () => {
    const { dir } = await edgeData(6);
    tamper(dir, (db) => db.exec("UPDATE audit_log SET result = 'forged' WHERE seq = 3"));
    const edited = verify(dir);
    expect(edited.status).toBe(1);
    expect(edited.stderr).toContain('audit log BROKEN at line 3: its content does not match its hash');
  });

  it('a chain recomputed with plain SHA-256 after an edit fails at the edited line (its MAC)', async () => {
    const { dir } = await edgeData(6);
    tamper(dir, (db) => db.exec("UPDATE audit_log SET actor = 'device:someone-else' WHERE seq = 3"));
    const edited = new DatabaseSync(join(dir, 'edge.sqlite'));
    await rehash(edited, 3);
    edited.close();
    const result = verify(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('audit log BROKEN at line 3: its MAC does not match');
  });

  it('a chain recomputed with the MACs removed fails against the head file', async () => {
    const { dir } = await edgeData(6);
    tamper(dir, (db) => db.exec("UPDATE audit_log SET result = 'forged', mac = NULL WHERE seq = 4; UPDATE audit_log SET mac = NULL"));
    const edited = new DatabaseSync(join(dir, 'edge.sqlite'));
    await rehash(edited, 4);
    edited.close();
    const result = verify(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('audit log BROKEN at line 1: has no MAC, but audit-head.log');
    // Without the head file either, it fails too.
    rmSync(join(dir, AUDIT_HEAD_FILE));
    const noHead = verify(dir);
    expect(noHead.status).toBe(1);
    expect(noHead.stderr).toContain('audit-head.log is missing');
  });

  it('a removed middle line, a line without a MAC appended, and a changed head file each fail', async () => {
    const { dir } = await edgeData(5);
    const copy = tempDir();
    cpSync(dir, copy, { recursive: true });
    tamper(copy, (db) => db.exec('DELETE FROM audit_log WHERE seq = 2'));
    expect(verify(copy).stderr).toContain('audit log BROKEN at line 3: expected line 2 (a line was removed)');

    rmSync(copy, { recursive: true, force: true });
    cpSync(dir, copy, { recursive: true });
    const reader = new DatabaseSync(join(copy, 'edge.sqlite'), { readOnly: true });
    const last = (reader.prepare('SELECT hash FROM audit_log WHERE seq = 5').get() as { hash: string }).hash;
    reader.close();
    const forged = { seq: 6, at: new Date().toISOString(), actor: 'admin', action: 'device.revoke', ruid: undefined, result: 'x', prevHash: last };
    const hash = await hashLine(forged);
    tamper(copy, (db) => db.prepare('INSERT INTO audit_log (seq, at, actor, action, ruid, result, prev_hash, hash) VALUES (?, ?, ?, ?, NULL, ?, ?, ?)').run(6, forged.at, forged.actor, forged.action, forged.result, forged.prevHash, hash));
    const appended = verify(copy);
    expect(appended.status).toBe(1);
    expect(appended.stderr).toContain('audit log BROKEN at line 6: has no MAC although line 5 before it has one');

    appendFileSync(join(dir, AUDIT_HEAD_FILE), `5 ${'ab'.repeat(32)} 2026-05-01T10:00:00.000Z\n`);
    const head = verify(dir);
    expect(head.status).toBe(1);
    expect(head.stderr).toContain('audit log BROKEN at line 5: is not the line audit-head.log (line 7) recorded');
    writeFileSync(join(dir, AUDIT_HEAD_FILE), 'garbage\n');
    expect(verify(dir).stderr).toContain('audit-head.log line 1 is not "count mac time"');
  });

  it('a line written just before a crash (no head record yet) passes with a note; a head cut short by a crash is ignored', async () => {
    const { dir } = await edgeData(4);
    const store = openNodeStore(join(dir, 'edge.sqlite'));
    stores.push(store);
    const key = await importAuditKey(readFileSync(join(dir, AUDIT_KEY_FILE), 'utf8').trim());
    await new AuditLog(store, clock, quiet, { key }).record({ actor: 'admin', action: 'x', ruid: undefined, result: 'ok' });
    appendFileSync(join(dir, AUDIT_HEAD_FILE), '5 0123');
    const result = verify(dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('audit log OK: 5 lines');
    expect(result.stderr).toContain('note: line 5 is after the last record of audit-head.log');
  });

  it('a store written before the MAC: its lines stay a legacy prefix, sealed at the next start', async () => {
    const dir = tempDir();
    // The schema and lines of an edge before this change: no mac column.
    const old = new DatabaseSync(join(dir, 'edge.sqlite'));
    old.exec(`CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, ruid TEXT, result TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;`);
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= 3; seq++) {
      const line = { seq, at: '2026-04-01T10:00:00.000Z', actor: 'admin', action: 'product.save', ruid: undefined, result: `P-${seq}`, prevHash: prev };
      const hash = await sha256Hex(JSON.stringify([line.seq, line.at, line.actor, line.action, null, line.result, line.prevHash]));
      old.prepare('INSERT INTO audit_log VALUES (?, ?, ?, ?, NULL, ?, ?, ?)').run(seq, line.at, line.actor, line.action, line.result, prev, hash);
      prev = hash;
    }
    old.close();
    // Before the upgraded edge ever started, there is nothing to check it against.
    writeFileSync(join(dir, AUDIT_KEY_FILE), `${'s'.repeat(43)}\n`, { mode: 0o600 });
    expect(verify(dir).stderr).toContain('audit-head.log is missing');

    const store = openNodeStore(join(dir, 'edge.sqlite'));
    stores.push(store);
    const audit = await nodeAudit({}, dir);
    const log = new AuditLog(store, clock, quiet, { key: audit.key, head: audit.head });
    await log.start();
    await log.record({ actor: 'admin', action: 'shop.save', ruid: undefined, result: 'EUR' });
    const lines = await store.auditLines();
    expect(lines.map((line) => [line.seq, line.action, line.mac === undefined])).toEqual([
      [1, 'product.save', true],
      [2, 'product.save', true],
      [3, 'product.save', true],
      [4, 'audit.key', false],
      [5, 'shop.save', false],
    ]);
    expect(lines[3]?.result).toBe('sealed:3');
    const ok = verify(dir);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('audit log OK: 5 lines');
    expect(ok.stdout).toContain('lines 1 to 3 were written before the audit key');

    // A legacy line edited and the plain chain recomputed: the seal's MAC covers the last legacy hash.
    const copy = tempDir();
    cpSync(dir, copy, { recursive: true });
    tamper(copy, (db) => db.exec("UPDATE audit_log SET result = 'P-forged' WHERE seq = 2"));
    const edited = new DatabaseSync(join(copy, 'edge.sqlite'));
    await rehash(edited, 2);
    edited.close();
    const result = verify(copy);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('audit log BROKEN at line 4: its MAC does not match');
    // A second start does not seal again: the last line has its MAC.
    await log.start();
    expect((await store.auditLines()).length).toBe(5);
    expect(existsSync(audit.headFile)).toBe(true);
  });
});
