import type { NewSale, StoredSale } from '../../core/ports.js';
import type { SqlDatabase, SqlValue } from './sql-database.js';

// Reading sales back from the ledger's tables, shared by the ledger's parts: a sale is its row in
// ledger_sales joined with its receipt number.

export interface SaleRow {
  sale: string;
  receipt_no: number;
}

export function rows<T>(db: SqlDatabase, sql: string, args: readonly SqlValue[]): T[] {
  return db.prepare(sql).all(...args) as T[];
}

export function toSale(row: SaleRow): StoredSale {
  const sale = JSON.parse(row.sale) as NewSale;
  // Sales booked by an older edge carry no booking principal: they belong to their terminal only.
  return { ...sale, bookedBy: sale.bookedBy ?? '', bookedFor: sale.bookedFor ?? [], receiptNo: row.receipt_no };
}

export function saleById(db: SqlDatabase, id: string): StoredSale | undefined {
  const row = db.prepare('SELECT s.sale, n.receipt_no FROM ledger_sales s JOIN sale_numbers n ON n.sale_id = s.id WHERE s.id = ?').get(id) as SaleRow | undefined;
  return row ? toSale(row) : undefined;
}

/** The sale that booked this card payment. */
export function saleForPayment(db: SqlDatabase, ruid: string): StoredSale | undefined {
  const row = db.prepare('SELECT sale_id FROM payment_bookings WHERE payment_ruid = ?').get(ruid) as { sale_id: string } | undefined;
  return row ? saleById(db, row.sale_id) : undefined;
}

/**
 * The ids of the sales completed at or after sinceMs (booked by bookedBy, or by anyone), the
 * earliest first, at most limit. completedAt is the till's own ISO time, in the sale's JSON: it is
 * compared as a time (an offset, or none, is the same instant as its Z), so each row is read. A
 * time the edge cannot read is kept: an id too many only tells the till the edge has that sale.
 */
export function saleIdsSince(db: SqlDatabase, sinceMs: number, bookedBy: string | undefined, limit: number): { ids: string[]; more: boolean } {
  const select = "SELECT id, json_extract(sale, '$.completedAt') AS completed_at FROM ledger_sales";
  const found = (bookedBy === undefined ? rows<IdRow>(db, select, []) : rows<IdRow>(db, `${select} WHERE json_extract(sale, '$.bookedBy') = ?`, [bookedBy]))
    .map((row) => ({ id: row.id, at: typeof row.completed_at === 'string' ? Date.parse(row.completed_at) : Number.NaN }))
    .filter((row) => Number.isNaN(row.at) || row.at >= sinceMs)
    .sort((a, b) => (Number.isNaN(a.at) ? 0 : a.at) - (Number.isNaN(b.at) ? 0 : b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { ids: found.slice(0, limit).map((row) => row.id), more: found.length > limit };
}

/**
 * The sales completed at or after fromMs and before toMs, the earliest first (then by id), at most
 * limit. completedAt is compared as a time, as in saleIdsSince; a sale whose time the edge cannot
 * read is in no range.
 */
export function salesBetween(db: SqlDatabase, fromMs: number, toMs: number, limit: number): { sales: StoredSale[]; more: boolean } {
  const found = rows<SaleRow & IdRow>(db, "SELECT s.id, s.sale, n.receipt_no, json_extract(s.sale, '$.completedAt') AS completed_at FROM ledger_sales s JOIN sale_numbers n ON n.sale_id = s.id", [])
    .map((row) => ({ row, at: typeof row.completed_at === 'string' ? Date.parse(row.completed_at) : Number.NaN }))
    .filter(({ at }) => at >= fromMs && at < toMs)
    .sort((a, b) => a.at - b.at || (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0));
  return { sales: found.slice(0, limit).map(({ row }) => toSale(row)), more: found.length > limit };
}

interface IdRow {
  id: string;
  completed_at: unknown;
}
