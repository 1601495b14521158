import type { Payment } from '../../../shared/payments.js';
import { reportOf } from '../../core/day-close.js';
import type { CashRefundRecord, CashRefundResult, DayCloseInput, DayCloseRecord, LedgerPeriod, LedgerRefund, LedgerStore, PutSaleResult, StoredSale } from '../../core/ports.js';
import type { SqlDatabase } from './sql-database.js';

// The ledger in SQLite (both runtimes). A day close writes one row per event it takes (day_close_items), so which
// report holds a sale, void or refund is fixed when the day is closed, and the report can be
// rebuilt from those events at any time. (Sales of the first, cart-less ledger stay in `sales`.)

export const LEDGER_SCHEMA = `
CREATE TABLE IF NOT EXISTS ledger_sales (
  id TEXT PRIMARY KEY,
  payment_ruid TEXT,
  sale TEXT NOT NULL,
  received_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_sales_payment ON ledger_sales(payment_ruid);
CREATE TABLE IF NOT EXISTS cash_refunds (
  id TEXT PRIMARY KEY,
  sale_id TEXT NOT NULL,
  cents INTEGER NOT NULL,
  refund TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS cash_refunds_sale ON cash_refunds(sale_id);
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

type ItemKind = 'sale' | 'void' | 'card_refund' | 'cash_refund';

interface Event<T> {
  readonly kind: ItemKind;
  readonly id: string;
  readonly value: T;
}

export class SqlLedger implements LedgerStore {
  constructor(private readonly db: SqlDatabase) {
    db.exec(LEDGER_SCHEMA);
  }

  async putSale(sale: StoredSale): Promise<PutSaleResult> {
    return this.db.transaction((): PutSaleResult => {
      const existing = this.saleById(sale.id);
      if (existing) {
        const { receivedAt: _a, ...left } = existing;
        const { receivedAt: _b, ...right } = sale;
        return { kind: JSON.stringify(left) === JSON.stringify(right) ? 'same' : 'conflict', sale: existing };
      }
      this.db.prepare('INSERT INTO ledger_sales (id, payment_ruid, sale, received_at) VALUES (?, ?, ?, ?)').run(sale.id, sale.paymentRuid ?? null, JSON.stringify(sale), sale.receivedAt);
      return { kind: 'created', sale };
    });
  }

  async getSale(id: string): Promise<StoredSale | undefined> {
    return this.saleById(id);
  }

  async listSales(): Promise<StoredSale[]> {
    return (this.db.prepare('SELECT sale FROM ledger_sales ORDER BY received_at, id').all() as unknown as Array<{ sale: string }>).map((row) => JSON.parse(row.sale) as StoredSale);
  }

  async addCashRefund(refund: CashRefundRecord): Promise<CashRefundResult> {
    return this.db.transaction((): CashRefundResult => {
      const existing = this.db.prepare('SELECT refund FROM cash_refunds WHERE id = ?').get(refund.id) as { refund: string } | undefined;
      if (existing) {
        const stored = JSON.parse(existing.refund) as CashRefundRecord;
        const same = stored.saleId === refund.saleId && stored.cents === refund.cents;
        return { kind: same ? 'same' : 'conflict', refund: stored };
      }
      const sale = this.saleById(refund.saleId);
      if (!sale) return { kind: 'no_sale' };
      const { total } = this.db.prepare('SELECT COALESCE(SUM(cents), 0) AS total FROM cash_refunds WHERE sale_id = ?').get(refund.saleId) as { total: number };
      const refundableCents = Math.max(sale.cashKeptCents - total, 0);
      if (refund.cents > refundableCents) return { kind: 'over', refundableCents };
      this.db.prepare('INSERT INTO cash_refunds (id, sale_id, cents, refund) VALUES (?, ?, ?, ?)').run(refund.id, refund.saleId, refund.cents, JSON.stringify(refund));
      return { kind: 'created', refund };
    });
  }

  async cashRefunds(saleId: string): Promise<CashRefundRecord[]> {
    return (this.db.prepare('SELECT refund FROM cash_refunds WHERE sale_id = ? ORDER BY rowid').all(saleId) as unknown as Array<{ refund: string }>).map((row) => JSON.parse(row.refund) as CashRefundRecord);
  }

  async period(no?: number): Promise<LedgerPeriod> {
    return this.periodEvents(no).period;
  }

  async closeDay(close: DayCloseInput): Promise<DayCloseRecord> {
    return this.db.transaction(() => {
      const { period, events } = this.periodEvents(undefined);
      const { last } = this.db.prepare('SELECT COALESCE(MAX(no), 0) AS last FROM day_closes').get() as { last: number };
      const record: DayCloseRecord = { no: last + 1, closedAt: close.closedAt, closedBy: close.closedBy, report: reportOf(period, close.openingFloatCents, close.countedCashCents) };
      this.db.prepare('INSERT INTO day_closes (no, closed_at, record) VALUES (?, ?, ?)').run(record.no, record.closedAt, JSON.stringify(record));
      const insert = this.db.prepare('INSERT INTO day_close_items (kind, id, close_no) VALUES (?, ?, ?)');
      for (const event of events) insert.run(event.kind, event.id, record.no);
      return record;
    });
  }

  async listDayCloses(): Promise<DayCloseRecord[]> {
    return (this.db.prepare('SELECT record FROM day_closes ORDER BY no DESC').all() as unknown as Array<{ record: string }>).map((row) => JSON.parse(row.record) as DayCloseRecord);
  }

  async getDayClose(no: number): Promise<DayCloseRecord | undefined> {
    const row = this.db.prepare('SELECT record FROM day_closes WHERE no = ?').get(no) as { record: string } | undefined;
    return row ? (JSON.parse(row.record) as DayCloseRecord) : undefined;
  }

  private saleById(id: string): StoredSale | undefined {
    const row = this.db.prepare('SELECT sale FROM ledger_sales WHERE id = ?').get(id) as { sale: string } | undefined;
    return row ? (JSON.parse(row.sale) as StoredSale) : undefined;
  }

  private saleByPayment(ruid: string): StoredSale | undefined {
    const row = this.db.prepare('SELECT sale FROM ledger_sales WHERE payment_ruid = ?').get(ruid) as { sale: string } | undefined;
    return row ? (JSON.parse(row.sale) as StoredSale) : undefined;
  }

  /** SQL that keeps the events of the open period (no undefined) or of close no. */
  private static inPeriod(kind: ItemKind, column: string, no: number | undefined): { sql: string; args: Array<string | number> } {
    return no === undefined
      ? { sql: `${column} NOT IN (SELECT id FROM day_close_items WHERE kind = ?)`, args: [kind] }
      : { sql: `${column} IN (SELECT id FROM day_close_items WHERE kind = ? AND close_no = ?)`, args: [kind, no] };
  }

  private rows<T>(sql: string, args: Array<string | number>): T[] {
    return this.db.prepare(sql).all(...(args as Array<string | number>)) as unknown as T[];
  }

  private periodEvents(no: number | undefined): { period: LedgerPeriod; events: Array<Event<unknown>> } {
    const sales = this.select('sale', 'id', no, (where) => this.rows<{ id: string; sale: string }>(`SELECT id, sale FROM ledger_sales WHERE ${where.sql} ORDER BY received_at, id`, where.args).map((row) => ({ id: row.id, value: JSON.parse(row.sale) as StoredSale })));
    // A void counts once its sale is in the ledger (a till may sync the sale after the void).
    const voids = this.select('void', 'p.ruid', no, (where) =>
      this.rows<{ ruid: string; sale: string }>(`SELECT p.ruid, s.sale FROM payments p JOIN ledger_sales s ON s.payment_ruid = p.ruid WHERE p.kind = 'purchase' AND p.state = 'voided' AND ${where.sql} ORDER BY p.settled_at, p.ruid`, where.args).map((row) => ({
        id: row.ruid,
        value: JSON.parse(row.sale) as StoredSale,
      })),
    );
    const cardRefunds = this.select('card_refund', 'ruid', no, (where) =>
      this.rows<{ ruid: string; payment: string }>(`SELECT ruid, payment FROM payments WHERE kind = 'refund' AND state = 'approved' AND ${where.sql} ORDER BY settled_at, ruid`, where.args).map((row) => {
        const payment = JSON.parse(row.payment) as Payment;
        const refund: LedgerRefund = { id: payment.ruid, kind: 'card', cents: payment.amountCents, sale: payment.originalRuid ? this.saleByPayment(payment.originalRuid) : undefined, tid: payment.tid };
        return { id: row.ruid, value: refund };
      }),
    );
    const cashRefunds = this.select('cash_refund', 'id', no, (where) =>
      this.rows<{ id: string; refund: string }>(`SELECT id, refund FROM cash_refunds WHERE ${where.sql} ORDER BY rowid`, where.args).map((row) => {
        const stored = JSON.parse(row.refund) as CashRefundRecord;
        const refund: LedgerRefund = { id: stored.id, kind: 'cash', cents: stored.cents, sale: this.saleById(stored.saleId), tid: undefined };
        return { id: row.id, value: refund };
      }),
    );
    return {
      period: { sales: sales.map((e) => e.value), voids: voids.map((e) => e.value), refunds: [...cardRefunds, ...cashRefunds].map((e) => e.value) },
      events: [...sales, ...voids, ...cardRefunds, ...cashRefunds],
    };
  }

  private select<T>(kind: ItemKind, column: string, no: number | undefined, query: (where: { sql: string; args: Array<string | number> }) => Array<{ id: string; value: T }>): Array<Event<T>> {
    return query(SqlLedger.inPeriod(kind, column, no)).map((row) => ({ kind, id: row.id, value: row.value }));
  }
}
