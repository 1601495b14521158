import type { SqlDatabase } from '../sql-database.js';

// Migration 1: the schema as the edge made it before numbered migrations (2026-12), and the
// upgrades it ran at every start by probing the tables. A database at version 0 is either new or
// made by that edge, at any of its ages (no user_version was ever set then). Rather than tell the
// two apart, this migration is written to be right for both: every CREATE is IF NOT EXISTS, every
// added column is added only when missing, the backfill only fills what is empty. So a new file
// and an old one both end as the schema of 2026-12 exactly, and a file left half made converges.
// Do not change it: a later change is a new migration (edge/adapters/sql/migrations.ts).

const STORE_SCHEMA = `
CREATE TABLE IF NOT EXISTS payments (
  ruid TEXT PRIMARY KEY,
  tid TEXT NOT NULL,
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  in_flight INTEGER,
  original_ruid TEXT,
  amount_cents INTEGER NOT NULL,
  payment TEXT NOT NULL,
  machine TEXT NOT NULL,
  settled_at INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS payments_one_in_flight_per_tid ON payments(tid) WHERE in_flight = 1;
CREATE INDEX IF NOT EXISTS payments_original ON payments(original_ruid);
CREATE TABLE IF NOT EXISTS payment_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ruid TEXT NOT NULL,
  state TEXT NOT NULL,
  at TEXT NOT NULL,
  payment TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS payment_events_ruid ON payment_events(ruid, id);
CREATE TABLE IF NOT EXISTS exchanges (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  phase TEXT NOT NULL,
  method TEXT NOT NULL,
  tid TEXT NOT NULL,
  ruid TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  request_xml TEXT NOT NULL,
  response_xml TEXT,
  http_status INTEGER,
  verified INTEGER,
  error TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS exchanges_ruid ON exchanges(ruid);
-- The first ledger (one amount per sale, before the cart); read by nothing, dropped by migration 2.
CREATE TABLE IF NOT EXISTS sales (
  id TEXT PRIMARY KEY,
  sale TEXT NOT NULL,
  received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS devices (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  device TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pairing_codes (
  code_hash TEXT PRIMARY KEY,
  code TEXT NOT NULL,
  used_at INTEGER
);
CREATE TABLE IF NOT EXISTS audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  ruid TEXT,
  result TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  mac TEXT
);
-- Append-only: the edge never changes or deletes a line; the hash and MAC chain show if anyone did
-- (mac: HMAC with the audit key, kept apart from this database; NULL on lines made before it).
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE IF NOT EXISTS products (
  id TEXT PRIMARY KEY,
  product TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS shop (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  profile TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS mypos_profile (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  profile TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS terminals (
  tid TEXT PRIMARY KEY,
  currency TEXT NOT NULL,
  state TEXT NOT NULL,
  code TEXT,
  updated_at TEXT NOT NULL
);
`;

// The ledger keeps which report holds each event (day_close_items), and three rules: a card
// payment is booked in at most one sale (payment_bookings), receipt numbers are given once and
// without gaps (sale_numbers), give-backs are claimed against the limits (give_backs).
const LEDGER_SCHEMA = `
CREATE TABLE IF NOT EXISTS ledger_sales (
  id TEXT PRIMARY KEY,
  payment_ruid TEXT,
  sale TEXT NOT NULL,
  received_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_sales_payment ON ledger_sales(payment_ruid);
CREATE TABLE IF NOT EXISTS payment_bookings (
  payment_ruid TEXT PRIMARY KEY,
  sale_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sale_numbers (
  sale_id TEXT PRIMARY KEY,
  receipt_no INTEGER NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS cash_refunds (
  id TEXT PRIMARY KEY,
  sale_id TEXT NOT NULL,
  cents INTEGER NOT NULL,
  refund TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS cash_refunds_sale ON cash_refunds(sale_id);
CREATE TABLE IF NOT EXISTS give_backs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  sale_id TEXT,
  payment_ruid TEXT,
  actor TEXT NOT NULL,
  cents INTEGER NOT NULL,
  currency TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  released INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS give_backs_sale ON give_backs(sale_id);
CREATE INDEX IF NOT EXISTS give_backs_payment ON give_backs(payment_ruid);
CREATE INDEX IF NOT EXISTS give_backs_actor ON give_backs(actor, at_ms);
CREATE TABLE IF NOT EXISTS day_closes (
  no INTEGER PRIMARY KEY,
  closed_at TEXT NOT NULL,
  record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS day_close_items (
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  close_no INTEGER NOT NULL,
  PRIMARY KEY (kind, id)
);
`;

// Sales booked before receipt numbers and the one-booking rule get theirs now, in booking order (the first booking of a payment wins).
const LEDGER_BACKFILL = `
INSERT OR IGNORE INTO payment_bookings (payment_ruid, sale_id) SELECT payment_ruid, id FROM ledger_sales WHERE payment_ruid IS NOT NULL ORDER BY received_at, id;
INSERT INTO sale_numbers (sale_id, receipt_no)
  SELECT id, (SELECT COALESCE(MAX(receipt_no), 0) FROM sale_numbers) + ROW_NUMBER() OVER (ORDER BY received_at, id)
  FROM ledger_sales WHERE id NOT IN (SELECT sale_id FROM sale_numbers);
`;

/** Columns the tables gained after they were first made, each added to a file made before it. */
const ADDED_COLUMNS: ReadonlyArray<{ readonly table: string; readonly column: string; readonly add: string }> = [
  // Terminals gained a transport (LAN terminals).
  { table: 'terminals', column: 'transport', add: "ALTER TABLE terminals ADD COLUMN transport TEXT NOT NULL DEFAULT 'cloud'; ALTER TABLE terminals ADD COLUMN address TEXT;" },
  // Exchanges gained the answer order their signature verified under.
  { table: 'exchanges', column: 'verified_as', add: 'ALTER TABLE exchanges ADD COLUMN verified_as TEXT;' },
  // Audit lines gained their MAC: the lines before keep their hashes and none (the legacy prefix).
  { table: 'audit_log', column: 'mac', add: 'ALTER TABLE audit_log ADD COLUMN mac TEXT;' },
];

function columnsOf(db: SqlDatabase, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((column) => column.name);
}

export function baseline(db: SqlDatabase): void {
  db.exec(STORE_SCHEMA);
  db.exec(LEDGER_SCHEMA);
  db.exec(LEDGER_BACKFILL);
  for (const { table, column, add } of ADDED_COLUMNS) if (!columnsOf(db, table).includes(column)) db.exec(add);
}
