import { isInFlight, isTerminalTransport, type Payment, type PaymentEvent, type PaymentState } from '../../../shared/payments.js';
import type { MachineState, PaymentRecord } from '../../core/payments/machine.js';
import type { InsertResult, PaymentStore, StoredExchange, TerminalRecord } from '../../core/ports.js';
import type { SqlDatabase } from './sql-database.js';

// PaymentStore in SQLite: payments and their events, the myPOS exchanges, the terminals. One
// payment in flight per lane (a terminal) is a partial unique index (payments_one_in_flight_per_lane), so
// it holds even against a second process on the same file.

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
    // Rows from before LAN terminals have none: the cloud.
    transport: isTerminalTransport(row.transport) ? row.transport : 'cloud',
    address: row.address ?? undefined,
    state: row.state as TerminalRecord['state'],
    code: row.code ?? undefined,
    updatedAt: row.updated_at,
  };
}

export class PaymentRepository implements PaymentStore {
  constructor(private readonly db: SqlDatabase) {}

  private appendEvent(payment: Payment): PaymentEvent {
    const at = payment.updatedAt;
    const info = this.db.prepare('INSERT INTO payment_events (ruid, state, at, payment) VALUES (?, ?, ?, ?)').run(payment.ruid, payment.state, at, JSON.stringify(payment));
    return { id: Number(info.lastInsertRowid), ruid: payment.ruid, state: payment.state, at, payment };
  }

  async insertPayment(record: PaymentRecord, lane: string = record.payment.tid): Promise<InsertResult> {
    const { payment } = record;
    return this.db.transaction((): InsertResult => {
      const existing = this.db.prepare('SELECT payment, machine FROM payments WHERE ruid = ?').get(payment.ruid) as PaymentRow | undefined;
      if (existing) return { kind: 'exists', record: toRecord(existing) };
      const busy = this.db.prepare('SELECT ruid FROM payments WHERE lane = ? AND in_flight = 1').get(lane) as { ruid: string } | undefined;
      if (busy) return { kind: 'busy', inFlightRuid: busy.ruid };
      try {
        this.db
          // Stored final (a lost payment myPOS confirmed): not in flight, and without settled_at, so it
          // is never taken for the terminal's last transaction (MPRLastTxnVoid, the repeat warning).
          .prepare('INSERT INTO payments (ruid, tid, lane, kind, state, in_flight, original_ruid, amount_cents, payment, machine) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(payment.ruid, payment.tid, lane, payment.kind, payment.state, isInFlight(payment.state) ? 1 : null, payment.originalRuid ?? null, payment.amountCents, JSON.stringify(payment), JSON.stringify(record.machine));
      } catch (error) {
        // The unique in-flight index is the guarantee; the check above only names the busy RUID.
        if (!(error instanceof Error && error.message.includes('UNIQUE constraint failed: payments.lane'))) throw error;
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
    return this.db.transaction(() => {
      const settled = payment.state === 'approved' ? Date.now() : null;
      this.db
        .prepare('UPDATE payments SET state = ?, in_flight = ?, payment = ?, machine = ?, settled_at = COALESCE(settled_at, ?) WHERE ruid = ?')
        .run(payment.state, isInFlight(payment.state) ? 1 : null, JSON.stringify(payment), JSON.stringify(record.machine), settled, payment.ruid);
      return withEvent ? this.appendEvent(payment) : undefined;
    });
  }

  async eventsAfter(ruid: string, afterId: number): Promise<PaymentEvent[]> {
    const rows = this.db.prepare('SELECT id, ruid, state, at, payment FROM payment_events WHERE ruid = ? AND id > ? ORDER BY id').all(ruid, afterId) as EventRow[];
    return rows.map(toEvent);
  }

  async lastEvent(ruid: string): Promise<PaymentEvent | undefined> {
    const row = this.db.prepare('SELECT id, ruid, state, at, payment FROM payment_events WHERE ruid = ? ORDER BY id DESC LIMIT 1').get(ruid) as EventRow | undefined;
    return row ? toEvent(row) : undefined;
  }

  async inFlight(): Promise<PaymentRecord[]> {
    const rows = this.db.prepare('SELECT payment, machine FROM payments WHERE in_flight = 1').all() as PaymentRow[];
    return rows.map(toRecord);
  }

  async lastSettledOnTerminal(tid: string): Promise<{ ruid: string; state: PaymentState } | undefined> {
    return this.db
      .prepare("SELECT ruid, state FROM payments WHERE tid = ? AND settled_at IS NOT NULL AND state IN ('approved', 'voided') ORDER BY settled_at DESC, rowid DESC LIMIT 1")
      .get(tid) as { ruid: string; state: PaymentState } | undefined;
  }

  async refundedCents(originalRuid: string): Promise<number> {
    const row = this.db
      .prepare("SELECT COALESCE(SUM(amount_cents), 0) AS total FROM payments WHERE original_ruid = ? AND kind = 'refund' AND (in_flight = 1 OR state = 'approved')")
      .get(originalRuid) as { total: number };
    return row.total;
  }

  async linkedPayments(originalRuid: string): Promise<Payment[]> {
    return (this.db.prepare('SELECT payment FROM payments WHERE original_ruid = ? ORDER BY rowid').all(originalRuid) as Array<{ payment: string }>).map((row) => JSON.parse(row.payment) as Payment);
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

  async listTerminals(): Promise<TerminalRecord[]> {
    return (this.db.prepare(`SELECT ${TERMINAL_COLUMNS} FROM terminals ORDER BY tid`).all() as TerminalRow[]).map(toTerminal);
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

  async ping(): Promise<boolean> {
    return (this.db.prepare('SELECT 1 AS one').get() as { one: number }).one === 1;
  }
}
