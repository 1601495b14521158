import { priceCart } from '../../shared/cart.js';
import type { Cents } from '../../shared/money.js';
import { zReport, type ZReport, type ZSale } from '../../shared/z-report.js';
import type { LedgerPeriod, StoredSale } from './ports.js';

// From the ledger's events to the Z report: the stored sales are priced again (the same function
// the till used), so VAT by rate comes from lines, never from totals a client sent.

export function zSale(sale: StoredSale): ZSale {
  return { id: sale.id, lines: priceCart(sale.lines, sale.discount).lines, cashCents: sale.cashKeptCents, cardCents: sale.cardCents, tid: sale.tid };
}

export function reportOf(period: LedgerPeriod, openingFloatCents: Cents, countedCashCents: Cents | undefined): ZReport {
  return zReport({
    sales: period.sales.map(zSale),
    voids: period.voids.map(zSale),
    refunds: period.refunds.map((refund) => ({
      id: refund.id,
      saleId: refund.sale?.id ?? '',
      kind: refund.kind,
      cents: refund.cents,
      tid: refund.tid,
      saleLines: refund.sale ? zSale(refund.sale).lines : undefined,
    })),
    openingFloatCents,
    countedCashCents,
  });
}
