import { readdirSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackupHealth } from '../../../core/edge-ports.js';
import { PRIVATE_FILE_MODE } from '../file-modes.js';
import { backupTime } from './names.js';

// The state of the backups as GET /api/health reports it, read from the backup folder itself: the
// newest file under a backup's name (only checked copies get one), and last-failure.json, written
// when a backup fails and removed by the next good one. So the state survives a restart of the
// edge, and a failing `npm run backup` from cron shows as well as the edge's own schedule.

export const FAILURE_FILE = 'last-failure.json';

export interface BackupFailure {
  readonly at: string;
  readonly message: string;
}

export async function recordFailure(dir: string, failure: BackupFailure): Promise<void> {
  await writeFile(join(dir, FAILURE_FILE), `${JSON.stringify(failure)}\n`, { mode: PRIVATE_FILE_MODE });
}

export async function clearFailure(dir: string): Promise<void> {
  await rm(join(dir, FAILURE_FILE), { force: true });
}

function code(error: unknown): string | undefined {
  return (error as { code?: string } | undefined)?.code;
}

/** The time of the newest backup in the folder (none: undefined, also when the folder does not exist yet). */
export function newestBackup(dir: string): { readonly name: string; readonly at: number } | undefined {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    throw error;
  }
  let newest: { name: string; at: number } | undefined;
  for (const name of names) {
    const at = backupTime(name);
    if (at !== undefined && (!newest || at > newest.at)) newest = { name, at };
  }
  return newest;
}

function lastFailureAt(dir: string): number | undefined {
  try {
    const at = Date.parse((JSON.parse(readFileSync(join(dir, FAILURE_FILE), 'utf8')) as { at?: unknown }).at as string);
    return Number.isNaN(at) ? undefined : at;
  } catch {
    // Absent (the usual case) or unreadable: no failure to report.
    return undefined;
  }
}

/** What an admin's GET /api/health says of the backups: codes only (the till words them). */
export function backupHealth(dir: string, everyMs: number, now: number): BackupHealth {
  const everySeconds = Math.round(everyMs / 1000);
  let newest: ReturnType<typeof newestBackup>;
  try {
    newest = newestBackup(dir);
  } catch {
    return { everySeconds, warning: 'failing' };
  }
  const failedAt = lastFailureAt(dir);
  const last = newest ? { lastAt: new Date(newest.at).toISOString(), ageSeconds: Math.max(0, Math.floor((now - newest.at) / 1000)) } : {};
  // The last attempt failed after the newest good backup: the one to fix first.
  if (failedAt !== undefined && (!newest || failedAt > newest.at)) return { ...last, everySeconds, warning: 'failing' };
  if (!newest) return { everySeconds, warning: 'none_yet' };
  if (everyMs > 0 && now - newest.at > 2 * everyMs) return { ...last, everySeconds, warning: 'stale' };
  return { ...last, everySeconds };
}
