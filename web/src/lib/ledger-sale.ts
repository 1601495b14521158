import { tenderOfTransport } from '../../../shared/z-report.js';
import type { SaleView } from './api.js';
import type { LocalSale } from './db/schema.js';

/**
 * Another till's sale, as the edge booked it, in the shape this till keeps its own: so an admin
 * can open it (a refund a till may not finish) and see its receipt like any other.
 */
export function localFromLedger(sale: SaleView['sale']): LocalSale {
  const card = sale.cardCents > 0;
  return {
    id: sale.id,
    tender: card ? 'card' : 'cash',
    tid: sale.tid,
    // Paid by link: the receipt and History say so, as this till does for its own link sales.
    ...(tenderOfTransport(sale.transport) === 'online' ? { channel: 'checkout' as const } : {}),
    currency: sale.currency,
    amountCents: sale.totalCents,
    lines: sale.lines,
    discount: sale.discount,
    note: sale.note,
    cashKeptCents: sale.cashKeptCents,
    cashTenderedCents: sale.cashTenderedCents,
    cardCents: sale.cardCents,
    reference: sale.reference,
    createdAt: sale.createdAt,
    completedAt: sale.completedAt,
    // A card part is booked only once its payment was approved.
    paymentState: card ? 'approved' : undefined,
    sync: 'synced',
    message: undefined,
    receiptNo: sale.receiptNo,
  };
}
