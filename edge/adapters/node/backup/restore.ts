import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { AuditLog } from '../../../core/auth/audit-log.js';
import type { Logger } from '../../../core/ports.js';
import { renewLedgerGeneration } from '../../sql/ledger-generation.js';
import { openSqlStore } from '../../sql/sql-store.js';
import { AUDIT_HEAD_FILE, fileAuditHead } from '../audit-files.js';
import { privateDirSync, privateFileSync } from '../file-modes.js';
import { openNodeDatabase } from '../node-sqlite.js';
import { booksSummary, type BooksSummary } from './books.js';
import { checkDatabaseFile } from './check.js';
import { copyDatabase } from './copy.js';
import { databaseInUse, EDGE_PID_FILE, pidFileHolder } from './edge-lock.js';
import { fileStamp } from './names.js';

// Puts a backup in place of the books, with the edge stopped. Nothing is deleted: the database
// (with its -wal and -shm) and audit-head.log are renamed aside with the time of the restore. The
// backup is copied in and checked as a copy (what is checked is what is installed), and the edge
// then opens it as it would (migrations run). The restored chain's end starts a new audit-head.log,
// the restore is an audit line of its own, and the ledger gets a new generation, so tills can tell
// that sales they sent before may be missing now.

export class RestoreError extends Error {
  override readonly name = 'RestoreError';
  /** 1: the backup failed its check; 2: the restore cannot run (the edge runs, no file, no key). */
  constructor(
    readonly exitCode: 1 | 2,
    message: string,
  ) {
    super(message);
  }
}

export interface RestoreRequest {
  readonly dataDir: string;
  readonly backupFile: string;
  readonly auditKey: CryptoKey;
  readonly now: number;
  /** Where the audit log's warnings and errors go (its info lines are not printed by the tool). */
  readonly logger: Logger;
}

export interface RestoreResult {
  readonly database: string;
  /** The files renamed aside (the database and its companions, the old audit-head.log). */
  readonly keptAside: readonly string[];
  readonly schemaVersion: number;
  readonly generation: string;
  /** The audit line that records the restore. */
  readonly auditSeq: number;
  readonly books: BooksSummary;
}

export const DATABASE_FILE = 'edge.sqlite';

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Refuses while an edge (or anything else) has the books open: the check the restore starts with. */
export function refuseWhileRunning(dataDir: string): void {
  const database = join(dataDir, DATABASE_FILE);
  const holder = pidFileHolder(dataDir);
  if (databaseInUse(database)) {
    throw new RestoreError(2, `restore refused: the edge is running (${database} is open${holder ? `, and ${EDGE_PID_FILE} names process ${holder}` : ' by another process, such as the edge or a backup'}): stop it first`);
  }
  if (holder !== undefined) {
    throw new RestoreError(2, `restore refused: ${join(dataDir, EDGE_PID_FILE)} names process ${holder}, which is alive (an edge starting or stopping?). If no edge runs on ${dataDir}, delete that file and run the restore again`);
  }
}

export async function restoreBackup(request: RestoreRequest): Promise<RestoreResult> {
  const { dataDir, auditKey, now } = request;
  const backupFile = resolve(request.backupFile);
  const database = join(dataDir, DATABASE_FILE);
  if (!existsSync(backupFile)) throw new RestoreError(2, `no backup at ${backupFile}`);
  if (backupFile === database) throw new RestoreError(2, `${backupFile} is the live database itself, not a backup`);
  refuseWhileRunning(dataDir);
  privateDirSync(dataDir);

  const stamp = fileStamp(now);
  const incoming = `${database}.restoring-${stamp}`;
  try {
    await copyDatabase(backupFile, incoming);
  } catch (error) {
    await rm(incoming, { force: true });
    throw new RestoreError(1, `restore refused: ${backupFile} cannot be read as a SQLite database (${errorText(error)})`);
  }
  const check = await checkDatabaseFile(incoming, auditKey, backupFile);
  if (!check.ok) {
    await rm(incoming, { force: true });
    throw new RestoreError(1, `restore refused (${check.rule}): ${check.message}`);
  }

  const keptAside: string[] = [];
  const headFile = join(dataDir, AUDIT_HEAD_FILE);
  for (const [from, to] of [...['', '-wal', '-shm'].map((suffix) => [`${database}${suffix}`, `${database}.before-restore-${stamp}${suffix}`]), [headFile, `${headFile}.before-restore-${stamp}`]] as const) {
    if (!existsSync(from)) continue;
    await rename(from, to);
    keptAside.push(to);
  }
  await rename(incoming, database);
  privateFileSync(database);

  try {
    const db = openNodeDatabase(database);
    const store = openSqlStore(db);
    try {
      for (const path of [`${database}-wal`, `${database}-shm`]) privateFileSync(path);
      const generation = renewLedgerGeneration(db);
      // The core's own audit log, as the edge runs it: start() writes the restored chain's end to the
      // new audit-head.log (or seals a chain written before the key), then the restore's own line.
      const audit = new AuditLog(store, { now: () => now }, request.logger, { key: auditKey, head: fileAuditHead(headFile) });
      await audit.start();
      const line = await audit.record({ actor: 'admin', action: 'ledger.restore', ruid: undefined, result: `restored:${basename(backupFile)};generation:${generation}` });
      return { database, keptAside, schemaVersion: check.schemaVersion, generation, auditSeq: line.seq, books: booksSummary(db) };
    } finally {
      store.close();
    }
  } catch (error) {
    const before = keptAside[0] ?? '(there was no database before)';
    throw new RestoreError(2, `the backup is in place at ${database} but could not be opened (${errorText(error)}); the books before the restore are kept as ${before}`);
  }
}
