import type { Payment } from '../../../shared/payments.js';
import type { CashRefundRecord, LedgerGiveBack, LedgerPeriod } from '../../core/ports.js';
import type { SqlDatabase } from './sql-database.js';
import { rows, saleById, toSale } from './ledger-sales.js';

// The events of a period, open or closed. A day close writes one row per event it takes
// (day_close_items), so which report holds a sale, void or refund is fixed when the day is
// closed, and a closed report can be rebuilt from those events at any time.

export type ItemKind = 'sale' | 'void' | 'card_refund' | 'cash_refund';

export interface PeriodEvent {
  readonly kind: ItemKind;
  readonly id: string;
}

interface Where {
  readonly sql: string;
  readonly args: Array<string | number>;
}

/** SQL that keeps the events of the open period (no undefined) or of close no. */
function inPeriod(kind: ItemKind, column: string, no: number | undefined): Where {
  return no === undefined
    ? { sql: `${column} NOT IN (SELECT id FROM day_close_items WHERE kind = ?)`, args: [kind] }
    : { sql: `${column} IN (SELECT id FROM day_close_items WHERE kind = ? AND close_no = ?)`, args: [kind, no] };
}

function select<T>(kind: ItemKind, column: string, no: number | undefined, query: (where: Where) => Array<{ id: string; value: T }>): Array<PeriodEvent & { readonly value: T }> {
  return query(inPeriod(kind, column, no)).map((row) => ({ kind, id: row.id, value: row.value }));
}

export function closedAt(db: SqlDatabase, no: number): string | undefined {
  return (db.prepare('SELECT closed_at FROM day_closes WHERE no = ?').get(no) as { closed_at: string } | undefined)?.closed_at;
}

function lastClosedAt(db: SqlDatabase): string | undefined {
  return (db.prepare('SELECT closed_at FROM day_closes ORDER BY no DESC LIMIT 1').get() as { closed_at: string } | undefined)?.closed_at;
}

function giveBack(db: SqlDatabase, kind: 'void' | 'card_refund', payment: Payment, saleId: string): LedgerGiveBack {
  return { id: payment.ruid, kind, cents: payment.amountCents, currency: payment.currency, sale: saleById(db, saleId), tid: payment.tid, transport: payment.transport };
}

/** The open period (no undefined) or closed period no, and the events it holds. */
export function periodEvents(db: SqlDatabase, no: number | undefined): { period: LedgerPeriod; events: PeriodEvent[] } {
  const sales = select('sale', 's.id', no, (where) =>
    rows<{ id: string; sale: string; receipt_no: number }>(db, `SELECT s.id, s.sale, n.receipt_no FROM ledger_sales s JOIN sale_numbers n ON n.sale_id = s.id WHERE ${where.sql} ORDER BY n.receipt_no`, where.args).map(
      (row) => ({ id: row.id, value: toSale(row) }),
    ),
  );
  // A void or a card refund counts once its sale is in the ledger (a till may sync the sale after it):
  // the books then never hold money given back for a sale they do not hold.
  const voids = select('void', 'p.ruid', no, (where) =>
    rows<{ ruid: string; payment: string; sale_id: string }>(
      db,
      `SELECT p.ruid, p.payment, b.sale_id FROM payments p JOIN payment_bookings b ON b.payment_ruid = p.ruid WHERE p.state = 'voided' AND ${where.sql} ORDER BY p.settled_at, p.ruid`,
      where.args,
    ).map((row) => ({ id: row.ruid, value: giveBack(db, 'void', JSON.parse(row.payment) as Payment, row.sale_id) })),
  );
  const cardRefunds = select('card_refund', 'p.ruid', no, (where) =>
    rows<{ ruid: string; payment: string; sale_id: string }>(
      db,
      `SELECT p.ruid, p.payment, b.sale_id FROM payments p JOIN payment_bookings b ON b.payment_ruid = p.original_ruid WHERE p.kind = 'refund' AND p.state = 'approved' AND ${where.sql} ORDER BY p.settled_at, p.ruid`,
      where.args,
    ).map((row) => ({ id: row.ruid, value: giveBack(db, 'card_refund', JSON.parse(row.payment) as Payment, row.sale_id) })),
  );
  const cashRefunds = select('cash_refund', 'id', no, (where) =>
    rows<{ id: string; refund: string }>(db, `SELECT id, refund FROM cash_refunds WHERE ${where.sql} ORDER BY rowid`, where.args).map((row) => {
      const stored = JSON.parse(row.refund) as CashRefundRecord;
      const sale = saleById(db, stored.saleId);
      const value: LedgerGiveBack = { id: stored.id, kind: 'cash_refund', cents: stored.cents, currency: stored.currency ?? sale?.currency ?? '', sale, tid: undefined, transport: undefined };
      return { id: row.id, value };
    }),
  );
  // From the previous close; the first period starts with its first booking.
  const previous = no === undefined ? lastClosedAt(db) : no > 1 ? closedAt(db, no - 1) : undefined;
  const from = previous ?? sales.map((e) => e.value.receivedAt).sort()[0];
  return {
    period: { sales: sales.map((e) => e.value), giveBacks: [...cashRefunds, ...cardRefunds, ...voids].map((e) => e.value), from, to: no === undefined ? undefined : closedAt(db, no) },
    events: [...sales, ...voids, ...cardRefunds, ...cashRefunds],
  };
}
