import { join } from 'node:path';
import type { Logger } from '../../../core/ports.js';
import { openReadOnly } from '../node-sqlite.js';
import { describeBooks } from './books.js';
import { runBackup } from './run.js';
import type { BackupSettings } from './settings.js';
import { newestBackup } from './status.js';

// The running edge's backups: a look each minute whether one is due — EDGE_BACKUP_EVERY has
// passed since the newest, or a day was closed since (a Z report is the books' milestone). The day
// close is seen in the database (its highest Z number grew), so the route that closes a day knows
// nothing of backups. A failure is logged and tried again after a pause; it never stops the edge
// and never deletes an older backup.

export interface BackupScheduleOptions {
  readonly settings: BackupSettings;
  readonly database: string;
  readonly auditKey: CryptoKey;
  readonly logger: Logger;
  /** How often to look (60 s; tests shorten it). */
  readonly checkEveryMs?: number;
  readonly now?: () => number;
}

export interface BackupSchedule {
  /** One look now, as the timer does (tests). */
  check(): Promise<void>;
  /** Stops the timer and waits for a backup under way. */
  stop(): Promise<void>;
}

/** After a failure, the next try waits this long (or the schedule, when shorter): no copy a minute of a failing disk. */
const RETRY_AFTER_MS = 5 * 60_000;

/** The highest Z number in a database file (0 without any; undefined when it cannot be read). */
function lastCloseNo(file: string): number | undefined {
  try {
    const db = openReadOnly(file);
    try {
      return (db.prepare('SELECT COALESCE(MAX(no), 0) AS no FROM day_closes').get() as { no: number }).no;
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}

export function startBackupSchedule(options: BackupScheduleOptions): BackupSchedule | undefined {
  const { settings, database, auditKey, logger } = options;
  if (settings.everyMs === 0) return undefined;
  const now = options.now ?? Date.now;
  const newest = newestBackup(settings.dir);
  let lastAt = newest?.at;
  // The Z the newest backup holds: a higher one in the live books means a day closed since.
  let closeNo = newest ? (lastCloseNo(join(settings.dir, newest.name)) ?? 0) : 0;
  let failedAt: number | undefined;
  let running: Promise<void> | undefined;

  const due = (at: number): string | undefined => {
    if (failedAt !== undefined && at - failedAt < Math.min(RETRY_AFTER_MS, settings.everyMs)) return undefined;
    if (lastAt === undefined) return 'first';
    if (at - lastAt >= settings.everyMs) return 'schedule';
    const live = lastCloseNo(database);
    return live !== undefined && live > closeNo ? 'day_close' : undefined;
  };

  const backup = async (): Promise<void> => {
    const at = now();
    const reason = due(at);
    if (!reason) return;
    const run = await runBackup(settings, database, auditKey, { now: at, rotate: true });
    if (!run.outcome.ok) {
      failedAt = at;
      logger.error('backup failed', { reason, kind: run.outcome.kind, error: run.outcome.message });
      return;
    }
    failedAt = undefined;
    lastAt = at;
    closeNo = run.outcome.books.lastClose?.no ?? 0;
    logger.info('backup kept', { reason, file: run.outcome.file, bytes: run.outcome.bytes, books: describeBooks(run.outcome.books).join('; '), removed: run.removed.length });
  };

  const check = (): Promise<void> => {
    // One at a time: a slow copy is not started again by the next tick.
    running ??= backup()
      .catch((error: unknown) => {
        failedAt = now();
        logger.error('backup failed', { error: error instanceof Error ? error.message : String(error) });
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const timer = setInterval(() => void check(), options.checkEveryMs ?? 60_000);
  // The schedule never keeps a stopping process alive.
  timer.unref();
  return {
    check,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
