import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_HEAD_FILE, AUDIT_KEY_FILE, nodeAudit } from '../../edge/adapters/node/audit-files.js';
import { openNodeStore } from '../../edge/adapters/node/node-sqlite.js';
import { ensureKeyFiles } from '../../edge/tools/key-files.js';

// Data folder 700, files 600: the store and its WAL, the keys, the audit key and head, whatever the
// umask made and whatever an older edge left.

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'modes-'));
  dirs.push(dir);
  return dir;
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe.skipIf(process.platform === 'win32')('file modes', () => {
  it('a new data folder is 700; the store and its -wal and -shm files are 600', () => {
    const data = join(tempRoot(), 'data');
    const file = join(data, 'edge.sqlite');
    const store = openNodeStore(file);
    try {
      expect(mode(data)).toBe(0o700);
      for (const path of [file, `${file}-wal`, `${file}-shm`]) {
        expect(existsSync(path), path).toBe(true);
        expect(mode(path), path).toBe(0o600);
      }
    } finally {
      store.close();
    }
  });

  it('a folder and store an older edge left open (755, 644) are closed at the next start', () => {
    const data = join(tempRoot(), 'data');
    mkdirSync(data, { mode: 0o755 });
    chmodSync(data, 0o755);
    const file = join(data, 'edge.sqlite');
    const old = new DatabaseSync(file);
    old.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) chmodSync(path, 0o644);
    const store = openNodeStore(file);
    try {
      expect(mode(data)).toBe(0o700);
      for (const path of [file, `${file}-wal`, `${file}-shm`]) expect(mode(path), path).toBe(0o600);
    } finally {
      store.close();
      old.close();
    }
  });

  it('key files: made 600 in a 700 folder; a key left 644 is set to 600 when read', async () => {
    const keys = join(tempRoot(), 'data', 'keys');
    const keyFile = join(keys, 'partner-key.pem');
    const certFile = join(keys, 'partner-cert.pem');
    await ensureKeyFiles(keyFile, certFile, 'modes test');
    expect(mode(keys)).toBe(0o700);
    expect(mode(keyFile)).toBe(0o600);
    expect(mode(certFile)).toBe(0o600);
    chmodSync(keyFile, 0o644);
    expect((await ensureKeyFiles(keyFile, certFile, 'modes test')).created).toBe(false);
    expect(mode(keyFile)).toBe(0o600);
  });

  it('the audit key and the head file are 600, also when an older copy was not', async () => {
    const data = join(tempRoot(), 'data');
    const audit = await nodeAudit({}, data);
    expect(mode(data)).toBe(0o700);
    expect(mode(join(data, AUDIT_KEY_FILE))).toBe(0o600);
    await audit.head.append(0, '0'.repeat(64));
    expect(mode(join(data, AUDIT_HEAD_FILE))).toBe(0o600);
    chmodSync(join(data, AUDIT_KEY_FILE), 0o644);
    chmodSync(join(data, AUDIT_HEAD_FILE), 0o644);
    await nodeAudit({}, data);
    expect(mode(join(data, AUDIT_KEY_FILE))).toBe(0o600);
    expect(mode(join(data, AUDIT_HEAD_FILE))).toBe(0o600);
    // A head file made by the first append is 600 whatever the umask.
    const other = join(tempRoot(), 'data');
    const fresh = await nodeAudit({ EDGE_AUDIT_KEY: 'k'.repeat(32) }, other);
    expect(existsSync(join(other, AUDIT_KEY_FILE))).toBe(false);
    writeFileSync(join(other, 'unrelated'), 'x');
    await fresh.head.append(0, '0'.repeat(64));
    expect(mode(join(other, AUDIT_HEAD_FILE))).toBe(0o600);
  });
});
