import type { SqlDatabase } from '../../sql/sql-database.js';

// What a database's books hold, printed after a backup and a restore so the owner sees which day
// they got: sales and the last receipt, the last day close, the audit lines.

export interface BooksSummary {
  readonly sales: number;
  readonly lastSale: { readonly id: string; readonly receiptNo: number; readonly completedAt: string | undefined } | undefined;
  readonly lastClose: { readonly no: number; readonly closedAt: string } | undefined;
  readonly auditLines: number;
}

export function booksSummary(db: SqlDatabase): BooksSummary {
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const sale = db.prepare('SELECT s.id, s.sale, n.receipt_no FROM ledger_sales s JOIN sale_numbers n ON n.sale_id = s.id ORDER BY n.receipt_no DESC LIMIT 1').get() as
    | { id: string; sale: string; receipt_no: number }
    | undefined;
  const close = db.prepare('SELECT no, closed_at FROM day_closes ORDER BY no DESC LIMIT 1').get() as { no: number; closed_at: string } | undefined;
  return {
    sales: count('SELECT COUNT(*) AS n FROM ledger_sales'),
    lastSale: sale ? { id: sale.id, receiptNo: sale.receipt_no, completedAt: completedAt(sale.sale) } : undefined,
    lastClose: close ? { no: close.no, closedAt: close.closed_at } : undefined,
    auditLines: count('SELECT COUNT(*) AS n FROM audit_log'),
  };
}

function completedAt(saleJson: string): string | undefined {
  try {
    const value = (JSON.parse(saleJson) as { completedAt?: unknown }).completedAt;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The summary as the tools print it, one fact a line. */
export function describeBooks(books: BooksSummary): string[] {
  return [
    `sales: ${books.sales}${books.lastSale ? `, the last receipt no. ${books.lastSale.receiptNo} (sale ${books.lastSale.id}${books.lastSale.completedAt ? `, completed ${books.lastSale.completedAt}` : ''})` : ''}`,
    `day closes: ${books.lastClose ? `the last Z no. ${books.lastClose.no}, closed ${books.lastClose.closedAt}` : 'none'}`,
    `audit lines: ${books.auditLines}`,
  ];
}
