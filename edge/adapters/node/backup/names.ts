// A backup's name says when it was taken, in UTC, so names sort by time and rotation needs no
// file dates (which a copy to another disk changes): edge-2026-12-02T21-30-00.123Z.sqlite. The
// milliseconds keep apart two backups of the same second (the hour's and a day close's).

export const BACKUP_PREFIX = 'edge-';
export const BACKUP_SUFFIX = '.sqlite';

const NAME = /^edge-([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2})-([0-9]{2})-([0-9]{2})(\.[0-9]{3})?Z\.sqlite$/;

/** A time as a file name's part, UTC, sortable, without the colons some file systems refuse: 2026-12-02T21-30-00.123Z. */
export function fileStamp(at: number): string {
  return new Date(at).toISOString().replaceAll(':', '-');
}

/** The name of a backup taken at `at` (ms since the epoch). */
export function backupName(at: number): string {
  return `${BACKUP_PREFIX}${fileStamp(at)}${BACKUP_SUFFIX}`;
}

/** When the backup of this name was taken; undefined for any other file (rotation leaves those alone). */
export function backupTime(name: string): number | undefined {
  const match = NAME.exec(name);
  if (!match) return undefined;
  const at = Date.parse(`${match[1]}T${match[2]}:${match[3]}:${match[4]}${match[5] ?? ''}Z`);
  return Number.isNaN(at) ? undefined : at;
}

/** Where a backup is written before it is checked: a name rotation never counts, in the same folder (so the rename is atomic). */
export function temporaryName(name: string): string {
  return `.${name}.partial`;
}
