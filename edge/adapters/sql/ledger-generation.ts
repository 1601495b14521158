import type { SqlDatabase } from './sql-database.js';

// The ledger's generation: a random id that changes whenever the ledger is replaced by an older
// copy of itself (npm run restore). A till that saw another generation knows the edge may have
// lost sales it sent before, and can send them again. It lives in ledger_meta (migration 4), so it
// travels inside the database file, and a backup carries the generation it was taken in.

const GENERATION_KEY = 'generation';

/** 128 random bits as hex: no clock in it, so two restores in the same second still differ. */
function newId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

const setMeta = (db: SqlDatabase, key: string, value: string) => db.prepare('INSERT INTO ledger_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
const meta = (db: SqlDatabase, key: string) => (db.prepare('SELECT value FROM ledger_meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;

/** The current generation; a ledger that has none yet (made before migration 4 ran) gets one now. */
export function ledgerGeneration(db: SqlDatabase): string {
  // OR IGNORE: two processes reading at once agree on the first one written.
  db.prepare('INSERT OR IGNORE INTO ledger_meta (key, value) VALUES (?, ?)').run(GENERATION_KEY, newId());
  const generation = meta(db, GENERATION_KEY);
  if (generation === undefined) throw new Error('ledger_meta: the generation row is missing right after it was written');
  return generation;
}

const RESTORED_KEY = 'restored';

/** Starts a new generation (after a restore) and answers it; the books are marked restored. */
export function renewLedgerGeneration(db: SqlDatabase): string {
  const generation = newId();
  setMeta(db, GENERATION_KEY, generation);
  setMeta(db, RESTORED_KEY, '1');
  return generation;
}

/**
 * Books restored from a backup may lack numbers a device printed since: its new sales wait until
 * it has said the highest number it printed (POST /api/sales/printed) in this generation.
 */
export function mustTellPrinted(db: SqlDatabase, by: string): boolean {
  return meta(db, RESTORED_KEY) === '1' && meta(db, `told:${by}`) !== ledgerGeneration(db);
}

const PRINTED_KEY = 'printed_up_to';

/**
 * The highest receipt number the tills say they printed (after a restore, numbers the restored
 * ledger has not given again yet). New sales are numbered after it, so they never take the number
 * of a sale a till is still to send again; it only grows.
 */
export function printedUpTo(db: SqlDatabase): number {
  return Number(meta(db, PRINTED_KEY) ?? '0');
}

/** `by` (a device) said the highest number it printed, in this generation; the mark rises to it. */
export function notePrintedUpTo(db: SqlDatabase, no: number, by: string): void {
  setMeta(db, `told:${by}`, ledgerGeneration(db));
  db.prepare('INSERT INTO ledger_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE CAST(ledger_meta.value AS INTEGER) < CAST(excluded.value AS INTEGER)').run(PRINTED_KEY, String(no));
}
