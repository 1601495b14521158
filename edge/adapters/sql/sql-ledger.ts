import type { Payment } from '../../../shared/payments.js';
import { reportOf } from '../../core/day-close.js';
import type {
  CashRefundRecord,
  CashRefundResult,
  DayCloseInput,
  DayCloseRecord,
  GiveBackClaim,
  GiveBackLimits,
  GiveBackResult,
  LedgerGiveBack,
  LedgerPeriod,
  LedgerStore,
  LimitExceeded,
  NewSale,
  PutSaleResult,
  StoredSale,
} from '../../core/ports.js';
import type { SqlDatabase } from './sql-database.js';

// The ledger in SQLite (both runtimes). A day close writes one row per event it takes (day_close_items), so which
// report holds a sale, void or refund is fixed when the day is closed, and the report can be
// rebuilt from those events at any time. (Sales of the first, cart-less ledger stay in `sales`.)
//
// Three constraints keep the books right whatever the tills send: a card payment is booked in at
// most one sale (payment_bookings' primary key), a receipt number is given once and without gaps
// (sale_numbers), and every give-back is claimed against the limits in the transaction that
// records it (give_backs).

export const LEDGER_SCHEMA = `
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
const BACKFILL = `
INSERT OR IGNORE INTO payment_bookings (payment_ruid, sale_id) SELECT payment_ruid, id FROM ledger_sales WHERE payment_ruid IS NOT NULL ORDER BY received_at, id;
INSERT INTO sale_numbers (sale_id, receipt_no)
  SELECT id, (SELECT COALESCE(MAX(receipt_no), 0) FROM sale_numbers) + ROW_NUMBER() OVER (ORDER BY received_at, id)
  FROM ledger_sales WHERE id NOT IN (SELECT sale_id FROM sale_numbers);
`;

type ItemKind = 'sale' | 'void' | 'card_refund' | 'cash_refund';

interface Event<T> {
  readonly kind: ItemKind;
  readonly id: string;
  readonly value: T;
}

/** A give-back counts unless it was released, or it is a card refund whose payment ended without paying back. */
const COUNTED = `g.released = 0 AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.ruid = g.id AND g.kind = 'card_refund' AND p.state IN ('declined', 'failed', 'cancelled'))`;

const DAY_MS = 86_400_000;

/** The fields a till sends: a resend of the same sale compares these (not who sent it, when, or its number). */
function tillFields(sale: NewSale): string {
  const { receivedAt: _received, bookedBy: _by, bookedFor: _for, ...input } = sale;
  const { receiptNo: _no, ...rest } = input as typeof input & { receiptNo?: number };
  return JSON.stringify(rest);
}

export class SqlLedger implements LedgerStore {
  constructor(private readonly db: SqlDatabase) {
    db.exec(LEDGER_SCHEMA);
    db.exec(BACKFILL);
  }

  async putSale(sale: NewSale): Promise<PutSaleResult> {
    return this.db.transaction((): PutSaleResult => {
      const existing = this.saleById(sale.id);
      if (existing) return { kind: tillFields(existing) === tillFields(sale) ? 'same' : 'conflict', sale: existing };
      if (sale.paymentRuid !== undefined) {
        const booked = this.saleForPaymentNow(sale.paymentRuid);
        if (booked) return { kind: 'payment_booked', sale: booked };
      }
      const { last } = this.db.prepare('SELECT COALESCE(MAX(receipt_no), 0) AS last FROM sale_numbers').get() as { last: number };
      const stored: StoredSale = { ...sale, receiptNo: last + 1 };
      this.db.prepare('INSERT INTO ledger_sales (id, payment_ruid, sale, received_at) VALUES (?, ?, ?, ?)').run(sale.id, sale.paymentRuid ?? null, JSON.stringify(sale), sale.receivedAt);
      this.db.prepare('INSERT INTO sale_numbers (sale_id, receipt_no) VALUES (?, ?)').run(sale.id, stored.receiptNo);
      if (sale.paymentRuid !== undefined) this.db.prepare('INSERT INTO payment_bookings (payment_ruid, sale_id) VALUES (?, ?)').run(sale.paymentRuid, sale.id);
      return { kind: 'created', sale: stored };
    });
  }

  async getSale(id: string): Promise<StoredSale | undefined> {
    return this.saleById(id);
  }

  async saleByReceiptNo(no: number): Promise<StoredSale | undefined> {
    const row = this.db.prepare('SELECT sale_id FROM sale_numbers WHERE receipt_no = ?').get(no) as { sale_id: string } | undefined;
    return row ? this.saleById(row.sale_id) : undefined;
  }

  async saleForPayment(ruid: string): Promise<StoredSale | undefined> {
    return this.saleForPaymentNow(ruid);
  }

  async listSales(): Promise<StoredSale[]> {
    return this.rows<{ sale: string; receipt_no: number }>(`SELECT s.sale, n.receipt_no FROM ledger_sales s JOIN sale_numbers n ON n.sale_id = s.id ORDER BY n.receipt_no`, []).map(SqlLedger.toSale);
  }

  async hasSales(): Promise<boolean> {
    return this.db.prepare('SELECT 1 AS one FROM ledger_sales LIMIT 1').get() !== undefined;
  }

  async addCashRefund(refund: CashRefundRecord, limits: GiveBackLimits | undefined): Promise<CashRefundResult> {
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
      const claim: GiveBackClaim = { id: refund.id, kind: 'cash_refund', saleId: sale.id, paymentRuid: sale.paymentRuid, actor: refund.actor, cents: refund.cents, currency: sale.currency, atMs: Date.parse(refund.at) };
      const over = limits ? this.overLimit(claim, limits) : undefined;
      if (over) return over;
      this.insertClaim(claim);
      this.db.prepare('INSERT INTO cash_refunds (id, sale_id, cents, refund) VALUES (?, ?, ?, ?)').run(refund.id, refund.saleId, refund.cents, JSON.stringify(refund));
      return { kind: 'created', refund };
    });
  }

  async cashRefunds(saleId: string): Promise<CashRefundRecord[]> {
    return (this.db.prepare('SELECT refund FROM cash_refunds WHERE sale_id = ? ORDER BY rowid').all(saleId) as unknown as Array<{ refund: string }>).map((row) => JSON.parse(row.refund) as CashRefundRecord);
  }

  async claimGiveBack(claim: GiveBackClaim, limits: GiveBackLimits | undefined): Promise<GiveBackResult> {
    return this.db.transaction((): GiveBackResult => {
      const existing = this.db.prepare('SELECT released FROM give_backs WHERE id = ?').get(claim.id) as { released: number } | undefined;
      if (existing && existing.released === 0) return { kind: 'ok' };
      const over = limits ? this.overLimit(claim, limits) : undefined;
      if (over) return over;
      if (existing) this.db.prepare('DELETE FROM give_backs WHERE id = ?').run(claim.id);
      this.insertClaim(claim);
      return { kind: 'ok' };
    });
  }

  async releaseGiveBack(id: string): Promise<void> {
    this.db.prepare('UPDATE give_backs SET released = 1 WHERE id = ?').run(id);
  }

  async limitLeft(saleId: string | undefined, paymentRuid: string | undefined, actor: string, currency: string, limits: GiveBackLimits): Promise<{ saleCents: number; dayCents: number }> {
    return { saleCents: limits.perSaleCents - this.claimedOnSale(saleId, paymentRuid), dayCents: limits.perDayCents - this.claimedByActor(actor, currency, limits.nowMs) };
  }

  async period(no?: number): Promise<LedgerPeriod> {
    return this.periodEvents(no).period;
  }

  async closeDay(close: DayCloseInput): Promise<DayCloseRecord> {
    return this.db.transaction(() => {
      const { period, events } = this.periodEvents(undefined);
      const { last } = this.db.prepare('SELECT COALESCE(MAX(no), 0) AS last FROM day_closes').get() as { last: number };
      const report = reportOf(period, { shopCurrency: close.shopCurrency, openingFloatCents: close.openingFloatCents, countedCashCents: close.countedCashCents, to: close.closedAt });
      const record: DayCloseRecord = { no: last + 1, closedAt: close.closedAt, closedBy: close.closedBy, openingFloatCents: close.openingFloatCents, countedCashCents: close.countedCashCents, report };
      this.db.prepare('INSERT INTO day_closes (no, closed_at, record) VALUES (?, ?, ?)').run(record.no, record.closedAt, JSON.stringify(record));
      const insert = this.db.prepare('INSERT INTO day_close_items (kind, id, close_no) VALUES (?, ?, ?)');
      for (const event of events) insert.run(event.kind, event.id, record.no);
      return record;
    });
  }

  async listDayCloses(): Promise<DayCloseRecord[]> {
    return this.rows<{ no: number; record: string }>('SELECT no, record FROM day_closes ORDER BY no DESC', []).map((row) => this.closeOf(row.no, row.record));
  }

  async getDayClose(no: number): Promise<DayCloseRecord | undefined> {
    const row = this.db.prepare('SELECT record FROM day_closes WHERE no = ?').get(no) as { record: string } | undefined;
    return row ? this.closeOf(no, row.record) : undefined;
  }

  /**
   * A close recorded before reports had currencies (an older edge) is shown rebuilt from the
   * events it took: which events it holds never changes, only how they are summed.
   */
  private closeOf(no: number, json: string): DayCloseRecord {
    const stored = JSON.parse(json) as DayCloseRecord & { report: { byCurrency?: unknown; openingFloatCents?: number; countedCashCents?: number } };
    if (stored.report.byCurrency !== undefined) return stored;
    const legacy = stored.report;
    const openingFloatCents = legacy.openingFloatCents ?? 0;
    const countedCashCents = legacy.countedCashCents ?? 0;
    const { period } = this.periodEvents(no);
    const report = reportOf(period, { shopCurrency: period.sales[0]?.currency ?? 'EUR', openingFloatCents, countedCashCents, to: stored.closedAt });
    return { ...stored, openingFloatCents, countedCashCents, report };
  }

  private static toSale(row: { sale: string; receipt_no: number }): StoredSale {
    const sale = JSON.parse(row.sale) as NewSale;
    // Sales booked by an older edge carry no booking principal: they belong to their terminal only.
    return { ...sale, bookedBy: sale.bookedBy ?? '', bookedFor: sale.bookedFor ?? [], receiptNo: row.receipt_no };
  }

  private saleById(id: string): StoredSale | undefined {
    const row = this.db.prepare('SELECT s.sale, n.receipt_no FROM ledger_sales s JOIN sale_numbers n ON n.sale_id = s.id WHERE s.id = ?').get(id) as { sale: string; receipt_no: number } | undefined;
    return row ? SqlLedger.toSale(row) : undefined;
  }

  private saleForPaymentNow(ruid: string): StoredSale | undefined {
    const row = this.db.prepare('SELECT sale_id FROM payment_bookings WHERE payment_ruid = ?').get(ruid) as { sale_id: string } | undefined;
    return row ? this.saleById(row.sale_id) : undefined;
  }

  private claimedOnSale(saleId: string | undefined, paymentRuid: string | undefined): number {
    const { total } = this.db
      .prepare(`SELECT COALESCE(SUM(g.cents), 0) AS total FROM give_backs g WHERE (g.sale_id = ? OR (g.payment_ruid IS NOT NULL AND g.payment_ruid = ?)) AND ${COUNTED}`)
      .get(saleId ?? '', paymentRuid ?? '') as { total: number };
    return total;
  }

  private claimedByActor(actor: string, currency: string, nowMs: number): number {
    const { total } = this.db
      .prepare(`SELECT COALESCE(SUM(g.cents), 0) AS total FROM give_backs g WHERE g.actor = ? AND g.currency = ? AND g.at_ms > ? AND ${COUNTED}`)
      .get(actor, currency, nowMs - DAY_MS) as { total: number };
    return total;
  }

  private overLimit(claim: GiveBackClaim, limits: GiveBackLimits): LimitExceeded | undefined {
    const saleLeft = limits.perSaleCents - this.claimedOnSale(claim.saleId, claim.paymentRuid);
    if (claim.cents > saleLeft) return { kind: 'limit', scope: 'sale', leftCents: Math.max(saleLeft, 0) };
    const dayLeft = limits.perDayCents - this.claimedByActor(claim.actor, claim.currency, limits.nowMs);
    if (claim.cents > dayLeft) return { kind: 'limit', scope: 'device_day', leftCents: Math.max(dayLeft, 0) };
    return undefined;
  }

  private insertClaim(claim: GiveBackClaim): void {
    this.db
      .prepare('INSERT INTO give_backs (id, kind, sale_id, payment_ruid, actor, cents, currency, at_ms, released) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)')
      .run(claim.id, claim.kind, claim.saleId ?? null, claim.paymentRuid ?? null, claim.actor, claim.cents, claim.currency, claim.atMs);
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

  private closedAt(no: number): string | undefined {
    const row = this.db.prepare('SELECT closed_at FROM day_closes WHERE no = ?').get(no) as { closed_at: string } | undefined;
    return row?.closed_at;
  }

  private periodEvents(no: number | undefined): { period: LedgerPeriod; events: Array<Event<unknown>> } {
    const sales = this.select('sale', 's.id', no, (where) =>
      this.rows<{ id: string; sale: string; receipt_no: number }>(`SELECT s.id, s.sale, n.receipt_no FROM ledger_sales s JOIN sale_numbers n ON n.sale_id = s.id WHERE ${where.sql} ORDER BY n.receipt_no`, where.args).map((row) => ({
        id: row.id,
        value: SqlLedger.toSale(row),
      })),
    );
    // A void or a card refund counts once its sale is in the ledger (a till may sync the sale after it):
    // the books then never hold money given back for a sale they do not hold.
    const voids = this.select('void', 'p.ruid', no, (where) =>
      this.rows<{ ruid: string; payment: string; sale_id: string }>(
        `SELECT p.ruid, p.payment, b.sale_id FROM payments p JOIN payment_bookings b ON b.payment_ruid = p.ruid WHERE p.state = 'voided' AND ${where.sql} ORDER BY p.settled_at, p.ruid`,
        where.args,
      ).map((row) => ({ id: row.ruid, value: this.giveBack('void', JSON.parse(row.payment) as Payment, row.sale_id) })),
    );
    const cardRefunds = this.select('card_refund', 'p.ruid', no, (where) =>
      this.rows<{ ruid: string; payment: string; sale_id: string }>(
        `SELECT p.ruid, p.payment, b.sale_id FROM payments p JOIN payment_bookings b ON b.payment_ruid = p.original_ruid WHERE p.kind = 'refund' AND p.state = 'approved' AND ${where.sql} ORDER BY p.settled_at, p.ruid`,
        where.args,
      ).map((row) => ({ id: row.ruid, value: this.giveBack('card_refund', JSON.parse(row.payment) as Payment, row.sale_id) })),
    );
    const cashRefunds = this.select('cash_refund', 'id', no, (where) =>
      this.rows<{ id: string; refund: string }>(`SELECT id, refund FROM cash_refunds WHERE ${where.sql} ORDER BY rowid`, where.args).map((row) => {
        const stored = JSON.parse(row.refund) as CashRefundRecord;
        const sale = this.saleById(stored.saleId);
        const giveBack: LedgerGiveBack = { id: stored.id, kind: 'cash_refund', cents: stored.cents, currency: stored.currency ?? sale?.currency ?? '', sale, tid: undefined };
        return { id: row.id, value: giveBack };
      }),
    );
    // From the previous close; the first period starts with its first booking.
    const previous = no === undefined ? this.lastClosedAt() : no > 1 ? this.closedAt(no - 1) : undefined;
    const from = previous ?? sales.map((e) => e.value.receivedAt).sort()[0];
    return {
      period: { sales: sales.map((e) => e.value), giveBacks: [...cashRefunds, ...cardRefunds, ...voids].map((e) => e.value), from, to: no === undefined ? undefined : this.closedAt(no) },
      events: [...sales, ...voids, ...cardRefunds, ...cashRefunds],
    };
  }

  private lastClosedAt(): string | undefined {
    const row = this.db.prepare('SELECT closed_at FROM day_closes ORDER BY no DESC LIMIT 1').get() as { closed_at: string } | undefined;
    return row?.closed_at;
  }

  private giveBack(kind: 'void' | 'card_refund', payment: Payment, saleId: string): LedgerGiveBack {
    return { id: payment.ruid, kind, cents: payment.amountCents, currency: payment.currency, sale: this.saleById(saleId), tid: payment.tid };
  }

  private select<T>(kind: ItemKind, column: string, no: number | undefined, query: (where: { sql: string; args: Array<string | number> }) => Array<{ id: string; value: T }>): Array<Event<T>> {
    return query(SqlLedger.inPeriod(kind, column, no)).map((row) => ({ kind, id: row.id, value: row.value }));
  }
}
