import { vatRows, type RateBp, type VatRow } from './cart.js';
import { formatCents, type Cents } from './money.js';

// The day close (Z report): what the till took, by tender, VAT rate and terminal, with refunds,
// voids, and the cash that should be in the drawer. Pure: the same day gives the same report.

export interface ZSale {
  readonly id: string;
  readonly lines: ReadonlyArray<{ readonly totalCents: Cents; readonly vatRateBp: RateBp }>;
  /** Cash counts what stayed in the drawer (tendered minus change). */
  readonly tenders: ReadonlyArray<{ readonly kind: 'cash' | 'card'; readonly cents: Cents; readonly tid?: string | undefined }>;
  readonly voided: boolean;
}

export interface ZRefund {
  readonly id: string;
  readonly saleId: string;
  readonly kind: 'cash' | 'card';
  readonly cents: Cents;
  readonly tid?: string | undefined;
}

export interface ZInput {
  readonly sales: readonly ZSale[];
  readonly refunds: readonly ZRefund[];
  readonly openingFloatCents: Cents;
  readonly countedCashCents: Cents | undefined;
}

export interface ZReport {
  readonly salesCount: number;
  readonly grossCents: Cents;
  readonly byTender: { readonly cash: Cents; readonly card: Cents };
  readonly byVatRate: readonly VatRow[];
  readonly byTerminal: Readonly<Record<string, Cents>>;
  readonly refunds: { readonly count: number; readonly cash: Cents; readonly card: Cents };
  readonly voids: { readonly count: number; readonly cents: Cents };
  readonly netCents: Cents;
  readonly cashExpectedCents: Cents;
  readonly countedCashCents: Cents | undefined;
  readonly cashDifferenceCents: Cents | undefined;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

export function zReport(input: ZInput): ZReport {
  const kept = input.sales.filter((sale) => !sale.voided);
  const voided = input.sales.filter((sale) => sale.voided);
  const tenders = kept.flatMap((sale) => sale.tenders);
  const cash = sum(tenders.filter((t) => t.kind === 'cash').map((t) => t.cents));
  const card = sum(tenders.filter((t) => t.kind === 'card').map((t) => t.cents));
  const byTerminal: Record<string, Cents> = {};
  for (const tender of tenders) if (tender.kind === 'card' && tender.tid) byTerminal[tender.tid] = (byTerminal[tender.tid] ?? 0) + tender.cents;
  const cashRefunds = sum(input.refunds.filter((r) => r.kind === 'cash').map((r) => r.cents));
  const cardRefunds = sum(input.refunds.filter((r) => r.kind === 'card').map((r) => r.cents));
  const grossCents = sum(kept.flatMap((sale) => sale.lines.map((line) => line.totalCents)));
  const cashExpectedCents = input.openingFloatCents + cash - cashRefunds;
  return {
    salesCount: kept.length,
    grossCents,
    byTender: { cash, card },
    byVatRate: vatRows(kept.flatMap((sale) => sale.lines)),
    byTerminal,
    refunds: { count: input.refunds.length, cash: cashRefunds, card: cardRefunds },
    voids: { count: voided.length, cents: sum(voided.flatMap((sale) => sale.lines.map((line) => line.totalCents))) },
    netCents: grossCents - cashRefunds - cardRefunds,
    cashExpectedCents,
    countedCashCents: input.countedCashCents,
    cashDifferenceCents: input.countedCashCents === undefined ? undefined : input.countedCashCents - cashExpectedCents,
  };
}

/** The report as CSV: section,key,amount (amounts in the wire format, "23.45"). */
export function zReportCsv(report: ZReport): string {
  const rows: Array<[string, string, string]> = [
    ['sales', 'count', String(report.salesCount)],
    ['sales', 'gross', formatCents(report.grossCents)],
    ['tender', 'cash', formatCents(report.byTender.cash)],
    ['tender', 'card', formatCents(report.byTender.card)],
    ...report.byVatRate.flatMap((row): Array<[string, string, string]> => [
      ['vat', `${row.rateBp / 100}% gross`, formatCents(row.grossCents)],
      ['vat', `${row.rateBp / 100}% vat`, formatCents(row.vatCents)],
      ['vat', `${row.rateBp / 100}% net`, formatCents(row.netCents)],
    ]),
    ...Object.entries(report.byTerminal).map(([tid, cents]): [string, string, string] => ['terminal', tid, formatCents(cents)]),
    ['refunds', 'count', String(report.refunds.count)],
    ['refunds', 'cash', formatCents(report.refunds.cash)],
    ['refunds', 'card', formatCents(report.refunds.card)],
    ['voids', 'count', String(report.voids.count)],
    ['voids', 'amount', formatCents(report.voids.cents)],
    ['total', 'net', formatCents(report.netCents)],
    ['cash', 'expected', formatCents(report.cashExpectedCents)],
  ];
  if (report.countedCashCents !== undefined && report.cashDifferenceCents !== undefined) {
    rows.push(['cash', 'counted', formatCents(report.countedCashCents)], ['cash', 'difference', formatCents(report.cashDifferenceCents)]);
  }
  return ['section,key,amount', ...rows.map((row) => row.map((cell) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(','))].join('\n') + '\n';
}
