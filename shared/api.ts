import * as v from 'valibot';
import { DEFAULT_AMOUNT_CAP_CENTS, formatCents, parseAmount, parseAmountWithinCap, type Cents } from './money.js';
import { accept, type Checked } from './result.js';
import { checkVatRate } from './sale-check.js';
import { checkCurrency, checkPlainText, checkReference, checkRuid, checkTid, type PaymentReference } from './validation.js';
import { isProductColor, PRODUCT_COLORS, SORT_ORDER_MAX, type Product } from './product.js';

// The product's plain types and rules live in product.ts (no valibot): the till's first load imports them.
export { compareProducts, isProductColor, PRODUCT_COLORS, SORT_ORDER_MAX, type Product, type ProductColor } from './product.js';

// Request bodies of the edge's API. Valibot checks the shape (and gives the OpenAPI schema);
// the shared validators then check each value's rule, naming the field.

export const ReferenceBody = v.strictObject({ number: v.string(), type: v.string() });

export const CreatePaymentBody = v.strictObject({
  ruid: v.string(),
  tid: v.string(),
  amount: v.pipe(v.string(), v.description('Amount with a dot and two decimals, e.g. "23.45"')),
  reference: v.optional(ReferenceBody),
});
export type CreatePaymentBody = v.InferOutput<typeof CreatePaymentBody>;

/**
 * In a 409 terminal_busy answer: the payment the terminal is busy with. Data only — the till says
 * it in its own words and lets the cashier decide (open that payment, or charge on another terminal).
 */
export interface InFlightSummary {
  readonly ruid: string;
  readonly amount: string;
  readonly currency: string;
  readonly createdAt: string;
}

export const CreateRefundBody = v.strictObject({
  ruid: v.string(),
  originalRuid: v.string(),
  amount: v.pipe(v.string(), v.description('Amount to refund, at most what is left of the original')),
});
export type CreateRefundBody = v.InferOutput<typeof CreateRefundBody>;

export const CreateTerminalBody = v.strictObject({ tid: v.string(), currency: v.string() });
export type CreateTerminalBody = v.InferOutput<typeof CreateTerminalBody>;

export interface PaymentInput {
  readonly ruid: string;
  readonly tid: string;
  readonly amountCents: Cents;
  readonly reference: PaymentReference | undefined;
}

export function checkPaymentInput(body: CreatePaymentBody, capCents: Cents = DEFAULT_AMOUNT_CAP_CENTS): Checked<PaymentInput> {
  const ruid = checkRuid(body.ruid);
  if (!ruid.ok) return ruid;
  const tid = checkTid(body.tid);
  if (!tid.ok) return tid;
  const amount = parseAmountWithinCap(body.amount, capCents);
  if (!amount.ok) return amount;
  let reference: PaymentReference | undefined;
  if (body.reference) {
    const checked = checkReference(body.reference);
    if (!checked.ok) return checked;
    reference = checked.value;
  }
  return accept({ ruid: ruid.value, tid: tid.value, amountCents: amount.value, reference });
}

export interface RefundInput {
  readonly ruid: string;
  readonly originalRuid: string;
  readonly amountCents: Cents;
}

export function checkRefundInput(body: CreateRefundBody, capCents: Cents = DEFAULT_AMOUNT_CAP_CENTS): Checked<RefundInput> {
  const ruid = checkRuid(body.ruid);
  if (!ruid.ok) return ruid;
  const original = checkRuid(body.originalRuid, 'originalRuid');
  if (!original.ok) return original;
  const amount = parseAmountWithinCap(body.amount, capCents);
  if (!amount.ok) return amount;
  return accept({ ruid: ruid.value, originalRuid: original.value, amountCents: amount.value });
}

export function checkTerminalInput(body: CreateTerminalBody): Checked<{ tid: string; currency: string }> {
  const tid = checkTid(body.tid);
  if (!tid.ok) return tid;
  const currency = checkCurrency(body.currency);
  if (!currency.ok) return currency;
  return accept({ tid: tid.value, currency: currency.value });
}

export const PairBody = v.strictObject({ code: v.string(), name: v.string() });
export const PairingCodeBody = v.strictObject({
  role: v.optional(v.picklist(['till', 'admin'])),
  terminals: v.optional(v.array(v.string())),
  ttlSeconds: v.optional(v.number()),
});
export const DevicePatchBody = v.strictObject({ name: v.optional(v.string()), terminals: v.optional(v.array(v.string())) });

const DEVICE_NAME = /^[\x20-\x7E\u00A0-\uFFFF]{1,40}$/;

export function checkDeviceName(value: string, field = 'name'): Checked<string> {
  const trimmed = value.trim();
  const plain = checkPlainText(trimmed, field);
  if (!plain.ok) return plain;
  return DEVICE_NAME.test(trimmed) ? accept(trimmed) : { ok: false, error: { field, rule: 'length', message: `${field} must be 1 to 40 printable characters` } };
}

export function checkTerminalList(values: readonly string[], field = 'terminals'): Checked<string[]> {
  if (values.length === 1 && values[0] === '*') return accept(['*']);
  for (const value of values) {
    const tid = checkTid(value, field);
    if (!tid.ok) return { ok: false, error: { field, rule: 'an8', message: `${field} must be "*" or terminal IDs of 8 letters or digits` } };
  }
  return accept([...new Set(values)]);
}

/** A product of the catalogue (PUT /api/products/:id). Prices are gross, VAT included. */
export const ProductBody = v.strictObject({
  name: v.string(),
  price: v.pipe(v.string(), v.description('Gross price, e.g. "3.50"')),
  vatRate: v.pipe(v.string(), v.description('VAT rate in percent, e.g. "20" or "9.5"')),
  category: v.optional(v.string()),
  barcode: v.optional(v.string()),
  active: v.optional(v.boolean()),
  sortOrder: v.optional(v.pipe(v.number(), v.description('Place on the quick keys, lowest first (a whole number 0-999999); unset: kept, or after the last product'))),
  color: v.optional(v.pipe(v.string(), v.description('Colour of its quick key, one of the palette: slate, red, orange, amber, green, teal, blue, purple, pink'))),
});
export type ProductBody = v.InferOutput<typeof ProductBody>;

const BARCODE = /^[0-9]{8,14}$/;

export function checkProductInput(id: string, body: ProductBody, updatedAt: string, capCents: Cents = DEFAULT_AMOUNT_CAP_CENTS): Checked<Product> {
  const checkedId = checkRuid(id, 'id');
  if (!checkedId.ok) return checkedId;
  const name = body.name.trim();
  if (name.length < 1 || name.length > 60) return { ok: false, error: { field: 'name', rule: 'length', message: 'name must be 1 to 60 characters' } };
  const plainName = checkPlainText(name, 'name');
  if (!plainName.ok) return plainName;
  const price = parseAmount(body.price, 'price');
  if (!price.ok) return price;
  if (price.value > capCents) return { ok: false, error: { field: 'price', rule: 'max', message: `price must be at most ${formatCents(capCents)}` } };
  const vatRate = checkVatRate(body.vatRate);
  if (!vatRate.ok) return vatRate;
  const category = (body.category ?? '').trim();
  if (category.length > 40) return { ok: false, error: { field: 'category', rule: 'length', message: 'category must be at most 40 characters' } };
  const plainCategory = checkPlainText(category, 'category');
  if (!plainCategory.ok) return plainCategory;
  if (body.barcode !== undefined && !BARCODE.test(body.barcode)) return { ok: false, error: { field: 'barcode', rule: 'digits', message: 'barcode must be 8 to 14 digits (EAN-8, UPC, EAN-13, GTIN-14)' } };
  if (body.sortOrder !== undefined && !(Number.isInteger(body.sortOrder) && body.sortOrder >= 0 && body.sortOrder <= SORT_ORDER_MAX)) {
    return { ok: false, error: { field: 'sortOrder', rule: 'integer', message: `sortOrder must be a whole number from 0 to ${SORT_ORDER_MAX}` } };
  }
  const color = body.color;
  if (color !== undefined && !isProductColor(color)) return { ok: false, error: { field: 'color', rule: 'palette', message: `color must be one of ${PRODUCT_COLORS.join(', ')}` } };
  return accept({
    id: checkedId.value,
    name,
    priceCents: price.value,
    vatRateBp: vatRate.value,
    category,
    barcode: body.barcode,
    active: body.active ?? true,
    sortOrder: body.sortOrder ?? 0,
    ...(color === undefined ? {} : { color }),
    updatedAt,
  });
}

/** Cash handed back against a sale (POST /api/sales/:id/cash-refunds), idempotent by id. */
export const CashRefundBody = v.strictObject({ id: v.string(), amount: v.pipe(v.string(), v.description('Cash to hand back, at most the cash part not yet refunded')) });
export type CashRefundBody = v.InferOutput<typeof CashRefundBody>;

/** Closing the day (POST /api/day-closes): the float the drawer started with and the cash counted in it. */
export const DayCloseBody = v.strictObject({
  openingFloat: v.pipe(v.string(), v.description('Cash in the drawer when the day began, e.g. "100.00"')),
  countedCash: v.pipe(v.string(), v.description('Cash counted in the drawer at the close, e.g. "412.30"')),
});
export type DayCloseBody = v.InferOutput<typeof DayCloseBody>;

/** Hold an amount on the card (POST /api/preauths): LAN terminals only. */
export const CreatePreauthBody = v.strictObject({ ruid: v.string(), tid: v.string(), amount: v.string(), reference: v.optional(ReferenceBody) });
export type CreatePreauthBody = v.InferOutput<typeof CreatePreauthBody>;

/** Charge a held amount (POST /api/preauths/:ruid/completion): at most what was held. */
export const CompletePreauthBody = v.strictObject({ ruid: v.string(), amount: v.string() });
export type CompletePreauthBody = v.InferOutput<typeof CompletePreauthBody>;

/** Release a hold (POST /api/preauths/:ruid/release). */
export const ReleasePreauthBody = v.strictObject({ ruid: v.string() });

/** Settle by hand, after checking the terminal, an unknown LAN payment or a cloud one at check_terminal (POST /api/payments/:ruid/resolve). */
export const ResolvePaymentBody = v.strictObject({ state: v.picklist(['approved', 'declined']), ref: v.optional(v.string()) });

/** The shop, kept at the edge for every till (PUT /api/shop, admin). */
export const ShopBody = v.strictObject({
  name: v.pipe(v.string(), v.description('The shop\'s name, on receipts and reports')),
  address: v.optional(v.pipe(v.string(), v.description('Address lines under the name on receipts'))),
  currency: v.pipe(v.string(), v.description('The one currency of the catalogue, the cash and the books, e.g. "EUR"')),
  freeAmountVat: v.pipe(v.string(), v.description('VAT rate in percent of an amount typed on the keypad, e.g. "20"')),
});
export type ShopBody = v.InferOutput<typeof ShopBody>;

export interface ShopProfile {
  readonly name: string;
  readonly address: string;
  readonly currency: string;
  /** Basis points: 2000 = 20 %. */
  readonly freeAmountVatBp: number;
  /** Unset until an admin saves it (the defaults come from the edge's settings). */
  readonly updatedAt: string | undefined;
}

export function checkShopInput(body: ShopBody, updatedAt: string): Checked<ShopProfile> {
  const name = body.name.trim();
  if (name.length < 1 || name.length > 60) return { ok: false, error: { field: 'name', rule: 'length', message: 'name must be 1 to 60 characters' } };
  const plainName = checkPlainText(name, 'name');
  if (!plainName.ok) return plainName;
  const address = (body.address ?? '').trim();
  if (address.length > 200) return { ok: false, error: { field: 'address', rule: 'length', message: 'address must be at most 200 characters' } };
  // Its lines are printed under the name: line feeds are the one control character it keeps.
  const plainAddress = checkPlainText(address, 'address', { multiline: true });
  if (!plainAddress.ok) return plainAddress;
  const currency = checkCurrency(body.currency);
  if (!currency.ok) return currency;
  const vat = checkVatRate(body.freeAmountVat, 'freeAmountVat');
  if (!vat.ok) return vat;
  return accept({ name, address, currency: currency.value, freeAmountVatBp: vat.value, updatedAt });
}
