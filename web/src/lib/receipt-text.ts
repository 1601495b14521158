import { priceCart, type PricedCart } from '../../../shared/cart.js';
import type { Payment } from '../../../shared/payments.js';
import type { LocalSale } from './db/schema.js';
import { formatDay, formatMoney, formatRate, formatWhen } from './format.js';
import type { Messages } from './messages/en.js';
import { saleParts, type SaleParts } from './sale-parts.js';
import { freeAmountVatBp, shopHeader } from './till-settings.js';

/** A give-back: a card refund (its payment is the receipt's payment) or cash handed back from the drawer. */
export interface RefundFacts {
  readonly tender: 'card' | 'cash';
  readonly amountCents: number;
  readonly currency: string;
  readonly at: string;
  /** The original sale's number as printed ("No. 12", "L-3"), when known. */
  readonly ofSale: string | undefined;
}

/**
 * What a receipt shows: the sale's cart priced again, its tenders, and the card payment's fields;
 * or, for a refund, what was given back and of which sale (never the sale's lines again).
 */
export interface ReceiptModel {
  readonly currency: string;
  readonly at: string;
  readonly priced: PricedCart | undefined;
  readonly parts: SaleParts | undefined;
  readonly payment: Payment | undefined;
  /** The sale's number ("No. 12", or this device's "L-3" until the edge booked it). */
  readonly number: string | undefined;
  readonly refund: RefundFacts | undefined;
  /** The card part was paid by link (the customer's phone, myPOS Online Checkout): it says so, not "Card". */
  readonly byLink: boolean;
}

export function receiptModel(sale: LocalSale | undefined, payment: Payment | undefined, options: { number?: string | undefined; refund?: RefundFacts | undefined } = {}): ReceiptModel {
  const { refund } = options;
  const parts = sale && !refund ? saleParts(sale, freeAmountVatBp()) : undefined;
  return {
    currency: refund?.currency ?? sale?.currency ?? payment?.currency ?? 'EUR',
    at: refund?.at ?? sale?.completedAt ?? sale?.createdAt ?? payment?.updatedAt ?? '',
    priced: parts ? priceCart(parts.lines, parts.discount) : undefined,
    parts,
    payment,
    number: refund ? undefined : options.number,
    refund,
    byLink: sale?.channel === 'checkout',
  };
}

/** The refund facts of a card refund's payment. */
export function cardRefundFacts(payment: Payment, ofSale: string | undefined): RefundFacts {
  return { tender: 'card', amountCents: payment.amountCents, currency: payment.currency, at: payment.updatedAt, ofSale };
}

/**
 * The card fields to print, in order (merchant name and address are printed at the top), labelled
 * in the till's language (acronyms such as MID, RRN, STAN, AID stay); the date as every screen writes it.
 */
export function cardFields(payment: Payment, t: Messages): Array<[string, string, string]> {
  return Object.entries(t.payment.receiptFields)
    .filter(([field]) => !field.startsWith('merch_address') && field !== 'merch_name' && payment.receipt?.[field])
    .map(([field, label]) => {
      const value = payment.receipt?.[field] ?? '';
      return [field, label, field === 'merch_txn_date' ? formatDay(value) : value];
    });
}

/** The card slip's last line, in the till's language. An approved refund has none: its receipt is titled REFUND instead, never APPROVED. */
export const verdict = (payment: Payment, t: Messages) => (payment.kind === 'refund' && payment.state === 'approved' ? '' : t.payment.verdicts[payment.state]);

/** The card part's label: a link payment is its own tender (as in the day's books), not the terminal's card. */
export const cardTender = (model: ReceiptModel, t: Messages) => (model.byLink ? t.tender.link : t.tender.card);

/** The receipt as plain text, for sharing and downloading (the screen and print use Receipt.svelte). */
export function receiptText(model: ReceiptModel, t: Messages): string {
  const money = (cents: number) => formatMoney(cents, model.currency);
  const receipt = model.payment?.receipt ?? {};
  const shop = shopHeader().trim();
  const merchant = [receipt.merch_name, receipt.merch_address_line1, receipt.merch_address_line2].filter((line) => line).join(' ');
  // The shop heads every receipt; the merchant myPOS has on file for the card follows.
  const header = shop ? [...shop.split('\n'), ...(merchant ? [`${t.payment.cardMerchant}: ${merchant}`] : [])] : [receipt.merch_name, receipt.merch_address_line1, receipt.merch_address_line2];
  const out: Array<string | undefined> = [
    ...(model.refund ? [t.refund.receiptTitle, ''] : []),
    ...header,
    model.at ? formatWhen(model.at) : undefined,
    model.number,
    '',
  ];
  if (model.refund) {
    if (model.refund.ofSale) out.push(`${t.refund.originalSale}: ${model.refund.ofSale}`);
    out.push(`${model.refund.tender === 'card' ? t.refund.givenToCard : t.refund.givenInCash}: ${formatMoney(model.refund.amountCents, model.refund.currency)}`, '');
  }
  if (model.priced && model.parts) {
    for (const line of model.priced.lines) {
      out.push(`${line.quantity} x ${line.name}  ${money(line.grossCents)}`);
      if (line.lineDiscountCents > 0) out.push(`  ${t.cart.discounts} -${money(line.lineDiscountCents)}`);
      if (line.note) out.push(`  ${line.note}`);
    }
    const cartDiscount = model.priced.lines.reduce((sum, line) => sum + line.cartDiscountCents, 0);
    if (cartDiscount > 0) out.push(`${t.cart.cartDiscount}: -${money(cartDiscount)}`);
    out.push(`${t.cart.total}: ${money(model.priced.totalCents)}`);
    for (const row of model.priced.vat) out.push(t.cart.vatIncluded(formatRate(row.rateBp), money(row.grossCents)) + `: ${money(row.vatCents)}`);
    if (model.parts.cashTenderedCents > 0) out.push(`${t.tender.cash}: ${money(model.parts.cashTenderedCents)}`, `${t.tender.change}: ${money(model.parts.cashTenderedCents - model.parts.cashKeptCents)}`);
    if (model.parts.cardCents > 0) out.push(`${cardTender(model, t)}: ${money(model.parts.cardCents)}`);
    out.push('');
  }
  if (model.payment) {
    if (!model.refund) out.push(`${t.payment.receipt}: ${formatMoney(model.payment.amountCents, model.payment.currency)}`);
    out.push(`${t.payment.tid}: ${model.payment.tid}`);
    for (const [, label, value] of cardFields(model.payment, t)) out.push(`${label}: ${value}`);
    out.push('', verdict(model.payment, t));
  }
  return `${out.filter((line): line is string => line !== undefined).join('\n').trim()}\n`;
}
