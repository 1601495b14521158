import { baseline } from './migrations/0001-baseline.js';
import type { SqlDatabase } from './sql-database.js';

// The schema's history, oldest first. A database records the number of the last migration it
// holds (SqlDatabase.schemaVersion: PRAGMA user_version on Node, a table on a Durable Object) and
// runs the ones after it at open. Each runs in one transaction with its version bump, so a crash
// or a failed statement leaves the database at the version before, never between two.
//
// A change to the schema is a new migration at the end of the list: never edit one that shipped,
// since databases out there already hold it and will not run it again.

export interface Migration {
  readonly version: number;
  /** What it changes, for the log and the reader. */
  readonly name: string;
  /** The change itself; runs inside the migration's transaction. */
  up(db: SqlDatabase): void;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'the schema of 2026-12 (before numbered migrations), with the upgrades it ran at each start', up: baseline },
  { version: 2, name: 'drop the first ledger (sales: one amount per sale, before the cart), read by nothing', up: (db) => db.exec('DROP TABLE IF EXISTS sales') },
  {
    version: 3,
    name: 'one payment in flight per lane (a terminal, or one checkout link), not per terminal id',
    up: (db) =>
      db.exec(`ALTER TABLE payments ADD COLUMN lane TEXT;
UPDATE payments SET lane = tid;
DROP INDEX IF EXISTS payments_one_in_flight_per_tid;
CREATE UNIQUE INDEX payments_one_in_flight_per_lane ON payments(lane) WHERE in_flight = 1;`),
  },
  {
    version: 4,
    name: 'ledger_meta: facts about the ledger as a whole (its generation, new at every restore: ledger-generation.ts)',
    up: (db) => db.exec('CREATE TABLE IF NOT EXISTS ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)'),
  },
  {
    version: 5,
    name: 'lost_payments: card payments restored books lost that myPOS did not confirm, for the day close (lost-payments.ts)',
    up: (db) =>
      db.exec(`CREATE TABLE IF NOT EXISTS lost_payments (
  ruid TEXT PRIMARY KEY, tid TEXT NOT NULL, amount_cents INTEGER NOT NULL, currency TEXT NOT NULL,
  reason TEXT NOT NULL, asked_by TEXT NOT NULL, asked_at TEXT NOT NULL
)`),
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/** Brings the database to the last version of migrations (the edge's own by default); answers the versions it ran (none when already there). */
export function migrate(db: SqlDatabase, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const latest = migrations.at(-1)?.version ?? 0;
  const found = db.schemaVersion();
  // Written by a newer edge: its tables may mean things this code does not know, so it is not touched.
  if (found > latest) throw new Error(`the database is at schema version ${found}, newer than this edge knows (${latest}): run the newer edge`);
  const ran: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= found) continue;
    db.transaction(() => {
      // Read again under the write lock: another process on the same file may have run it meanwhile.
      if (db.schemaVersion() >= migration.version) return;
      migration.up(db);
      db.setSchemaVersion(migration.version);
      ran.push(migration.version);
    });
  }
  return ran;
}
