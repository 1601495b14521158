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
