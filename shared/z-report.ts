import { allocate, vatOf, type RateBp } from './cart.js';
import { csvCell } from './csv.js';
import { formatCents, type Cents } from './money.js';
import { paymentOperations } from './operations.js';
import type { TerminalTransport } from './payments.js';
import { formatPercent } from './sale.js';

// The day's books (X report of the open period, Z report of a closed one): what the shop took,
// per currency, by tender, terminal and VAT rate, with what it gave back. Built from events — a
// sale, a cash refund, a card refund, a void — each counted in the period in which it happened,
// so a give-back of an earlier day's sale lowers today's figures and a closed report never changes.
// Three tenders: cash (the drawer), card (a terminal) and online (paid by link: myPOS Online
// Checkout, where the customer pays on their own phone; its money reaches the shop by another way
// than a terminal's, so the books keep it apart). A sale's card part and a card refund or void are
// card or online by the channel their payment went by.
//
// One function (zReport) computes every figure a screen, a print-out or a CSV shows; it is pure,
// works in integer cents, never adds two currencies, and its identities hold by construction:
//   net = gross − refunds − voids = cash + card + online = Σ byTerminal = Σ byVatRate.gross
// The wire form carries amounts as strings ("23.45", "-1.00").

/** How a sale's card part, or a give-back of it, was paid: on a terminal, or by link. */
export type ZChannel = 'card' | 'online';

/**
 * The tender of a payment that went by this transport: a channel whose customer pays by link (it
 * makes checkouts, shared/operations.ts) is online; a terminal, or a payment stored before
 * transports were recorded, is card.
 */
export function tenderOfTransport(transport: TerminalTransport | undefined): ZChannel {
  return paymentOperations({ transport }).includes('checkout') ? 'online' : 'card';
}

export interface ZLine {
  readonly totalCents: Cents;
  readonly vatRateBp: RateBp;
}

export interface ZSale {
  readonly id: string;
  readonly currency: string;
  readonly lines: readonly ZLine[];
  /** Cash kept for the sale (tendered minus change). */
  readonly cashCents: Cents;
  readonly cardCents: Cents;
  /** The terminal of the card part. */
  readonly tid?: string | undefined;
  /** How the card part was paid; absent: on a terminal. */
  readonly channel?: ZChannel | undefined;
}

/** Money given back: cash from the drawer, an approved card refund, or a void of a card payment. */
export type GiveBackKind = 'cash_refund' | 'card_refund' | 'void';

export interface ZGiveBack {
  readonly id: string;
  readonly kind: GiveBackKind;
  readonly currency: string;
  readonly cents: Cents;
  /** The terminal that gave a card refund or void back. */
  readonly tid?: string | undefined;
  /** A card refund or void: how the payment it gives back was paid; absent: on a terminal. */
  readonly channel?: ZChannel | undefined;
  /** The sale's lines: a give-back is shared over their VAT rates in proportion. */
  readonly saleLines?: readonly ZLine[] | undefined;
}

export interface ZInput {
  readonly sales: readonly ZSale[];
  readonly giveBacks: readonly ZGiveBack[];
  /** The drawer holds this currency; the float and the counted cash are in it. */
  readonly shopCurrency: string;
  readonly openingFloatCents: Cents;
  readonly countedCashCents: Cents | undefined;
  /** From the previous close (none before the first) to this close, or to now for an X report. */
  readonly period: { readonly from: string | undefined; readonly to: string };
}

/** One row of the split by terminal; terminal null is the cash drawer. */
export interface ZTerminalRow {
  readonly terminal: string | null;
  readonly net: string;
}

/** One VAT rate ("20", "9.5"); rate null holds give-backs whose sale lines are unknown. */
export interface ZVatRow {
  readonly rate: string | null;
  readonly gross: string;
  readonly vat: string;
  readonly net: string;
}

export interface ZCurrencyFigures {
  /** Sales booked in the period. */
  readonly count: number;
  readonly gross: string;
  /** Cash, card and online refunds together. */
  readonly refunds: string;
  readonly cashRefunds: string;
  /** Refunds to a card paid on a terminal. */
  readonly cardRefunds: string;
  /**
   * Refunds of link payments. Absent, like `online`, in a Z report closed before link payments were
   * their own tender: its card figures include them.
   */
  readonly onlineRefunds?: string;
  readonly refundCount: number;
  readonly voids: string;
  readonly voidCount: number;
  /** gross − refunds − voids. */
  readonly net: string;
  /** Cash kept, less cash refunds. */
  readonly cash: string;
  /** Terminal card takings, less their refunds and voids. */
  readonly card: string;
  /** Link takings, less their refunds (and voids, which a link has none of); see onlineRefunds for when it is absent. */
  readonly online?: string;
  readonly byTerminal: readonly ZTerminalRow[];
  readonly byVatRate: readonly ZVatRow[];
}

export interface ZDrawer {
  readonly currency: string;
  readonly openingFloat: string;
  /** openingFloat + the cash figure of the shop currency. */
  readonly expected: string;
  readonly counted?: string;
  readonly difference?: string;
}

export interface ZReport {
  readonly period: { readonly from: string | null; readonly to: string };
  readonly shopCurrency: string;
  /** Every currency with an event in the period, the shop's always; sorted, shop's first. */
  readonly byCurrency: Readonly<Record<string, ZCurrencyFigures>>;
  readonly drawer: ZDrawer;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const saleTotal = (sale: ZSale) => sum(sale.lines.map((line) => line.totalCents));

/** VAT of a signed gross amount: a period whose give-backs outweigh its sales owes negative VAT. */
function signedVat(grossCents: Cents, rateBp: RateBp): Cents {
  return grossCents < 0 ? -vatOf(-grossCents, rateBp) : vatOf(grossCents, rateBp);
}

function addTo<K>(map: Map<K, Cents>, key: K, cents: Cents): void {
  map.set(key, (map.get(key) ?? 0) + cents);
}

function currencyFigures(sales: readonly ZSale[], giveBacks: readonly ZGiveBack[]): ZCurrencyFigures {
  const ofKind = (kind: GiveBackKind) => giveBacks.filter((g) => g.kind === kind);
  // A cash refund comes from the drawer whatever paid the sale; a card refund or void goes back by its payment's channel.
  const paidBy = (channel: ZChannel) => (item: { readonly channel?: ZChannel | undefined }) => (item.channel ?? 'card') === channel;
  const cents = (items: readonly ZGiveBack[]) => sum(items.map((g) => g.cents));
  const cashRefunds = cents(ofKind('cash_refund'));
  const cardRefunds = cents(ofKind('card_refund').filter(paidBy('card')));
  const onlineRefunds = cents(ofKind('card_refund').filter(paidBy('online')));
  const voids = cents(ofKind('void'));
  const gross = sum(sales.map(saleTotal));
  /** A channel's takings less what went back by it. */
  const tender = (channel: ZChannel) =>
    sum(sales.filter(paidBy(channel)).map((s) => s.cardCents)) - cents(giveBacks.filter((g) => g.kind !== 'cash_refund' && paidBy(channel)(g)));

  const byTerminal = new Map<string | null, Cents>();
  for (const sale of sales) {
    if (sale.cashCents !== 0) addTo(byTerminal, null, sale.cashCents);
    if (sale.cardCents !== 0) addTo(byTerminal, sale.tid ?? null, sale.cardCents);
  }
  for (const giveBack of giveBacks) addTo(byTerminal, giveBack.kind === 'cash_refund' ? null : (giveBack.tid ?? null), -giveBack.cents);

  const byRate = new Map<RateBp | null, Cents>();
  for (const sale of sales) for (const line of sale.lines) addTo(byRate, line.vatRateBp, line.totalCents);
  for (const giveBack of giveBacks) {
    const lines = giveBack.saleLines ?? [];
    if (lines.length === 0 || sum(lines.map((l) => l.totalCents)) === 0) {
      addTo(byRate, null, -giveBack.cents);
      continue;
    }
    const shares = allocate(giveBack.cents, lines.map((line) => line.totalCents));
    lines.forEach((line, index) => addTo(byRate, line.vatRateBp, -(shares[index] ?? 0)));
  }

  return {
    count: sales.length,
    gross: formatCents(gross),
    refunds: formatCents(cashRefunds + cardRefunds + onlineRefunds),
    cashRefunds: formatCents(cashRefunds),
    cardRefunds: formatCents(cardRefunds),
    onlineRefunds: formatCents(onlineRefunds),
    refundCount: ofKind('cash_refund').length + ofKind('card_refund').length,
    voids: formatCents(voids),
    voidCount: ofKind('void').length,
    net: formatCents(gross - cashRefunds - cardRefunds - onlineRefunds - voids),
    cash: formatCents(sum(sales.map((s) => s.cashCents)) - cashRefunds),
    card: formatCents(tender('card')),
    online: formatCents(tender('online')),
    byTerminal: [...byTerminal.entries()]
      // The drawer first, then terminals by id; a row that nets to zero is still shown if it had events.
      .sort(([a], [b]) => (a === null ? -1 : b === null ? 1 : a.localeCompare(b)))
      .map(([terminal, cents]) => ({ terminal, net: formatCents(cents) })),
    byVatRate: [...byRate.entries()]
      .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : b - a))
      .map(([rateBp, grossCents]) => {
        const vatCents = rateBp === null ? 0 : signedVat(grossCents, rateBp);
        return { rate: rateBp === null ? null : formatPercent(rateBp), gross: formatCents(grossCents), vat: formatCents(vatCents), net: formatCents(grossCents - vatCents) };
      }),
  };
}

/** The report of a period's events. */
export function zReport(input: ZInput): ZReport {
  const currencies = [...new Set([input.shopCurrency, ...input.sales.map((s) => s.currency), ...input.giveBacks.map((g) => g.currency)])].sort((a, b) =>
    a === input.shopCurrency ? -1 : b === input.shopCurrency ? 1 : a.localeCompare(b),
  );
  const byCurrency: Record<string, ZCurrencyFigures> = {};
  for (const currency of currencies) {
    byCurrency[currency] = currencyFigures(
      input.sales.filter((s) => s.currency === currency),
      input.giveBacks.filter((g) => g.currency === currency),
    );
  }
  const shop = input.sales.filter((s) => s.currency === input.shopCurrency);
  const shopCashRefunds = input.giveBacks.filter((g) => g.currency === input.shopCurrency && g.kind === 'cash_refund');
  const expectedCents = input.openingFloatCents + sum(shop.map((s) => s.cashCents)) - sum(shopCashRefunds.map((g) => g.cents));
  const drawer: ZDrawer = {
    currency: input.shopCurrency,
    openingFloat: formatCents(input.openingFloatCents),
    expected: formatCents(expectedCents),
    ...(input.countedCashCents === undefined ? {} : { counted: formatCents(input.countedCashCents), difference: formatCents(input.countedCashCents - expectedCents) }),
  };
  return { period: { from: input.period.from ?? null, to: input.period.to }, shopCurrency: input.shopCurrency, byCurrency, drawer };
}

export interface CsvHeader {
  readonly shop: string;
  /** The Z number; absent for the X report of the open period. */
  readonly no: number | undefined;
}

type Row = readonly [section: string, key: string, currency: string, value: string];

/**
 * The report as CSV (section,key,currency,value): the shop, Z number and period first, then every
 * figure with its currency. The online rows (refunds,online and tender,online) are always there,
 * 0.00 when no link was paid, so a spreadsheet finds them in every file; only a Z report closed
 * before link payments were their own tender has none (its card rows include them).
 */
export function zReportCsv(report: ZReport, header: CsvHeader): string {
  const rows: Row[] = [
    ['report', 'shop', '', header.shop],
    ['report', 'z', '', header.no === undefined ? 'X' : String(header.no)],
    ['report', 'from', '', report.period.from ?? ''],
    ['report', 'to', '', report.period.to],
    ['report', 'currency', '', report.shopCurrency],
  ];
  for (const [currency, f] of Object.entries(report.byCurrency)) {
    rows.push(
      ['sales', 'count', currency, String(f.count)],
      ['sales', 'gross', currency, f.gross],
      ['refunds', 'count', currency, String(f.refundCount)],
      ['refunds', 'cash', currency, f.cashRefunds],
      ['refunds', 'card', currency, f.cardRefunds],
      ...(f.onlineRefunds === undefined ? [] : [['refunds', 'online', currency, f.onlineRefunds] as const]),
      ['refunds', 'total', currency, f.refunds],
      ['voids', 'count', currency, String(f.voidCount)],
      ['voids', 'total', currency, f.voids],
      ['total', 'net', currency, f.net],
      ['tender', 'cash', currency, f.cash],
      ['tender', 'card', currency, f.card],
      ...(f.online === undefined ? [] : [['tender', 'online', currency, f.online] as const]),
      ...f.byTerminal.map((row): Row => ['terminal', row.terminal ?? 'cash drawer', currency, row.net]),
      ...f.byVatRate.flatMap((row): Row[] => {
        const rate = row.rate === null ? 'unknown rate' : `${row.rate}%`;
        return [
          ['vat', `${rate} gross`, currency, row.gross],
          ['vat', `${rate} vat`, currency, row.vat],
          ['vat', `${rate} net`, currency, row.net],
        ];
      }),
    );
  }
  const drawer = report.drawer;
  rows.push(['drawer', 'opening float', drawer.currency, drawer.openingFloat], ['drawer', 'expected', drawer.currency, drawer.expected]);
  if (drawer.counted !== undefined && drawer.difference !== undefined) rows.push(['drawer', 'counted', drawer.currency, drawer.counted], ['drawer', 'difference', drawer.currency, drawer.difference]);
  // csvCell defuses a text a spreadsheet would run as a formula; amounts like "-1.00" stay numbers.
  return ['section,key,currency,value', ...rows.map((row) => row.map(csvCell).join(','))].join('\n') + '\n';
}
