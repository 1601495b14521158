import { reportOf } from '../../core/day-close.js';
import type {
  CashRefundRecord,
  CashRefundResult,
  DayCloseInput,
  DayCloseRecord,
  GiveBackClaim,
  GiveBackLimits,
  GiveBackResult,
  LedgerPeriod,
  LedgerStore,
  NewSale,
  PutSaleResult,
  StoredSale,
} from '../../core/ports.js';
import type { SaleIdsSince, SalesBetween, UnconfirmedLostPayment } from '../../core/ports/ledger.js';
import { claimedByActor, claimedOnSale, insertClaim, overLimit } from './ledger-give-backs.js';
import { periodEvents } from './ledger-periods.js';
import { ledgerGeneration, mustTellPrinted, notePrintedUpTo, printedUpTo } from './ledger-generation.js';
import { forgetLost, noteUnconfirmedLost, unconfirmedLostSinceClose } from './lost-payments.js';
import { rows, saleById, saleForPayment, saleIdsSince, salesBetween, toSale, type SaleRow } from './ledger-sales.js';
import type { SqlDatabase } from './sql-database.js';

// LedgerStore in SQLite (both runtimes): sales, cash refunds, give-back claims, day closes.
//
// Three constraints keep the books right whatever the tills send: a card payment is booked in at
// most one sale (payment_bookings' primary key), a receipt number is given once and without gaps
// (sale_numbers; after a restore, a sale sent again keeps its printed number, so gaps close as
// the tills refill), and every give-back is claimed against the limits in the transaction that
// records it (give_backs, ledger-give-backs.ts). Which report holds which event: ledger-periods.ts.

/** The fields a till sends: a resend of the same sale compares these (not who sent it, when, or its number). */
function tillFields(sale: NewSale): string {
  // The card part's transport is the edge's (from its payment), not the till's: a sale booked before it was kept matches its resend.
  const { receivedAt: _received, bookedBy: _by, bookedFor: _for, transport: _transport, ...input } = sale;
  const { receiptNo: _no, ...rest } = input as typeof input & { receiptNo?: number };
  return JSON.stringify(rest);
}

export class LedgerRepository implements LedgerStore {
  constructor(private readonly db: SqlDatabase) {}

  async putSale(sale: NewSale, printedNo?: number): Promise<PutSaleResult> {
    return this.db.transaction((): PutSaleResult => {
      const existing = saleById(this.db, sale.id);
      if (existing) return { kind: tillFields(existing) === tillFields(sale) ? 'same' : 'conflict', sale: existing };
      if (sale.paymentRuid !== undefined) {
        const booked = saleForPayment(this.db, sale.paymentRuid);
        if (booked) return { kind: 'payment_booked', sale: booked };
      }
      const { given } = this.db.prepare('SELECT COALESCE(MAX(receipt_no), 0) AS given FROM sale_numbers').get() as { given: number };
      const last = Math.max(given, printedUpTo(this.db));
      // A sale sent again after a restore keeps the number on its printed receipt, unless another
      // sale took it since; other sales go on after the highest number given or printed.
      const printedFree = printedNo !== undefined && this.db.prepare('SELECT 1 FROM sale_numbers WHERE receipt_no = ?').get(printedNo) === undefined;
      const stored: StoredSale = { ...sale, receiptNo: printedFree ? printedNo : last + 1 };
      this.db.prepare('INSERT INTO ledger_sales (id, payment_ruid, sale, received_at) VALUES (?, ?, ?, ?)').run(sale.id, sale.paymentRuid ?? null, JSON.stringify(sale), sale.receivedAt);
      this.db.prepare('INSERT INTO sale_numbers (sale_id, receipt_no) VALUES (?, ?)').run(sale.id, stored.receiptNo);
      if (sale.paymentRuid !== undefined) this.db.prepare('INSERT INTO payment_bookings (payment_ruid, sale_id) VALUES (?, ?)').run(sale.paymentRuid, sale.id);
      return { kind: 'created', sale: stored };
    });
  }

  async getSale(id: string): Promise<StoredSale | undefined> {
    return saleById(this.db, id);
  }

  async saleByReceiptNo(no: number): Promise<StoredSale | undefined> {
    const row = this.db.prepare('SELECT sale_id FROM sale_numbers WHERE receipt_no = ?').get(no) as { sale_id: string } | undefined;
    return row ? saleById(this.db, row.sale_id) : undefined;
  }

  async saleForPayment(ruid: string): Promise<StoredSale | undefined> {
    return saleForPayment(this.db, ruid);
  }

  async listSales(): Promise<StoredSale[]> {
    return rows<SaleRow>(this.db, 'SELECT s.sale, n.receipt_no FROM ledger_sales s JOIN sale_numbers n ON n.sale_id = s.id ORDER BY n.receipt_no', []).map(toSale);
  }

  async saleIdsSince(sinceMs: number, bookedBy: string | undefined, limit: number): Promise<SaleIdsSince> {
    return saleIdsSince(this.db, sinceMs, bookedBy, limit);
  }

  async salesBetween(fromMs: number, toMs: number, limit: number): Promise<SalesBetween> {
    return salesBetween(this.db, fromMs, toMs, limit);
  }

  async notePrintedUpTo(no: number, by: string): Promise<void> {
    this.db.transaction(() => notePrintedUpTo(this.db, no, by));
  }

  async mustTellPrinted(by: string): Promise<boolean> {
    return mustTellPrinted(this.db, by);
  }

  async noteUnconfirmedLost(lost: UnconfirmedLostPayment): Promise<void> {
    noteUnconfirmedLost(this.db, lost);
  }

  async forgetLost(ruid: string): Promise<void> {
    forgetLost(this.db, ruid);
  }

  async unconfirmedLost(): Promise<UnconfirmedLostPayment[]> {
    return unconfirmedLostSinceClose(this.db);
  }

  async ledgerGeneration(): Promise<string> {
    return ledgerGeneration(this.db);
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
      const sale = saleById(this.db, refund.saleId);
      if (!sale) return { kind: 'no_sale' };
      const { total } = this.db.prepare('SELECT COALESCE(SUM(cents), 0) AS total FROM cash_refunds WHERE sale_id = ?').get(refund.saleId) as { total: number };
      const refundableCents = Math.max(sale.cashKeptCents - total, 0);
      if (refund.cents > refundableCents) return { kind: 'over', refundableCents };
      const claim: GiveBackClaim = { id: refund.id, kind: 'cash_refund', saleId: sale.id, paymentRuid: sale.paymentRuid, actor: refund.actor, cents: refund.cents, currency: sale.currency, atMs: Date.parse(refund.at) };
      const over = limits ? overLimit(this.db, claim, limits) : undefined;
      if (over) return over;
      insertClaim(this.db, claim);
      this.db.prepare('INSERT INTO cash_refunds (id, sale_id, cents, refund) VALUES (?, ?, ?, ?)').run(refund.id, refund.saleId, refund.cents, JSON.stringify(refund));
      return { kind: 'created', refund };
    });
  }

  async cashRefunds(saleId: string): Promise<CashRefundRecord[]> {
    return rows<{ refund: string }>(this.db, 'SELECT refund FROM cash_refunds WHERE sale_id = ? ORDER BY rowid', [saleId]).map((row) => JSON.parse(row.refund) as CashRefundRecord);
  }

  async claimGiveBack(claim: GiveBackClaim, limits: GiveBackLimits | undefined): Promise<GiveBackResult> {
    return this.db.transaction((): GiveBackResult => {
      const existing = this.db.prepare('SELECT released FROM give_backs WHERE id = ?').get(claim.id) as { released: number } | undefined;
      if (existing && existing.released === 0) return { kind: 'ok' };
      const over = limits ? overLimit(this.db, claim, limits) : undefined;
      if (over) return over;
      if (existing) this.db.prepare('DELETE FROM give_backs WHERE id = ?').run(claim.id);
      insertClaim(this.db, claim);
      return { kind: 'ok' };
    });
  }

  async releaseGiveBack(id: string): Promise<void> {
    this.db.prepare('UPDATE give_backs SET released = 1 WHERE id = ?').run(id);
  }

  async limitLeft(saleId: string | undefined, paymentRuid: string | undefined, actor: string, currency: string, limits: GiveBackLimits): Promise<{ saleCents: number; dayCents: number }> {
    return { saleCents: limits.perSaleCents - claimedOnSale(this.db, saleId, paymentRuid), dayCents: limits.perDayCents - claimedByActor(this.db, actor, currency, limits.nowMs) };
  }

  async period(no?: number): Promise<LedgerPeriod> {
    return periodEvents(this.db, no).period;
  }

  async closeDay(close: DayCloseInput): Promise<DayCloseRecord> {
    return this.db.transaction(() => {
      const { period, events } = periodEvents(this.db, undefined);
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
    return rows<{ no: number; record: string }>(this.db, 'SELECT no, record FROM day_closes ORDER BY no DESC', []).map((row) => this.closeOf(row.no, row.record));
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
    const { period } = periodEvents(this.db, no);
    const report = reportOf(period, { shopCurrency: period.sales[0]?.currency ?? 'EUR', openingFloatCents, countedCashCents, to: stored.closedAt });
    return { ...stored, openingFloatCents, countedCashCents, report };
  }
}
