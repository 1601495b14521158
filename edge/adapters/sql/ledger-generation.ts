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

/** The current generation; a ledger that has none yet (made before migration 4 ran) gets one now. */
export function ledgerGeneration(db: SqlDatabase): string {
  // OR IGNORE: two processes reading at once agree on the first one written.
  db.prepare('INSERT OR IGNORE INTO ledger_meta (key, value) VALUES (?, ?)').run(GENERATION_KEY, newId());
  const row = db.prepare('SELECT value FROM ledger_meta WHERE key = ?').get(GENERATION_KEY) as { value: string } | undefined;
  if (!row) throw new Error('ledger_meta: the generation row is missing right after it was written');
  return row.value;
}

/** Starts a new generation (after a restore) and answers it. */
export function renewLedgerGeneration(db: SqlDatabase): string {
  const generation = newId();
  db.prepare('INSERT INTO ledger_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(GENERATION_KEY, generation);
  return generation;
}

const PRINTED_KEY = 'printed_up_to';

/**
 * The highest receipt number the tills say they printed (after a restore, numbers the restored
 * ledger has not given again yet). New sales are numbered after it, so they never take the number
 * of a sale a till is still to send again; it only grows, and by at most MAX_PRINTED_STEP at once.
 */
export function printedUpTo(db: SqlDatabase): number {
  const row = db.prepare('SELECT value FROM ledger_meta WHERE key = ?').get(PRINTED_KEY) as { value: string } | undefined;
  return row ? Number(row.value) : 0;
}

export function notePrintedUpTo(db: SqlDatabase, no: number): void {
  db.prepare('INSERT INTO ledger_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE CAST(ledger_meta.value AS INTEGER) < CAST(excluded.value AS INTEGER)').run(PRINTED_KEY, String(no));
}
