import { priceCart, type PricedCart } from '../../../shared/cart.js';
import type { Payment } from '../../../shared/payments.js';
import type { LocalSale } from './db/schema.js';
import { formatMoney } from './format.js';
import type { Messages } from './messages/en.js';
import { saleParts, type SaleParts } from './sale-parts.js';
import { freeAmountVatBp, shopHeader } from './till-settings.js';

/** What a receipt shows: the sale's cart priced again, its tenders, and the card payment's fields. */
export interface ReceiptModel {
  readonly currency: string;
  readonly at: string;
  readonly priced: PricedCart | undefined;
  readonly parts: SaleParts | undefined;
  readonly payment: Payment | undefined;
}

export function receiptModel(sale: LocalSale | undefined, payment: Payment | undefined): ReceiptModel {
  const parts = sale ? saleParts(sale, freeAmountVatBp()) : undefined;
  return {
    currency: sale?.currency ?? payment?.currency ?? 'EUR',
    at: sale?.completedAt ?? sale?.createdAt ?? payment?.updatedAt ?? '',
    priced: parts ? priceCart(parts.lines, parts.discount) : undefined,
    parts,
    payment,
  };
}

/** The card fields to print, in order (merchant name and address are printed at the top). */
export function cardFields(payment: Payment, t: Messages): Array<[string, string, string]> {
  return Object.entries(t.payment.receiptFields)
    .filter(([field]) => !field.startsWith('merch_address') && field !== 'merch_name' && payment.receipt?.[field])
    .map(([field, label]) => [field, label, payment.receipt?.[field] ?? '']);
}

export const verdict = (payment: Payment) => (payment.state === 'approved' ? 'APPROVED' : payment.state.toUpperCase());

/** The receipt as plain text, for sharing and downloading (the screen and print use Receipt.svelte). */
export function receiptText(model: ReceiptModel, t: Messages): string {
  const money = (cents: number) => formatMoney(cents, model.currency);
  const receipt = model.payment?.receipt ?? {};
  const header = receipt.merch_name ? [receipt.merch_name, receipt.merch_address_line1, receipt.merch_address_line2] : shopHeader().split('\n');
  const out: Array<string | undefined> = [...header, model.at ? new Date(model.at).toLocaleString(t.locale) : undefined, ''];
  if (model.priced && model.parts) {
    for (const line of model.priced.lines) {
      out.push(`${line.quantity} x ${line.name}  ${money(line.grossCents)}`);
      if (line.lineDiscountCents > 0) out.push(`  ${t.cart.discounts} -${money(line.lineDiscountCents)}`);
      if (line.note) out.push(`  ${line.note}`);
    }
    const cartDiscount = model.priced.lines.reduce((sum, line) => sum + line.cartDiscountCents, 0);
    if (cartDiscount > 0) out.push(`${t.cart.cartDiscount}: -${money(cartDiscount)}`);
    out.push(`${t.cart.total}: ${money(model.priced.totalCents)}`);
    for (const row of model.priced.vat) out.push(t.cart.vatIncluded(String(row.rateBp / 100), money(row.grossCents)) + `: ${money(row.vatCents)}`);
    if (model.parts.cashTenderedCents > 0) out.push(`${t.tender.cash}: ${money(model.parts.cashTenderedCents)}`, `${t.tender.change}: ${money(model.parts.cashTenderedCents - model.parts.cashKeptCents)}`);
    if (model.parts.cardCents > 0) out.push(`${t.tender.card}: ${money(model.parts.cardCents)}`);
    out.push('');
  }
  if (model.payment) {
    out.push(`${t.payment.receipt}: ${formatMoney(model.payment.amountCents, model.payment.currency)}`, `TID: ${model.payment.tid}`);
    for (const [, label, value] of cardFields(model.payment, t)) out.push(`${label}: ${value}`);
    out.push('', verdict(model.payment));
  }
  return `${out.filter((line): line is string => line !== undefined).join('\n').trim()}\n`;
}
