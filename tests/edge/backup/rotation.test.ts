import { describe, expect, it } from 'vitest';
import { backupName, backupTime } from '../../../edge/adapters/node/backup/names.js';
import { planRotation } from '../../../edge/adapters/node/backup/rotation.js';
import { backupSettings, parseBackupEvery, parseBackupKeep } from '../../../edge/adapters/node/backup/settings.js';

// Backups' names and their rotation, as pure functions: which files stay is decided by the names,
// the rules and the time alone.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-12-02T21:30:00.000Z');
const DEFAULT_KEEP = parseBackupKeep('48h,90d');

/** A backup every `stepMs` over the `spanMs` before NOW (the newest at NOW). */
function series(spanMs: number, stepMs: number): string[] {
  const names: string[] = [];
  for (let at = NOW; at > NOW - spanMs; at -= stepMs) names.push(backupName(at));
  return names;
}

describe('backup names', () => {
  it('say the UTC time to the millisecond, sort by it, and read back', () => {
    const at = Date.parse('2026-12-02T21:30:00.123Z');
    expect(backupName(at)).toBe('edge-2026-12-02T21-30-00.123Z.sqlite');
    expect(backupTime(backupName(at))).toBe(at);
    expect(backupTime('edge-2026-12-02T21-30-00Z.sqlite')).toBe(Date.parse('2026-12-02T21:30:00Z'));
    const names = [NOW + 1, NOW - DAY, NOW].map(backupName);
    expect([...names].sort()).toEqual([NOW - DAY, NOW, NOW + 1].map(backupName));
  });

  it('are told apart from every other file', () => {
    for (const other of ['last-failure.json', '.edge-2026-12-02T21-30-00.123Z.sqlite.partial', 'edge.sqlite', 'edge-2026-13-02T21-30-00Z.sqlite', 'edge-2026-12-02T21-30-00Z.sqlite-wal', 'notes.txt']) {
      expect(backupTime(other), other).toBeUndefined();
    }
  });
});

describe('backup settings', () => {
  it('read the schedule in minutes, hours or days, and 0/off', () => {
    expect(parseBackupEvery('1h')).toBe(HOUR);
    expect(parseBackupEvery('30m')).toBe(30 * 60_000);
    expect(parseBackupEvery('1d')).toBe(DAY);
    expect(parseBackupEvery('0')).toBe(0);
    expect(parseBackupEvery('off')).toBe(0);
    for (const bad of ['', '1', '0h', '1.5h', '10s', 'hourly', '-1h']) expect(() => parseBackupEvery(bad), bad).toThrow('EDGE_BACKUP_EVERY must be');
  });

  it('read the rotation as a list of counts of hours, days and weeks, or all', () => {
    expect(parseBackupKeep('48h,90d')).toEqual([{ count: 48, unit: 'h' }, { count: 90, unit: 'd' }]);
    expect(parseBackupKeep(' 24h, 14d ,8w')).toEqual([{ count: 24, unit: 'h' }, { count: 14, unit: 'd' }, { count: 8, unit: 'w' }]);
    expect(parseBackupKeep('all')).toBe('all');
    for (const bad of ['', '48', '0h', '48h,', '90 days', '3m']) expect(() => parseBackupKeep(bad), bad).toThrow('EDGE_BACKUP_KEEP must be');
  });

  it('default to hourly, 48h,90d, and a backups folder in the data folder', () => {
    expect(backupSettings({}, '/srv/till/data')).toEqual({ dir: '/srv/till/data/backups', everyMs: HOUR, keep: DEFAULT_KEEP });
    expect(backupSettings({ EDGE_BACKUP_DIR: '/mnt/usb/till', EDGE_BACKUP_EVERY: 'off', EDGE_BACKUP_KEEP: 'all' }, '/srv/till/data')).toEqual({ dir: '/mnt/usb/till', everyMs: 0, keep: 'all' });
  });
});

describe('the rotation', () => {
  it('keeps an hourly backup of the last 48 hours and one a day for 90 days (48h,90d)', () => {
    const names = series(200 * DAY, HOUR);
    const plan = planRotation(names, DEFAULT_KEEP, NOW);
    const kept = plan.keep.map((name) => backupTime(name) ?? 0);
    // 48 hourly slots (the current hour first: 2026-11-30 22:00 to 2026-12-02 21:59) and the newest
    // of each of 90 days: 23:30, or 21:30 today; the last three days' are among the hourly ones already.
    expect(kept.filter((at) => at > NOW - 48 * HOUR)).toHaveLength(48);
    const older = kept.filter((at) => at <= NOW - 48 * HOUR);
    expect(older).toHaveLength(90 - 3);
    expect(older.every((at) => new Date(at).toISOString().endsWith('T23:30:00.000Z'))).toBe(true);
    expect(Math.min(...kept)).toBeGreaterThan(NOW - 90 * DAY);
    expect(plan.keep.length + plan.remove.length).toBe(names.length);
  });

  it('keeps the newest of a slot: the day close backup gives way to the hourly one after it', () => {
    const close = backupName(NOW - 5 * DAY + 60_000);
    const hourly = backupName(NOW - 5 * DAY + 30 * 60_000);
    const plan = planRotation([close, hourly, backupName(NOW)], DEFAULT_KEEP, NOW);
    expect(plan.remove).toEqual([close]);
  });

  it('never removes the newest backup, however old, nor one dated after now', () => {
    const old = backupName(NOW - 400 * DAY);
    const older = backupName(NOW - 401 * DAY);
    const future = backupName(NOW + 2 * DAY);
    expect(planRotation([older, old], DEFAULT_KEEP, NOW)).toEqual({ keep: [old], remove: [older] });
    expect(planRotation([future, old], DEFAULT_KEEP, NOW).keep).toEqual([future, old]);
  });

  it('leaves files that are not backups alone, and removes nothing with "all"', () => {
    const names = ['last-failure.json', '.edge-x.partial', ...series(10 * DAY, HOUR)];
    const plan = planRotation(names, DEFAULT_KEEP, NOW);
    expect([...plan.keep, ...plan.remove]).not.toContain('last-failure.json');
    expect(planRotation(names, 'all', NOW)).toEqual({ keep: series(10 * DAY, HOUR), remove: [] });
  });

  it('counts weeks from Monday (UTC)', () => {
    // 2026-12-02 is a Wednesday: this week's slot holds Monday 2026-11-30, not Sunday 2026-11-29.
    const monday = backupName(Date.parse('2026-11-30T08:00:00Z'));
    const sunday = backupName(Date.parse('2026-11-29T08:00:00Z'));
    const lastWeek = backupName(Date.parse('2026-11-24T08:00:00Z'));
    const plan = planRotation([backupName(NOW), monday, sunday, lastWeek], parseBackupKeep('1w'), NOW);
    expect(plan).toEqual({ keep: [backupName(NOW)], remove: [monday, sunday, lastWeek] });
    expect(planRotation([backupName(NOW), monday, sunday, lastWeek], parseBackupKeep('2w'), NOW).keep).toEqual([backupName(NOW), sunday]);
  });

  it('gives the same plan whatever the order of the listing', () => {
    const names = series(20 * DAY, 7 * HOUR);
    const plan = planRotation(names, DEFAULT_KEEP, NOW);
    expect(planRotation([...names].reverse(), DEFAULT_KEEP, NOW)).toEqual(plan);
  });
});
