import { priceCart } from '../../shared/cart.js';
import type { Cents } from '../../shared/money.js';
import { tenderOfTransport, zReport, type ZReport, type ZSale } from '../../shared/z-report.js';
import type { DayCloseRecord, LedgerPeriod, StoredSale } from './ports.js';

// From the ledger's events to the report: the stored sales are priced again (the same function
// the till used), so VAT by rate comes from lines, never from totals a client sent.

export function zSale(sale: StoredSale): ZSale {
  return { id: sale.id, currency: sale.currency, lines: priceCart(sale.lines, sale.discount).lines, cashCents: sale.cashKeptCents, cardCents: sale.cardCents, tid: sale.tid, channel: tenderOfTransport(sale.transport) };
}

export interface ReportOptions {
  readonly shopCurrency: string;
  readonly openingFloatCents: Cents;
  readonly countedCashCents: Cents | undefined;
  /** The end of an open period (now); a closed period ends when it was closed. */
  readonly to: string;
}

export function reportOf(period: LedgerPeriod, options: ReportOptions): ZReport {
  return zReport({
    sales: period.sales.map(zSale),
    giveBacks: period.giveBacks.map((giveBack) => ({
      id: giveBack.id,
      kind: giveBack.kind,
      currency: giveBack.currency,
      cents: giveBack.cents,
      tid: giveBack.tid,
      channel: tenderOfTransport(giveBack.transport),
      saleLines: giveBack.sale ? zSale(giveBack.sale).lines : undefined,
    })),
    shopCurrency: options.shopCurrency,
    openingFloatCents: options.openingFloatCents,
    countedCashCents: options.countedCashCents,
    period: { from: period.from, to: period.to ?? options.to },
  });
}

/** A close's report rebuilt from the events it took (its float and count as recorded). */
export function rebuiltReport(close: DayCloseRecord, period: LedgerPeriod, shopCurrency: string): ZReport {
  const options = { shopCurrency: close.report.shopCurrency ?? shopCurrency, openingFloatCents: close.openingFloatCents, countedCashCents: close.countedCashCents, to: close.closedAt };
  // A close made before link payments were their own tender booked them as card, and keeps meaning
  // so: rebuilt the way it was made, it still compares equal to what was recorded.
  const linksWereCard = Object.values(close.report.byCurrency).some((figures) => figures.online === undefined);
  return linksWereCard ? linksAsCard(period, options) : reportOf(period, options);
}

/** The report as an edge made it before the online tender: every payment a card, no online figures. */
function linksAsCard(period: LedgerPeriod, options: ReportOptions): ZReport {
  const report = reportOf(
    { ...period, sales: period.sales.map(({ transport: _transport, ...sale }) => sale), giveBacks: period.giveBacks.map((giveBack) => ({ ...giveBack, transport: undefined })) },
    options,
  );
  const byCurrency = Object.fromEntries(Object.entries(report.byCurrency).map(([currency, { online: _online, onlineRefunds: _refunds, ...figures }]) => [currency, figures]));
  return { ...report, byCurrency };
}
