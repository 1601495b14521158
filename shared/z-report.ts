import { allocate, vatOf, type RateBp, type VatRow } from './cart.js';
import { formatCents, type Cents } from './money.js';

// The day close (Z report): what the till took since the last close, by tender, VAT rate and
// terminal, with refunds, voids, and the cash that should be in the drawer. It is built from
// events — a sale, a void, a refund — each counted in the period in which it happened, so a void
// or refund of an earlier day's sale lowers today's figures and a closed report never changes.
// Pure: the same events give the same report.

export interface ZLine {
  readonly totalCents: Cents;
  readonly vatRateBp: RateBp;
}

export interface ZSale {
  readonly id: string;
  readonly lines: readonly ZLine[];
  /** Cash kept for the sale (tendered minus change). */
  readonly cashCents: Cents;
  readonly cardCents: Cents;
  /** The terminal of the card part. */
  readonly tid?: string | undefined;
}

export interface ZRefund {
  readonly id: string;
  readonly saleId: string;
  readonly kind: 'cash' | 'card';
  readonly cents: Cents;
  readonly tid?: string | undefined;
  /** The refunded sale's lines: the refund is shared over their VAT rates in proportion. */
  readonly saleLines?: readonly ZLine[] | undefined;
}

export interface ZInput {
  readonly sales: readonly ZSale[];
  /** Sales voided in this period (their card part by MPRLastTxnVoid, their cash given back). */
  readonly voids: readonly ZSale[];
  readonly refunds: readonly ZRefund[];
  readonly openingFloatCents: Cents;
  readonly countedCashCents: Cents | undefined;
}

export interface ZReport {
  readonly salesCount: number;
  readonly grossCents: Cents;
  /** Takings by tender, net of voids (refunds are listed apart). */
  readonly byTender: { readonly cash: Cents; readonly card: Cents };
  /** Net of voids and refunds: the VAT owed for the period. */
  readonly byVatRate: readonly VatRow[];
  /** Card takings per terminal, net of voids and card refunds: what each terminal's own report shows. */
  readonly byTerminal: Readonly<Record<string, Cents>>;
  readonly refunds: { readonly count: number; readonly cash: Cents; readonly card: Cents; readonly withoutSaleCents: Cents };
  readonly voids: { readonly count: number; readonly cents: Cents; readonly cash: Cents; readonly card: Cents };
  readonly netCents: Cents;
  readonly openingFloatCents: Cents;
  readonly cashExpectedCents: Cents;
  readonly countedCashCents: Cents | undefined;
  readonly cashDifferenceCents: Cents | undefined;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const saleTotal = (sale: ZSale) => sum(sale.lines.map((line) => line.totalCents));

/** VAT of a signed gross amount: a period whose refunds outweigh its sales owes negative VAT. */
function signedVat(grossCents: Cents, rateBp: RateBp): Cents {
  return grossCents < 0 ? -vatOf(-grossCents, rateBp) : vatOf(grossCents, rateBp);
}

function byRate(sales: readonly ZSale[], voids: readonly ZSale[], refunds: readonly ZRefund[]): VatRow[] {
  const gross = new Map<RateBp, Cents>();
  const add = (rateBp: RateBp, cents: Cents) => gross.set(rateBp, (gross.get(rateBp) ?? 0) + cents);
  for (const sale of sales) for (const line of sale.lines) add(line.vatRateBp, line.totalCents);
  for (const sale of voids) for (const line of sale.lines) add(line.vatRateBp, -line.totalCents);
  for (const refund of refunds) {
    if (!refund.saleLines) continue;
    const shares = allocate(refund.cents, refund.saleLines.map((line) => line.totalCents));
    refund.saleLines.forEach((line, index) => add(line.vatRateBp, -(shares[index] ?? 0)));
  }
  return [...gross.entries()]
    .sort(([a], [b]) => b - a)
    .map(([rateBp, grossCents]) => {
      const vatCents = signedVat(grossCents, rateBp);
      return { rateBp, grossCents, vatCents, netCents: grossCents - vatCents };
    });
}

export function zReport(input: ZInput): ZReport {
  const { sales, voids, refunds } = input;
  const grossCents = sum(sales.map(saleTotal));
  const voidCents = sum(voids.map(saleTotal));
  const voidCash = sum(voids.map((sale) => sale.cashCents));
  const voidCard = sum(voids.map((sale) => sale.cardCents));
  const cash = sum(sales.map((sale) => sale.cashCents)) - voidCash;
  const card = sum(sales.map((sale) => sale.cardCents)) - voidCard;
  const cashRefunds = sum(refunds.filter((r) => r.kind === 'cash').map((r) => r.cents));
  const cardRefunds = sum(refunds.filter((r) => r.kind === 'card').map((r) => r.cents));

  const byTerminal: Record<string, Cents> = {};
  const addTerminal = (tid: string | undefined, cents: Cents) => {
    if (tid && cents !== 0) byTerminal[tid] = (byTerminal[tid] ?? 0) + cents;
  };
  for (const sale of sales) addTerminal(sale.tid, sale.cardCents);
  for (const sale of voids) addTerminal(sale.tid, -sale.cardCents);
  for (const refund of refunds) if (refund.kind === 'card') addTerminal(refund.tid, -refund.cents);

  const cashExpectedCents = input.openingFloatCents + cash - cashRefunds;
  return {
    salesCount: sales.length,
    grossCents,
    byTender: { cash, card },
    byVatRate: byRate(sales, voids, refunds),
    byTerminal: Object.fromEntries(Object.entries(byTerminal).sort(([a], [b]) => a.localeCompare(b))),
    refunds: { count: refunds.length, cash: cashRefunds, card: cardRefunds, withoutSaleCents: sum(refunds.filter((r) => !r.saleLines).map((r) => r.cents)) },
    voids: { count: voids.length, cents: voidCents, cash: voidCash, card: voidCard },
    netCents: grossCents - voidCents - cashRefunds - cardRefunds,
    openingFloatCents: input.openingFloatCents,
    cashExpectedCents,
    countedCashCents: input.countedCashCents,
    cashDifferenceCents: input.countedCashCents === undefined ? undefined : input.countedCashCents - cashExpectedCents,
  };
}

type Row = readonly [section: string, key: string, value: string];

/** The report as CSV: section,key,value (amounts in the wire format, "23.45"). */
export function zReportCsv(report: ZReport): string {
  const rows: Row[] = [
    ['sales', 'count', String(report.salesCount)],
    ['sales', 'gross', formatCents(report.grossCents)],
    ['tender', 'cash', formatCents(report.byTender.cash)],
    ['tender', 'card', formatCents(report.byTender.card)],
    ...report.byVatRate.flatMap((row): Row[] => [
      ['vat', `${row.rateBp / 100}% gross`, formatCents(row.grossCents)],
      ['vat', `${row.rateBp / 100}% vat`, formatCents(row.vatCents)],
      ['vat', `${row.rateBp / 100}% net`, formatCents(row.netCents)],
    ]),
    ...Object.entries(report.byTerminal).map(([tid, cents]): Row => ['terminal', tid, formatCents(cents)]),
    ['refunds', 'count', String(report.refunds.count)],
    ['refunds', 'cash', formatCents(report.refunds.cash)],
    ['refunds', 'card', formatCents(report.refunds.card)],
    ['voids', 'count', String(report.voids.count)],
    ['voids', 'amount', formatCents(report.voids.cents)],
    ['total', 'net', formatCents(report.netCents)],
    ['cash', 'opening float', formatCents(report.openingFloatCents)],
    ['cash', 'expected', formatCents(report.cashExpectedCents)],
  ];
  if (report.countedCashCents !== undefined && report.cashDifferenceCents !== undefined) {
    rows.push(['cash', 'counted', formatCents(report.countedCashCents)], ['cash', 'difference', formatCents(report.cashDifferenceCents)]);
  }
  const cell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return ['section,key,value', ...rows.map((row) => row.map(cell).join(','))].join('\n') + '\n';
}
