import { existsSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { privateDirSync, privateFileSync, syncDirectory } from '../file-modes.js';
import type { BooksSummary } from './books.js';
import { checkDatabaseFile, type CheckRule } from './check.js';
import { copyDatabase } from './copy.js';
import { backupName, temporaryName } from './names.js';

// One backup: the live database copied under a temporary name in the backup folder, checked, and
// only then renamed to its dated name. So every file under a backup's name passed the check, and a
// copy that failed it (or a crash halfway) never looks like a backup.

export interface BackupRequest {
  /** The live database (EDGE_DATA_DIR/edge.sqlite). */
  readonly database: string;
  readonly dir: string;
  readonly auditKey: CryptoKey;
  readonly now: number;
}

export type BackupOutcome =
  | { readonly ok: true; readonly file: string; readonly bytes: number; readonly schemaVersion: number; readonly books: BooksSummary }
  /** cannot_run: no backup could be made (no database, no folder, disk full); check_failed: the copy failed its check and was not kept. */
  | { readonly ok: false; readonly kind: 'cannot_run'; readonly message: string }
  | { readonly ok: false; readonly kind: 'check_failed'; readonly rule: CheckRule; readonly message: string };

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function makeBackup(request: BackupRequest): Promise<BackupOutcome> {
  const { database, dir } = request;
  if (!existsSync(database)) return { ok: false, kind: 'cannot_run', message: `no database at ${database} (set EDGE_DATA_DIR)` };
  const name = backupName(request.now);
  const file = join(dir, name);
  const temporary = join(dir, temporaryName(name));
  try {
    privateDirSync(dir);
    if (existsSync(file)) return { ok: false, kind: 'cannot_run', message: `${file} exists already (a backup of the same millisecond)` };
    await copyDatabase(database, temporary);
  } catch (error) {
    await rm(temporary, { force: true });
    return { ok: false, kind: 'cannot_run', message: `cannot copy ${database} to ${temporary}: ${errorText(error)}` };
  }
  const check = await checkDatabaseFile(temporary, request.auditKey);
  if (!check.ok) {
    await rm(temporary, { force: true });
    return { ok: false, kind: 'check_failed', rule: check.rule, message: `backup not kept: ${check.message}` };
  }
  try {
    await rename(temporary, file);
    privateFileSync(file);
    await syncDirectory(dir);
    return { ok: true, file, bytes: (await stat(file)).size, schemaVersion: check.schemaVersion, books: check.books };
  } catch (error) {
    await rm(temporary, { force: true });
    return { ok: false, kind: 'cannot_run', message: `cannot keep ${file}: ${errorText(error)}` };
  }
}

