import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { makeBackup, type BackupOutcome } from './make-backup.js';
import { planRotation } from './rotation.js';
import type { BackupSettings } from './settings.js';
import { clearFailure, recordFailure } from './status.js';

// A backup as the schedule and `npm run backup` take it: made and checked (make-backup.ts), its
// outcome recorded for the health report (status.ts), then, after a good one only, the rotation.
// A failed backup deletes nothing: the older good ones are all there is.

export interface BackupRun {
  readonly outcome: BackupOutcome;
  /** Backups the rotation deleted (after a good backup, when asked). */
  readonly removed: readonly string[];
}

/** A temporary copy older than this was left by a crash (a backup takes seconds): removed by the rotation. */
const ABANDONED_AFTER_MS = 60 * 60_000;

export async function runBackup(settings: BackupSettings, database: string, auditKey: CryptoKey, options: { readonly now: number; readonly rotate: boolean }): Promise<BackupRun> {
  const outcome = await makeBackup({ database, dir: settings.dir, auditKey, now: options.now });
  if (!outcome.ok) {
    // The folder may be what failed: then the failure cannot be written there either (the log has it).
    await recordFailure(settings.dir, { at: new Date(options.now).toISOString(), message: outcome.message }).catch(() => undefined);
    return { outcome, removed: [] };
  }
  await clearFailure(settings.dir);
  return { outcome, removed: options.rotate ? await rotate(settings, options.now) : [] };
}

/** Deletes the backups the rotation does not keep, and temporary copies a crash left behind. */
export async function rotate(settings: BackupSettings, now: number): Promise<string[]> {
  const names = await readdir(settings.dir);
  const plan = planRotation(names, settings.keep, now);
  for (const name of plan.remove) await rm(join(settings.dir, name), { force: true });
  for (const name of names.filter((n) => n.startsWith('.edge-') && n.endsWith('.partial'))) {
    const file = join(settings.dir, name);
    const modified = (await stat(file).catch(() => undefined))?.mtimeMs;
    if (modified !== undefined && now - modified > ABANDONED_AFTER_MS) await rm(file, { force: true });
  }
  return [...plan.remove];
}
