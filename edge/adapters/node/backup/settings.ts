import { resolve } from 'node:path';
import { ConfigError, type Env } from '../../../core/env-settings.js';

// EDGE_BACKUP_DIR, EDGE_BACKUP_EVERY, EDGE_BACKUP_KEEP (README "Backups"). A bad value stops
// start-up (and the backup tool) with a message naming the variable and the rule.

/** Keep the newest backup of each of the last `count` slots of `unit` (UTC hours, days, weeks from Monday). */
export interface KeepRule {
  readonly count: number;
  readonly unit: 'h' | 'd' | 'w';
}

export interface BackupSettings {
  /** Where backups are kept (default EDGE_DATA_DIR/backups; folder 700, files 600). */
  readonly dir: string;
  /** How often the running edge takes one; 0: no schedule at all (neither hourly nor after a day close). */
  readonly everyMs: number;
  /** Rotation: which backups stay; 'all' deletes none. */
  readonly keep: readonly KeepRule[] | 'all';
}

export const DEFAULT_BACKUP_EVERY = '1h';
export const DEFAULT_BACKUP_KEEP = '48h,90d';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** EDGE_BACKUP_EVERY: `30m`, `1h`, `1d`; `0` or `off`: no scheduled backups. At least a minute, the schedule's check. */
export function parseBackupEvery(raw: string): number {
  const text = raw.trim().toLowerCase();
  if (text === '0' || text === 'off') return 0;
  const match = /^([0-9]{1,6})(m|h|d)$/.exec(text);
  if (!match || Number(match[1]) < 1) throw new ConfigError(`EDGE_BACKUP_EVERY must be a whole number of minutes, hours or days such as 30m, 1h or 1d, or 0/off to turn the schedule off (got "${raw}")`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** EDGE_BACKUP_KEEP: a comma list of <count><h|d|w> (e.g. `48h,90d`), or `all`. */
export function parseBackupKeep(raw: string): readonly KeepRule[] | 'all' {
  const text = raw.trim().toLowerCase();
  if (text === 'all') return 'all';
  return text.split(',').map((item) => {
    const match = /^([0-9]{1,6})(h|d|w)$/.exec(item.trim());
    if (!match || Number(match[1]) < 1) throw new ConfigError(`EDGE_BACKUP_KEEP must be a comma list of a count and h (hours), d (days) or w (weeks), such as 48h,90d, or "all" (got "${raw}": "${item.trim()}" does not fit)`);
    return { count: Number(match[1]), unit: match[2] as KeepRule['unit'] };
  });
}

function setting(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? fallback : raw;
}

export function backupSettings(env: Env, dataDir: string): BackupSettings {
  const dir = env.EDGE_BACKUP_DIR ? resolve(env.EDGE_BACKUP_DIR) : resolve(dataDir, 'backups');
  return { dir, everyMs: parseBackupEvery(setting(env, 'EDGE_BACKUP_EVERY', DEFAULT_BACKUP_EVERY)), keep: parseBackupKeep(setting(env, 'EDGE_BACKUP_KEEP', DEFAULT_BACKUP_KEEP)) };
}
