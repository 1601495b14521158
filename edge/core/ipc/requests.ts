import { checkAmountCents, DEFAULT_AMOUNT_CAP_CENTS, formatCents, type Cents } from '../../../shared/money.js';
import { accept, refuse, type Checked } from '../../../shared/result.js';
import { checkCurrency, checkPlainText } from '../../../shared/validation.js';
import type { IpcFields } from './signing.js';
import { checkIpcMerchant, checkIpcUrl, checkOrderId, checkTrnref, IPC_OUTPUT_FORMAT, type IpcMerchant } from './values.js';

export type { IpcMerchant } from './values.js';

// Typed builders of the IPC requests, each answering its fields unsigned and in the order the SDK
// adds them (developermypos/myPOS-Checkout-SDK-PHP, `process()` of IPC/Purchase.php,
// GetTxnStatus.php, Refund.php, Reversal.php): the order is signed, so it is fixed here. Every value
// is checked first; a refusal names the field and the rule, and nothing is signed.
//
// Read in the SDK: every call starts IPCmethod, IPCVersion, IPCLanguage, SID, WalletNumber,
// KeyIndex, Source. IPCPurchase then: Currency, Amount, OrderID, URL_OK, URL_Cancel, URL_Notify,
// Note, expires_in, (ApplicationID, PartnerID), (8 customer fields), CartItems, then per line
// Article_n, Quantity_n, Price_n, Amount_n (= price x quantity), Currency_n, then
// CardTokenRequest, PaymentParametersRequired, PaymentMethod. GetTxnStatus: OrderID, OutputFormat.
// Refund: Currency, Amount, OrderID ("request identifier - must be unique": the refund's own id),
// IPC_Trnref (the purchase's), OutputFormat, (ApplicationID, PartnerID). Reversal: IPC_Trnref,
// OutputFormat, (ApplicationID, PartnerID).
// Assumed / chosen: ApplicationID and PartnerID are left out (myPOS partner-program fields; the
// IPC v1.4 manual's IPCRefund and IPCReversal tables do not have them). PaymentParametersRequired
// is 3 (PURCHASE_TYPE_SIMPLIFIED_PAYMENT_PAGE: no customer details asked or sent); with 3 the
// customer fields are left out, as the SDK's earlier Purchase.php did. Amounts go as "23.45" (the
// SDK sends PHP floats like "20"; the manual's type is Double). IPCVersion is "1.4" (the SDK's
// Config defaults to "1.4.1"; its documentation samples set "1.4"). OutputFormat is json, the
// SDK's default (Base.php). Values posted server to server hold no HTML-special character (the
// SDK's _addPostParam HTML-escapes what it posts but signs the unescaped value).

/** Purchase.php PURCHASE_TYPE_SIMPLIFIED_PAYMENT_PAGE: the customer types only the card. */
export const PAYMENT_PARAMETERS_CARD_ONLY = '3';
/** Purchase.php CARD_TOKEN_REQUEST_NONE. */
export const CARD_TOKEN_NONE = '0';
/** Purchase.php PAYMENT_METHOD_*: the SDK's default is 3 (card and iDEAL). */
export const PAYMENT_METHODS = { card: '1', ideal: '2', both: '3' } as const;
/** Purchase.php `$expiresIn` default, seconds. */
export const DEFAULT_EXPIRES_IN_SECONDS = 86_400;
export const MAX_CART_LINES = 100;

export interface IpcCartLine {
  readonly name: string;
  /** Whole pieces (Helper.php isValidCartQuantity: an int above 0). */
  readonly quantity: number;
  readonly unitPriceCents: Cents;
}

export interface IpcPurchaseInput {
  /** Our RUID of the payment. */
  readonly orderId: string;
  readonly amountCents: Cents;
  readonly currency: string;
  readonly urlOk: string;
  readonly urlCancel: string;
  readonly urlNotify: string;
  /** The cart's lines; they must add up to the amount. Absent: one line of the whole amount. */
  readonly lines?: readonly IpcCartLine[] | undefined;
  /** Article name of that single line. */
  readonly singleLineName?: string | undefined;
  readonly note?: string | undefined;
  readonly expiresInSeconds?: number | undefined;
  readonly paymentMethod?: keyof typeof PAYMENT_METHODS | undefined;
}

type Field = readonly [string, string];

function head(method: string, merchant: IpcMerchant): Checked<Field[]> {
  const common = checkIpcMerchant(merchant);
  return common.ok ? accept([['IPCmethod', method], ...common.value]) : common;
}

/**
 * The cart's lines as the payment page takes them: 1 to MAX_CART_LINES, each a plain name, whole
 * pieces and a price within the cap, together exactly the amount. Answers the lines, names trimmed.
 */
export function checkCartLines(lines: readonly IpcCartLine[], amountCents: Cents, capCents: Cents = DEFAULT_AMOUNT_CAP_CENTS): Checked<IpcCartLine[]> {
  if (lines.length === 0) return refuse('lines', 'required', 'lines must hold at least one line (Cart.php validate: "Missing cart items")');
  if (lines.length > MAX_CART_LINES) return refuse('lines', 'max', `lines must hold at most ${MAX_CART_LINES} lines`);
  const checked: IpcCartLine[] = [];
  let sum = 0;
  for (const [index, line] of lines.entries()) {
    const at = `lines[${index}]`;
    const name = line.name.trim();
    if (name.length === 0 || name.length > 255) return refuse(`${at}.name`, 'length', `${at}.name must be 1 to 255 characters`);
    const plain = checkPlainText(name, `${at}.name`);
    if (!plain.ok) return plain;
    if (!Number.isSafeInteger(line.quantity)) return refuse(`${at}.quantity`, 'integer', `${at}.quantity must be a whole number of pieces`);
    if (line.quantity < 1 || line.quantity > 99_999) return refuse(`${at}.quantity`, 'range', `${at}.quantity must be 1 to 99999`);
    const unit = checkAmountCents(line.unitPriceCents, capCents, `${at}.unitPriceCents`);
    if (!unit.ok) return unit;
    sum += unit.value * line.quantity;
    checked.push({ name, quantity: line.quantity, unitPriceCents: unit.value });
  }
  if (sum !== amountCents) {
    return refuse('lines', 'sum_of_lines', `the lines add up to ${Number.isSafeInteger(sum) ? formatCents(sum) : 'too much'}, not the amount ${formatCents(amountCents)}`);
  }
  return accept(checked);
}

function cartFields(lines: readonly IpcCartLine[], amountCents: Cents, currency: string, capCents: Cents): Checked<Field[]> {
  const checked = checkCartLines(lines, amountCents, capCents);
  if (!checked.ok) return checked;
  const fields: Field[] = [['CartItems', String(checked.value.length)]];
  for (const [index, line] of checked.value.entries()) {
    const n = index + 1;
    const lineCents = line.unitPriceCents * line.quantity;
    fields.push([`Article_${n}`, line.name], [`Quantity_${n}`, String(line.quantity)], [`Price_${n}`, formatCents(line.unitPriceCents)], [`Amount_${n}`, formatCents(lineCents)], [`Currency_${n}`, currency]);
  }
  return accept(fields);
}

/** IPCPurchase: the form the customer's browser posts to myPOS (ipc/client.ts signedPurchaseForm). */
export function purchaseRequest(merchant: IpcMerchant, input: IpcPurchaseInput, capCents: Cents = DEFAULT_AMOUNT_CAP_CENTS): Checked<IpcFields> {
  const start = head('IPCPurchase', merchant);
  if (!start.ok) return start;
  const amount = checkAmountCents(input.amountCents, capCents, 'amount');
  if (!amount.ok) return amount;
  const currency = checkCurrency(input.currency);
  if (!currency.ok) return currency;
  const orderId = checkOrderId(input.orderId);
  if (!orderId.ok) return orderId;
  const urls: Field[] = [];
  for (const [field, value, httpsOnly] of [['URL_OK', input.urlOk, false], ['URL_Cancel', input.urlCancel, false], ['URL_Notify', input.urlNotify, true]] as const) {
    const url = checkIpcUrl(value, field, httpsOnly);
    if (!url.ok) return url;
    urls.push([field, url.value]);
  }
  const note = input.note ?? '';
  if (note.length > 255) return refuse('Note', 'length', 'Note must be at most 255 characters');
  const plainNote = checkPlainText(note, 'Note');
  if (!plainNote.ok) return plainNote;
  const expiresIn = input.expiresInSeconds ?? DEFAULT_EXPIRES_IN_SECONDS;
  if (!Number.isSafeInteger(expiresIn) || expiresIn < 60 || expiresIn > DEFAULT_EXPIRES_IN_SECONDS) {
    return refuse('expires_in', 'range', `expires_in must be a whole number of seconds from 60 to ${DEFAULT_EXPIRES_IN_SECONDS}`);
  }
  const lines = input.lines ?? [{ name: input.singleLineName ?? 'Purchase', quantity: 1, unitPriceCents: amount.value }];
  const cart = cartFields(lines, amount.value, currency.value, capCents);
  if (!cart.ok) return cart;
  return accept([
    ...start.value,
    ['Currency', currency.value],
    ['Amount', formatCents(amount.value)],
    ['OrderID', orderId.value],
    ...urls,
    ['Note', note],
    ['expires_in', String(expiresIn)],
    ...cart.value,
    ['CardTokenRequest', CARD_TOKEN_NONE],
    ['PaymentParametersRequired', PAYMENT_PARAMETERS_CARD_ONLY],
    ['PaymentMethod', PAYMENT_METHODS[input.paymentMethod ?? 'both']],
  ]);
}

/** IPCGetTxnStatus: the last message myPOS exchanged about an OrderID (ipc/answers.ts reads it). */
export function txnStatusRequest(merchant: IpcMerchant, input: { readonly orderId: string }): Checked<IpcFields> {
  const start = head('IPCGetTxnStatus', merchant);
  if (!start.ok) return start;
  const orderId = checkOrderId(input.orderId);
  if (!orderId.ok) return orderId;
  return accept([...start.value, ['OrderID', orderId.value], ['OutputFormat', IPC_OUTPUT_FORMAT]]);
}

export interface IpcRefundInput {
  /** The refund's own unique id (our RUID of the refund), not the purchase's. */
  readonly orderId: string;
  /** IPC_Trnref of the purchase, from its IPCPurchaseNotify or its status. */
  readonly trnref: string;
  readonly amountCents: Cents;
  readonly currency: string;
}

export function refundRequest(merchant: IpcMerchant, input: IpcRefundInput, capCents: Cents = DEFAULT_AMOUNT_CAP_CENTS): Checked<IpcFields> {
  const start = head('IPCRefund', merchant);
  if (!start.ok) return start;
  const currency = checkCurrency(input.currency);
  if (!currency.ok) return currency;
  const amount = checkAmountCents(input.amountCents, capCents, 'amount');
  if (!amount.ok) return amount;
  const orderId = checkOrderId(input.orderId);
  if (!orderId.ok) return orderId;
  const trnref = checkTrnref(input.trnref);
  if (!trnref.ok) return trnref;
  return accept([...start.value, ['Currency', currency.value], ['Amount', formatCents(amount.value)], ['OrderID', orderId.value], ['IPC_Trnref', trnref.value], ['OutputFormat', IPC_OUTPUT_FORMAT]]);
}

/** IPCReversal (void) of a purchase by its IPC_Trnref. */
export function reversalRequest(merchant: IpcMerchant, input: { readonly trnref: string }): Checked<IpcFields> {
  const start = head('IPCReversal', merchant);
  if (!start.ok) return start;
  const trnref = checkTrnref(input.trnref);
  if (!trnref.ok) return trnref;
  return accept([...start.value, ['IPC_Trnref', trnref.value], ['OutputFormat', IPC_OUTPUT_FORMAT]]);
}
