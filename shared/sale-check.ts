import * as v from 'valibot';
import { priceCart, type Discount } from './cart.js';
import { DEFAULT_AMOUNT_CAP_CENTS, formatCents, parseAmount, parseAmountWithinCap, type Cents } from './money.js';
import { accept, refuse, type Checked } from './result.js';
import { MAX_QUANTITY, MAX_SALE_LINES, type SaleInput, type SaleLine } from './sale.js';
import { checkCurrency, checkPlainText, checkReference, checkRuid, type PaymentReference } from './validation.js';

// The edge's checks of a sale from a till. It prices the lines again and refuses a sale whose
// total, or whose tenders, do not add up — so the ledger (and every Z report built from it) is consistent.

const Amount = (description: string) => v.pipe(v.string(), v.description(description));

export const DiscountBody = v.union([
  v.strictObject({ amount: Amount('Discount in money, e.g. "1.00"') }),
  v.strictObject({ percent: v.pipe(v.string(), v.description('Discount in percent, e.g. "10" or "12.5"')) }),
]);
export type DiscountBody = v.InferOutput<typeof DiscountBody>;

export const SaleLineBody = v.strictObject({
  name: v.string(),
  unitPrice: Amount('Gross unit price, VAT included, e.g. "3.50"'),
  quantity: v.number(),
  vatRate: v.pipe(v.string(), v.description('VAT rate in percent, e.g. "20"')),
  discount: v.optional(DiscountBody),
  note: v.optional(v.string()),
  productId: v.optional(v.string()),
});
export type SaleLineBody = v.InferOutput<typeof SaleLineBody>;

/** The largest receipt number a till may send (a sale's printed number, the highest printed): SQLite and JSON agree on it. */
export const RECEIPT_NO_MAX = 2_147_483_647;

export const SaleBody = v.strictObject({
  lines: v.array(SaleLineBody),
  discount: v.optional(DiscountBody),
  note: v.optional(v.string()),
  total: Amount('What the customer pays, after discounts, e.g. "23.45"'),
  currency: v.string(),
  /** The part of the total paid in cash, and what the customer handed over (the rest was change). */
  cash: v.optional(v.strictObject({ kept: Amount('Cash kept for the sale'), tendered: Amount('Cash handed over') })),
  /** The part paid by card: an approved payment of this amount. */
  card: v.optional(v.strictObject({ amount: Amount('Card part of the total'), ruid: v.string() })),
  reference: v.optional(v.strictObject({ number: v.string(), type: v.string() })),
  createdAt: v.pipe(v.string(), v.isoTimestamp()),
  completedAt: v.pipe(v.string(), v.isoTimestamp()),
  /**
   * The receipt number the sale was booked under before the edge's books were restored from an
   * older backup (a till sending it again): its printed receipt says it, so it is kept when no
   * other sale has it since. Never sent with a sale's first booking.
   */
  receiptNo: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(RECEIPT_NO_MAX), v.description('The receipt number it was booked under before a restore'))),
});
export type SaleBody = v.InferOutput<typeof SaleBody>;

const VAT_PERCENT = /^(0|[1-9][0-9]?)(\.[0-9]{1,2})?$/;
const PERCENT = /^(100|[1-9]?[0-9])(\.[0-9]{1,2})?$/;

/** "20" -> 2000 basis points; the rule every VAT rate follows (products and sale lines). */
export function checkVatRate(value: string, field = 'vatRate'): Checked<number> {
  return VAT_PERCENT.test(value) ? accept(Math.round(Number(value) * 100)) : refuse(field, 'percent', `${field} must be a percentage from 0 to 99.99, like 20 or 9.5`);
}

export function checkDiscount(body: DiscountBody, field: string): Checked<Discount> {
  if ('amount' in body) {
    const cents = parseAmount(body.amount, `${field}.amount`);
    return cents.ok ? accept({ kind: 'amount', cents: cents.value }) : cents;
  }
  if (!PERCENT.test(body.percent) || Number(body.percent) > 100) return refuse(`${field}.percent`, 'percent', `${field}.percent must be from 0 to 100, like 10 or 12.5`);
  return accept({ kind: 'percent', bp: Math.round(Number(body.percent) * 100) });
}

function checkLine(body: SaleLineBody, index: number, capCents: Cents): Checked<SaleLine> {
  const field = `lines[${index}]`;
  const name = body.name.trim();
  if (name.length < 1 || name.length > 60) return refuse(`${field}.name`, 'length', `${field}.name must be 1 to 60 characters`);
  const plainName = checkPlainText(name, `${field}.name`);
  if (!plainName.ok) return plainName;
  const price = parseAmount(body.unitPrice, `${field}.unitPrice`);
  if (!price.ok) return price;
  if (price.value > capCents) return refuse(`${field}.unitPrice`, 'max', `${field}.unitPrice must be at most ${formatCents(capCents)}`);
  if (!Number.isInteger(body.quantity) || body.quantity < 1 || body.quantity > MAX_QUANTITY) {
    return refuse(`${field}.quantity`, 'range', `${field}.quantity must be a whole number from 1 to ${MAX_QUANTITY}`);
  }
  const vat = checkVatRate(body.vatRate, `${field}.vatRate`);
  if (!vat.ok) return vat;
  let discount: Discount | undefined;
  if (body.discount) {
    const checked = checkDiscount(body.discount, `${field}.discount`);
    if (!checked.ok) return checked;
    if (checked.value.kind === 'amount' && checked.value.cents > price.value * body.quantity) {
      return refuse(`${field}.discount.amount`, 'max', `${field}.discount.amount must not exceed the line's price`);
    }
    discount = checked.value;
  }
  const note = body.note?.trim();
  if (note !== undefined && note.length > 200) return refuse(`${field}.note`, 'length', `${field}.note must be at most 200 characters`);
  if (note !== undefined) {
    const plainNote = checkPlainText(note, `${field}.note`);
    if (!plainNote.ok) return plainNote;
  }
  if (body.productId !== undefined) {
    const id = checkRuid(body.productId, `${field}.productId`);
    if (!id.ok) return id;
  }
  return accept({ name, unitPriceCents: price.value, quantity: body.quantity, vatRateBp: vat.value, discount, note: note || undefined, productId: body.productId });
}

/** Checks a sale, prices it again, and checks that its total and its tenders add up. */
export function checkSaleInput(id: string, body: SaleBody, capCents: Cents = DEFAULT_AMOUNT_CAP_CENTS): Checked<SaleInput> {
  const checkedId = checkRuid(id, 'id');
  if (!checkedId.ok) return checkedId;
  if (body.lines.length < 1 || body.lines.length > MAX_SALE_LINES) return refuse('lines', 'length', `lines must hold 1 to ${MAX_SALE_LINES} lines`);
  const lines: SaleLine[] = [];
  for (const [index, line] of body.lines.entries()) {
    const checked = checkLine(line, index, capCents);
    if (!checked.ok) return checked;
    lines.push(checked.value);
  }
  let discount: Discount | undefined;
  if (body.discount) {
    const checked = checkDiscount(body.discount, 'discount');
    if (!checked.ok) return checked;
    discount = checked.value;
  }
  const note = body.note?.trim();
  if (note !== undefined && note.length > 200) return refuse('note', 'length', 'note must be at most 200 characters');
  if (note !== undefined) {
    const plainNote = checkPlainText(note, 'note');
    if (!plainNote.ok) return plainNote;
  }
  const total = parseAmountWithinCap(body.total, capCents, 'total');
  if (!total.ok) return total;
  const priced = priceCart(lines, discount);
  if (priced.totalCents !== total.value) {
    return refuse('total', 'sum_of_lines', `total must equal the lines after discounts (${formatCents(priced.totalCents)})`);
  }
  const currency = checkCurrency(body.currency);
  if (!currency.ok) return currency;

  let cashKeptCents = 0;
  let cashTenderedCents = 0;
  if (body.cash) {
    const kept = parseAmount(body.cash.kept, 'cash.kept');
    if (!kept.ok) return kept;
    const tendered = parseAmount(body.cash.tendered, 'cash.tendered');
    if (!tendered.ok) return tendered;
    if (tendered.value < kept.value) return refuse('cash.tendered', 'min', 'cash.tendered must be at least cash.kept (the rest is change)');
    cashKeptCents = kept.value;
    cashTenderedCents = tendered.value;
  }
  let cardCents = 0;
  let paymentRuid: string | undefined;
  if (body.card) {
    const amount = parseAmountWithinCap(body.card.amount, capCents, 'card.amount');
    if (!amount.ok) return amount;
    const ruid = checkRuid(body.card.ruid, 'card.ruid');
    if (!ruid.ok) return ruid;
    cardCents = amount.value;
    paymentRuid = ruid.value;
  }
  if (cashKeptCents + cardCents !== total.value) {
    return refuse('cash.kept', 'covers_total', 'cash.kept and card.amount must add up to the total: a sale is complete only when fully paid');
  }
  let reference: PaymentReference | undefined;
  if (body.reference) {
    const checked = checkReference(body.reference);
    if (!checked.ok) return checked;
    reference = checked.value;
  }
  return accept({
    id: checkedId.value,
    lines,
    discount,
    note: note || undefined,
    totalCents: total.value,
    currency: currency.value,
    cashKeptCents,
    cashTenderedCents,
    cardCents,
    paymentRuid,
    reference,
    createdAt: body.createdAt,
    completedAt: body.completedAt,
  });
}

