import { join } from 'node:path';
import { importAuditKey } from '../../../core/auth/audit.js';
import type { Logger } from '../../../core/ports.js';
import { loadAuditSecret } from '../audit-files.js';
import type { EdgeConfig, Env } from '../config.js';
import { startBackupSchedule, type BackupSchedule } from './schedule.js';

// The backups' part of a Node edge's start (edge/adapters/node/start.ts): the schedule on the
// edge's own database and audit key. It never stops the edge: a schedule that cannot start is logged.

export async function startEdgeBackups(env: Env, config: EdgeConfig, logger: Logger): Promise<BackupSchedule | undefined> {
  const { dir, everyMs } = config.backup;
  try {
    // The edge made the key (or has EDGE_AUDIT_KEY) before this runs.
    const secret = await loadAuditSecret(env, config.dataDir, { create: false });
    const schedule = startBackupSchedule({ settings: config.backup, database: join(config.dataDir, 'edge.sqlite'), auditKey: await importAuditKey(secret.secret), logger });
    if (schedule) logger.info('backups scheduled', { dir, everyMinutes: everyMs / 60_000 });
    else logger.warn('scheduled backups are off (EDGE_BACKUP_EVERY=0): run `npm run backup` yourself', { dir });
    return schedule;
  } catch (error) {
    logger.error('backups not scheduled', { dir, error: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}
