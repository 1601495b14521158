import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { openNodeStore } from '../../../edge/adapters/node/node-sqlite.js';
import type { SqlStore } from '../../../edge/adapters/sql/sql-store.js';
import { ledgerSale } from '../../helpers/ledger-fixtures.js';

// deploy/litestream.yml, run: Litestream (the binary of the optional dependency
// @flydotio/litestream-linux-x64) replicates a live edge store, written through the edge's own
// store while it runs, to the config's `disk` replica; a restore from it holds every sale that was
// replicated, passes integrity_check, opens as the edge's store and is taken by npm run restore.
// No skip: `npm ci` installs the binary on Linux x64 (every machine of this project), so a missing
// one fails here.

const require = createRequire(import.meta.url);
const REPO = join(import.meta.dirname, '../../..');
const CONFIG = join(REPO, 'deploy/litestream.yml');

/** Litestream's binary, from the package npm installs for this platform (linux-x64 is the only one the registry has). */
function litestreamBinary(): string {
  const pkg = `@flydotio/litestream-${process.platform}-${process.arch}`;
  try {
    return require.resolve(`${pkg}/litestream`);
  } catch {
    throw new Error(`${pkg} is not installed: run npm ci (the registry has Litestream's binary for linux-x64 only)`);
  }
}

/**
 * The example config with only the replicas named, commented ones uncommented. A replica is the
 * lines from its `- name:` line (commented or not) to the next one; the lines before the first are kept.
 */
function exampleWith(names: readonly string[]): string {
  const start = /^ {6}(# )?- name: (\w+)$/;
  const out: string[] = [];
  let current: { name: string; commented: boolean } | undefined;
  for (const line of readFileSync(CONFIG, 'utf8').split('\n')) {
    const match = start.exec(line);
    if (match) current = { name: match[2]!, commented: match[1] !== undefined };
    if (!current) out.push(line);
    else if (names.includes(current.name)) out.push(current.commented && line.startsWith('      # ') ? `      ${line.slice(8)}` : line);
  }
  return out.join('\n');
}

const root = mkdtempSync(join(tmpdir(), 'litestream-'));
const children = new Set<ChildProcess>();
let store: SqlStore | undefined;

afterAll(() => {
  store?.close();
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

function run(args: readonly string[], env: NodeJS.ProcessEnv): { status: number | null; output: string } {
  const result = spawnSync(litestreamBinary(), args, { env, encoding: 'utf8', timeout: 10_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function replicate(config: string, env: NodeJS.ProcessEnv): { child: ChildProcess; log: () => string } {
  const child = spawn(litestreamBinary(), ['replicate', '-config', config], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  return { child, log: () => log };
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => {
    child.once('exit', (code, exitSignal) => resolve({ code, signal: exitSignal }));
    child.kill(signal);
  });
}

/** Resolves with what `probe` gives once it gives something, polling; fails after `ms` with `what` and Litestream's log. */
async function waitFor<T>(probe: () => T | undefined, what: string, log: () => string, ms = 8000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error(`${what}: not within ${ms} ms. Litestream's log:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const saleIds = (file: string): string[] => {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return (db.prepare('SELECT id FROM ledger_sales ORDER BY id').all() as Array<{ id: string }>).map((row) => row.id);
  } finally {
    db.close();
  }
};

let restores = 0;
/** A restore of the latest replicated state into a new file, or undefined while the replica has none. */
function restore(config: string, env: NodeJS.ProcessEnv, db: string): string | undefined {
  const out = join(root, `restored-${++restores}.sqlite`);
  const { status } = run(['restore', '-config', config, '-o', out, db], env);
  return status === 0 && existsSync(out) ? out : undefined;
}

/** A restored file once the replica holds `ids` (Litestream syncs each second). */
function replicated(config: string, env: NodeJS.ProcessEnv, db: string, ids: readonly string[], log: () => string): Promise<string> {
  return waitFor(
    () => {
      const file = restore(config, env, db);
      return file && ids.every((id) => saleIds(file).includes(id)) ? file : undefined;
    },
    `${ids.length} sales replicated`,
    log,
  );
}

const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);

describe('Litestream (deploy/litestream.yml)', () => {
  it('the binary is Litestream 0.3.13, the version the example is written for', () => {
    expect(run(['version'], process.env).output.trim()).toBe('v0.3.13');
  });

  it('the example parses with the s3 replica, with the disk one uncommented, and with both', () => {
    const env = { ...process.env, EDGE_DATA_DIR: join(root, 'parse'), LITESTREAM_BUCKET: 'till-backups', LITESTREAM_DISK_DIR: join(root, 'disk') };
    const db = join(root, 'parse', 'edge.sqlite');
    for (const names of [['s3'], ['disk'], ['s3', 'disk']]) {
      const config = join(root, `parse-${names.join('-')}.yml`);
      writeFileSync(config, exampleWith(names));
      const { status, output } = run(['databases', '-config', config], env);
      expect(status, output).toBe(0);
      expect(output).toMatch(new RegExp(`^${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+${names.join(',')}$`, 'm'));
    }
    // As shipped, the disk replica is a comment: only the bucket.
    expect(run(['databases', '-config', CONFIG], env).output).toMatch(/\ss3\s*$/m);
  });

  it('replicates the edge store to another disk while it is written, survives a killed Litestream, and restores every sale (litestream restore, then npm run restore)', async () => {
    const data = join(root, 'data');
    const db = join(data, 'edge.sqlite');
    const config = join(root, 'disk.yml');
    writeFileSync(config, exampleWith(['disk']));
    const env = { ...process.env, EDGE_DATA_DIR: data, LITESTREAM_DISK_DIR: join(root, 'usb') };

    // The edge's store, open (and written) the whole time, as the running edge keeps it.
    store = openNodeStore(db);
    const first = ids('A', 40);
    for (const [i, id] of first.entries()) await store.ledger.putSale(ledgerSale(id, 100 + i));

    let litestream = replicate(config, env);
    // Continuous: the sales are in the replica while Litestream still runs.
    expect(saleIds(await replicated(config, env, db, first, litestream.log))).toEqual(first);
    const second = ids('B', 40);
    for (const [i, id] of second.entries()) await store.ledger.putSale(ledgerSale(id, 200 + i, { cardCents: 200 + i, paymentRuid: `R${i}`, tid: '90000015', transport: 'cloud' }));
    await replicated(config, env, db, second, litestream.log);

    // The box's Litestream dies without a word: what it had sent is restorable as it was.
    expect((await stop(litestream.child, 'SIGKILL')).signal).toBe('SIGKILL');
    const afterKill = restore(config, env, db);
    expect(afterKill).toBeDefined();
    expect(saleIds(afterKill!)).toEqual([...first, ...second]);

    // The edge goes on selling while Litestream is down; started again, it catches up.
    const third = ids('C', 40);
    for (const [i, id] of third.entries()) await store.ledger.putSale(ledgerSale(id, 300 + i));
    litestream = replicate(config, env);
    await replicated(config, env, db, third, litestream.log);
    // A busy hour: past 1000 pages of WAL, so the WAL is checkpointed and starts over while
    // Litestream follows it (the replica's WAL index moves on from 0).
    const last = ids('D', 300);
    for (const [i, id] of last.entries()) await store.ledger.putSale(ledgerSale(id, 400 + i));
    await replicated(config, env, db, last, litestream.log);
    const generations = join(root, 'usb/edge.sqlite/generations');
    const replicaWal = () => readdirSync(generations).flatMap((generation) => readdirSync(join(generations, generation, 'wal')));
    await waitFor(() => replicaWal().find((file) => !file.startsWith('00000000_')), 'the WAL checkpointed and restarted', litestream.log);

    // Stopped as systemd stops it: it exits cleanly.
    const stopped = await stop(litestream.child, 'SIGTERM');
    expect(stopped.code, litestream.log()).toBe(0);

    const restored = restore(config, env, db);
    expect(restored).toBeDefined();
    const all = [...first, ...second, ...third, ...last];
    expect(saleIds(restored!)).toEqual(all);
    const check = new DatabaseSync(restored!, { readOnly: true });
    expect(check.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
    check.close();

    // It is the edge's store: it opens (nothing to migrate) and a sale reads back as booked.
    const reopened = openNodeStore(restored!);
    try {
      expect(await reopened.ledger.getSale('B-007')).toEqual(await store.ledger.getSale('B-007'));
      expect((await reopened.ledger.listSales()).length).toBe(all.length);
    } finally {
      reopened.close();
    }

    // restore never writes over a file that is there.
    const refused = run(['restore', '-config', config, '-o', restored!, db], env);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toMatch(/already exists/);

    // The README's next step: the edge stopped, npm run restore takes Litestream's file (with its
    // _litestream tables) as it takes a backup, and puts it in place of the books.
    store.close();
    store = undefined;
    const restoreTool = spawnSync(join(REPO, 'node_modules/.bin/tsx'), ['edge/tools/restore.ts', restored!], {
      cwd: REPO,
      env: { ...process.env, EDGE_DATA_DIR: data, EDGE_AUDIT_KEY: 'litestream-test-audit-key-0123456789abcdef', EDGE_BACKUP_DIR: '' },
      encoding: 'utf8',
    });
    expect(restoreTool.status, `${restoreTool.stdout}${restoreTool.stderr}`).toBe(0);
    expect(saleIds(db)).toEqual(all);
  }, 30_000);
});
