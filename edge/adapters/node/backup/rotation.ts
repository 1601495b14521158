import { backupTime } from './names.js';
import type { KeepRule } from './settings.js';

// Which backups stay, as a pure function of their names, the rules and the time (tested alone).
// A rule `48h` keeps the newest backup of each of the last 48 UTC hours (the current hour being the
// first), `90d` the newest of each of the last 90 UTC days, `8w` of each of the last 8 weeks
// (Monday to Sunday, UTC). A backup kept by any rule stays. The newest backup always stays, however
// old (a shop closed for a season still has its books), and so does one dated after `now` (the
// clock was set back: better kept than judged). Names that are not backups are never touched.

const SLOT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;
/** 1970-01-01 was a Thursday: weeks counted from the epoch plus three days start on Monday. */
const WEEK_SHIFT_MS = 3 * 86_400_000;

function slotOf(at: number, unit: KeepRule['unit']): number {
  return Math.floor((unit === 'w' ? at + WEEK_SHIFT_MS : at) / SLOT_MS[unit]);
}

export interface RotationPlan {
  readonly keep: readonly string[];
  readonly remove: readonly string[];
}

export function planRotation(names: readonly string[], rules: readonly KeepRule[] | 'all', now: number): RotationPlan {
  const backups = names.flatMap((name) => {
    const at = backupTime(name);
    return at === undefined ? [] : [{ name, at }];
  });
  // Newest first (ties by name, so the plan never depends on the listing's order).
  backups.sort((a, b) => b.at - a.at || (a.name < b.name ? 1 : -1));
  if (rules === 'all') return { keep: backups.map((b) => b.name), remove: [] };
  const kept = new Set<string>();
  for (const backup of backups) if (backup.at > now) kept.add(backup.name);
  const newest = backups.find((backup) => backup.at <= now);
  if (newest) kept.add(newest.name);
  for (const rule of rules) {
    const current = slotOf(now, rule.unit);
    const seen = new Set<number>();
    for (const backup of backups) {
      const slot = slotOf(backup.at, rule.unit);
      if (slot > current || slot <= current - rule.count || seen.has(slot)) continue;
      // The first met is the slot's newest (newest first).
      seen.add(slot);
      kept.add(backup.name);
    }
  }
  return { keep: backups.filter((b) => kept.has(b.name)).map((b) => b.name), remove: backups.filter((b) => !kept.has(b.name)).map((b) => b.name) };
}
