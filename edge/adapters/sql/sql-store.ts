import { isInFlight, type Payment, type PaymentEvent, type PaymentState } from '../../../shared/payments.js';
import type { MachineState, PaymentRecord } from '../../core/payments/machine.js';
import type { AuditLine } from '../../core/auth/audit.js';
import type { Product, ShopProfile } from '../../../shared/api.js';
import type { SqlDatabase } from './sql-database.js';
import { SqlLedger } from './sql-ledger.js';
import { parseLearnedProfile, type LearnedProfile } from '../../core/mypos/profile-sources.js';
import type { ProtocolProfileStore, AccessStore, CatalogueStore, DeviceRecord, InsertResult, PairingCodeRecord, PaymentStore, StoredExchange, TerminalRecord } from '../../core/ports.js';

// The edge's store in SQLite, for both runtimes (node:sqlite on Node, a Durable Object's SQL storage
// on Workers). One payment in flight per terminal is a partial unique index, so it holds even
// against a second process on the same file.

const SCHEMA = `
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
-- The first ledger (one amount per sale, before the cart); kept, read by nothing: see sqlite-ledger.ts.
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

interface PaymentRow {
  payment: string;
  machine: string;
}

interface EventRow {
  id: number;
  ruid: string;
  state: string;
  at: string;
  payment: string;
}

interface TerminalRow {
  tid: string;
  currency: string;
  state: string;
  code: string | null;
  updated_at: string;
  transport: string;
  address: string | null;
}

const TERMINAL_COLUMNS = 'tid, currency, state, code, updated_at, transport, address';

function toRecord(row: PaymentRow): PaymentRecord {
  return { payment: JSON.parse(row.payment) as Payment, machine: JSON.parse(row.machine) as MachineState };
}

function toEvent(row: EventRow): PaymentEvent {
  return { id: row.id, ruid: row.ruid, state: row.state as PaymentState, at: row.at, payment: JSON.parse(row.payment) as Payment };
}

function toTerminal(row: TerminalRow): TerminalRecord {
  return {
    tid: row.tid,
    currency: row.currency,
    transport: row.transport === 'lan' ? 'lan' : 'cloud',
    address: row.address ?? undefined,
    state: row.state as TerminalRecord['state'],
    code: row.code ?? undefined,
    updatedAt: row.updated_at,
  };
}

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  ruid: string | null;
  result: string;
  prev_hash: string;
  hash: string;
  /** Absent from a file made before the MAC (read by the verifier without migrating it). */
  mac?: string | null;
}

function toAuditLine(row: AuditRow): AuditLine {
  return { seq: row.seq, at: row.at, actor: row.actor, action: row.action, ruid: row.ruid ?? undefined, result: row.result, prevHash: row.prev_hash, hash: row.hash, mac: row.mac ?? undefined };
}

/** The audit lines of a database (the verifier opens the file read-only). */
export function readAuditLines(db: SqlDatabase): AuditLine[] {
  return (db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as unknown as AuditRow[]).map(toAuditLine);
}

export class SqlStore implements PaymentStore, AccessStore, CatalogueStore, ProtocolProfileStore {
  readonly ledger: SqlLedger;

  constructor(private readonly db: SqlDatabase) {
    this.db.exec(SCHEMA);
    this.ledger = new SqlLedger(this.db);
    // Terminals gained a transport (LAN terminals): add the columns to a store made before.
    const columns = (this.db.prepare('PRAGMA table_info(terminals)').all() as unknown as Array<{ name: string }>).map((column) => column.name);
    if (!columns.includes('transport')) this.db.exec("ALTER TABLE terminals ADD COLUMN transport TEXT NOT NULL DEFAULT 'cloud'; ALTER TABLE terminals ADD COLUMN address TEXT;");
    // Exchanges gained the answer order their signature verified under.
    const exchangeColumns = (this.db.prepare('PRAGMA table_info(exchanges)').all() as unknown as Array<{ name: string }>).map((column) => column.name);
    if (!exchangeColumns.includes('verified_as')) this.db.exec('ALTER TABLE exchanges ADD COLUMN verified_as TEXT;');
    // Audit lines gained their MAC: the lines before keep their hashes and none (the legacy prefix).
    const auditColumns = (this.db.prepare('PRAGMA table_info(audit_log)').all() as unknown as Array<{ name: string }>).map((column) => column.name);
    if (!auditColumns.includes('mac')) this.db.exec('ALTER TABLE audit_log ADD COLUMN mac TEXT;');
  }

  close(): void {
    this.db.close();
  }

  private transaction<T>(work: () => T): T {
    return this.db.transaction(work);
  }

  private appendEvent(payment: Payment): PaymentEvent {
    const at = payment.updatedAt;
    const info = this.db.prepare('INSERT INTO payment_events (ruid, state, at, payment) VALUES (?, ?, ?, ?)').run(payment.ruid, payment.state, at, JSON.stringify(payment));
    return { id: Number(info.lastInsertRowid), ruid: payment.ruid, state: payment.state, at, payment };
  }

  async insertPayment(record: PaymentRecord): Promise<InsertResult> {
    const { payment } = record;
    return this.transaction((): InsertResult => {
      const existing = this.db.prepare('SELECT payment, machine FROM payments WHERE ruid = ?').get(payment.ruid) as PaymentRow | undefined;
      if (existing) return { kind: 'exists', record: toRecord(existing) };
      const busy = this.db.prepare('SELECT ruid FROM payments WHERE tid = ? AND in_flight = 1').get(payment.tid) as { ruid: string } | undefined;
      if (busy) return { kind: 'busy', inFlightRuid: busy.ruid };
      try {
        this.db
          .prepare('INSERT INTO payments (ruid, tid, kind, state, in_flight, original_ruid, amount_cents, payment, machine) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)')
          .run(payment.ruid, payment.tid, payment.kind, payment.state, payment.originalRuid ?? null, payment.amountCents, JSON.stringify(payment), JSON.stringify(record.machine));
      } catch (error) {
        // The unique in-flight index is the guarantee; the check above only names the busy RUID.
        if (!(error instanceof Error && error.message.includes('UNIQUE constraint failed: payments.tid'))) throw error;
        return { kind: 'busy', inFlightRuid: 'another payment' };
      }
      return { kind: 'created', event: this.appendEvent(payment) };
    });
  }

  async getPayment(ruid: string): Promise<PaymentRecord | undefined> {
    const row = this.db.prepare('SELECT payment, machine FROM payments WHERE ruid = ?').get(ruid) as PaymentRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  async savePayment(record: PaymentRecord, withEvent: boolean): Promise<PaymentEvent | undefined> {
    const { payment } = record;
    return this.transaction(() => {
      const settled = payment.state === 'approved' ? Date.now() : null;
      this.db
        .prepare('UPDATE payments SET state = ?, in_flight = ?, payment = ?, machine = ?, settled_at = COALESCE(settled_at, ?) WHERE ruid = ?')
        .run(payment.state, isInFlight(payment.state) ? 1 : null, JSON.stringify(payment), JSON.stringify(record.machine), settled, payment.ruid);
      return withEvent ? this.appendEvent(payment) : undefined;
    });
  }

  async eventsAfter(ruid: string, afterId: number): Promise<PaymentEvent[]> {
    const rows = this.db.prepare('SELECT id, ruid, state, at, payment FROM payment_events WHERE ruid = ? AND id > ? ORDER BY id').all(ruid, afterId) as unknown as EventRow[];
    return rows.map(toEvent);
  }

  async lastEvent(ruid: string): Promise<PaymentEvent | undefined> {
    const row = this.db.prepare('SELECT id, ruid, state, at, payment FROM payment_events WHERE ruid = ? ORDER BY id DESC LIMIT 1').get(ruid) as EventRow | undefined;
    return row ? toEvent(row) : undefined;
  }

  async inFlight(): Promise<PaymentRecord[]> {
    const rows = this.db.prepare('SELECT payment, machine FROM payments WHERE in_flight = 1').all() as unknown as PaymentRow[];
    return rows.map(toRecord);
  }

  async lastSettledOnTerminal(tid: string): Promise<{ ruid: string; state: PaymentState } | undefined> {
    const row = this.db
      .prepare("SELECT ruid, state FROM payments WHERE tid = ? AND settled_at IS NOT NULL AND state IN ('approved', 'voided') ORDER BY settled_at DESC, rowid DESC LIMIT 1")
      .get(tid) as { ruid: string; state: PaymentState } | undefined;
    return row;
  }

  async refundedCents(originalRuid: string): Promise<number> {
    const row = this.db
      .prepare("SELECT COALESCE(SUM(amount_cents), 0) AS total FROM payments WHERE original_ruid = ? AND kind = 'refund' AND (in_flight = 1 OR state = 'approved')")
      .get(originalRuid) as { total: number };
    return row.total;
  }

  async linkedPayments(originalRuid: string): Promise<Payment[]> {
    return (this.db.prepare('SELECT payment FROM payments WHERE original_ruid = ? ORDER BY rowid').all(originalRuid) as unknown as Array<{ payment: string }>).map((row) => JSON.parse(row.payment) as Payment);
  }

  async recordExchange(exchange: StoredExchange): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO exchanges (phase, method, tid, ruid, attempt, request_xml, response_xml, http_status, verified, verified_as, error, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        exchange.phase,
        exchange.method,
        exchange.tid,
        exchange.ruid,
        exchange.attempt,
        exchange.requestXml,
        exchange.responseXml ?? null,
        exchange.httpStatus ?? null,
        exchange.verified === undefined ? null : exchange.verified ? 1 : 0,
        exchange.verifiedAs ?? null,
        exchange.error ?? null,
        exchange.startedAt,
        exchange.finishedAt,
      );
  }

  async loadProtocolProfile(): Promise<LearnedProfile | undefined> {
    const row = this.db.prepare('SELECT profile FROM mypos_profile WHERE id = 1').get() as { profile: string } | undefined;
    return row ? parseLearnedProfile(row.profile) : undefined;
  }

  async saveProtocolProfile(profile: LearnedProfile): Promise<void> {
    this.db.prepare('INSERT INTO mypos_profile (id, profile) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET profile = excluded.profile').run(JSON.stringify(profile));
  }

  /** The stored exchanges of one RUID, oldest first (for tests and audits). */
  exchangesOf(ruid: string): Array<{ phase: string; method: string; attempt: number; verified: number | null; verified_as: string | null; error: string | null; response_xml: string | null }> {
    return this.db.prepare('SELECT phase, method, attempt, verified, verified_as, error, response_xml FROM exchanges WHERE ruid = ? ORDER BY id').all(ruid) as unknown as Array<{
      phase: string;
      method: string;
      verified_as: string | null;
      attempt: number;
      verified: number | null;
      error: string | null;
      response_xml: string | null;
    }>;
  }

  async listTerminals(): Promise<TerminalRecord[]> {
    return (this.db.prepare(`SELECT ${TERMINAL_COLUMNS} FROM terminals ORDER BY tid`).all() as unknown as TerminalRow[]).map(toTerminal);
  }

  async getTerminal(tid: string): Promise<TerminalRecord | undefined> {
    const row = this.db.prepare(`SELECT ${TERMINAL_COLUMNS} FROM terminals WHERE tid = ?`).get(tid) as TerminalRow | undefined;
    return row ? toTerminal(row) : undefined;
  }

  async saveTerminal(terminal: TerminalRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO terminals (${TERMINAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(tid) DO UPDATE SET currency = excluded.currency, state = excluded.state, code = excluded.code, updated_at = excluded.updated_at, transport = excluded.transport, address = excluded.address`,
      )
      .run(terminal.tid, terminal.currency, terminal.state, terminal.code ?? null, terminal.updatedAt, terminal.transport, terminal.address ?? null);
  }

  async savePairingCode(code: PairingCodeRecord): Promise<void> {
    this.db.prepare('INSERT INTO pairing_codes (code_hash, code, used_at) VALUES (?, ?, NULL)').run(code.codeHash, JSON.stringify(code));
  }

  async redeemPairingCode(codeHash: string, now: number, device: Omit<DeviceRecord, 'role' | 'terminals'>): Promise<DeviceRecord | undefined> {
    return this.transaction(() => {
      const row = this.db.prepare('SELECT code, used_at FROM pairing_codes WHERE code_hash = ?').get(codeHash) as { code: string; used_at: number | null } | undefined;
      if (!row || row.used_at !== null) return undefined;
      const code = JSON.parse(row.code) as PairingCodeRecord;
      if (code.expiresAt <= now) return undefined;
      this.db.prepare('UPDATE pairing_codes SET used_at = ? WHERE code_hash = ?').run(now, codeHash);
      const created: DeviceRecord = { ...device, role: code.role, terminals: code.terminals };
      this.db.prepare('INSERT INTO devices (id, token_hash, device) VALUES (?, ?, ?)').run(created.id, created.tokenHash, JSON.stringify(created));
      return created;
    });
  }

  async deviceByTokenHash(tokenHash: string): Promise<DeviceRecord | undefined> {
    const row = this.db.prepare('SELECT device FROM devices WHERE token_hash = ?').get(tokenHash) as { device: string } | undefined;
    return row ? (JSON.parse(row.device) as DeviceRecord) : undefined;
  }

  async getDevice(id: string): Promise<DeviceRecord | undefined> {
    const row = this.db.prepare('SELECT device FROM devices WHERE id = ?').get(id) as { device: string } | undefined;
    return row ? (JSON.parse(row.device) as DeviceRecord) : undefined;
  }

  async listDevices(): Promise<DeviceRecord[]> {
    return (this.db.prepare('SELECT device FROM devices ORDER BY rowid').all() as unknown as Array<{ device: string }>).map((row) => JSON.parse(row.device) as DeviceRecord);
  }

  async saveDevice(device: DeviceRecord): Promise<void> {
    this.db.prepare('UPDATE devices SET device = ? WHERE id = ?').run(JSON.stringify(device), device.id);
  }

  async lastAuditLine(): Promise<AuditLine | undefined> {
    const row = this.db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1').get() as AuditRow | undefined;
    return row ? toAuditLine(row) : undefined;
  }

  async insertAuditLine(line: AuditLine): Promise<boolean> {
    try {
      this.db
        .prepare('INSERT INTO audit_log (seq, at, actor, action, ruid, result, prev_hash, hash, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(line.seq, line.at, line.actor, line.action, line.ruid ?? null, line.result, line.prevHash, line.hash, line.mac ?? null);
      return true;
    } catch (error) {
      if (error instanceof Error && error.message.includes('UNIQUE constraint failed: audit_log.seq')) return false;
      throw error;
    }
  }

  async auditLines(): Promise<AuditLine[]> {
    return (this.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as unknown as AuditRow[]).map(toAuditLine);
  }

  async saveProduct(product: Product): Promise<void> {
    this.db.prepare('INSERT INTO products (id, product) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET product = excluded.product').run(product.id, JSON.stringify(product));
  }

  async listProducts(): Promise<Product[]> {
    return (this.db.prepare('SELECT product FROM products ORDER BY rowid').all() as unknown as Array<{ product: string }>).map((row) => JSON.parse(row.product) as Product);
  }

  async getShop(): Promise<ShopProfile | undefined> {
    const row = this.db.prepare('SELECT profile FROM shop WHERE id = 1').get() as { profile: string } | undefined;
    return row ? (JSON.parse(row.profile) as ShopProfile) : undefined;
  }

  async saveShop(profile: ShopProfile): Promise<void> {
    this.db.prepare('INSERT INTO shop (id, profile) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET profile = excluded.profile').run(JSON.stringify(profile));
  }

  async ping(): Promise<boolean> {
    return (this.db.prepare('SELECT 1 AS one').get() as { one: number }).one === 1;
  }
}
