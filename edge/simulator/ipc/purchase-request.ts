import { checkCaller, missingField } from './caller.js';
import type { CartLine, CheckoutInput } from './checkout-types.js';
import type { IpcSimSettings } from './settings.js';
import { htmlUnescape, IPC_STATUS, ipcError, parseIpcAmount, type IpcError, type IpcForm } from './wire.js';

// IPCPurchase as the SDK's Purchase::process() sends it and the handbook's "Method properties"
// require it: Currency, Amount, OrderID, URL_OK, URL_Cancel, URL_Notify, CardTokenRequest (0, 1, 2),
// PaymentParametersRequired (1, 2, 3), the customer's email and names when it is 1, and the cart
// (CartItems, then Article_i, Quantity_i, Price_i, Amount_i, Currency_i from 1) whose lines add up
// to Amount. Assumed where the documents are silent: URL_Notify may be http (the handbook wants
// https; the demo and the tests run on loopback); a card-storing-only request (CardTokenRequest 1)
// is refused, as the simulator stores no cards; expires_in (the SDK's default 86400 s) bounds how
// long the page can be paid.

const REQUIRED = ['Currency', 'Amount', 'OrderID', 'URL_OK', 'URL_Cancel', 'URL_Notify', 'CardTokenRequest', 'PaymentParametersRequired', 'CartItems'] as const;
const MAX_CART_ITEMS = 100;
const MAX_ORDER_ID = 255;

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function cart(form: IpcForm, currency: string, amountCents: number): readonly CartLine[] | IpcError {
  const count = Number(form.text('CartItems'));
  if (!Number.isInteger(count) || count < 1 || count > MAX_CART_ITEMS) return ipcError(IPC_STATUS.invalidParams, 'CartItems must be a whole number from 1');
  const lines: CartLine[] = [];
  let totalCents = 0;
  for (let i = 1; i <= count; i++) {
    const missing = missingField(form, [`Article_${i}`, `Quantity_${i}`, `Price_${i}`, `Amount_${i}`, `Currency_${i}`]);
    if (missing) return missing;
    const line: CartLine = {
      article: htmlUnescape(form.text(`Article_${i}`)),
      quantity: form.text(`Quantity_${i}`),
      price: form.text(`Price_${i}`),
      amount: form.text(`Amount_${i}`),
      currency: form.text(`Currency_${i}`),
    };
    const lineCents = parseIpcAmount(line.amount);
    const priceCents = parseIpcAmount(line.price);
    const quantity = Number(line.quantity);
    if (!Number.isInteger(quantity) || quantity < 1) return ipcError(IPC_STATUS.invalidParams, `Quantity_${i} must be a whole number from 1`);
    if (lineCents === undefined || priceCents === undefined) return ipcError(IPC_STATUS.invalidParams, `Price_${i} and Amount_${i} must be amounts like 23.45`);
    if (line.currency !== currency) return ipcError(IPC_STATUS.invalidParams, `Currency_${i} must be the purchase's currency`);
    totalCents += lineCents;
    lines.push(line);
  }
  if (totalCents !== amountCents) return ipcError(IPC_STATUS.wrongAmount, 'The cart does not add up to Amount');
  return lines;
}

/** The checkout an IPCPurchase form asks for, or the error myPOS's error page reports. */
export async function checkPurchase(form: IpcForm, settings: IpcSimSettings): Promise<CheckoutInput | IpcError> {
  const refused = await checkCaller(form, settings, REQUIRED);
  if (refused) return refused;
  const currency = form.text('Currency');
  if (!/^[A-Z]{3}$/.test(currency)) return ipcError(IPC_STATUS.invalidParams, 'Currency must be an ISO 4217 code like EUR');
  const amountCents = parseIpcAmount(form.text('Amount'));
  if (amountCents === undefined || amountCents <= 0) return ipcError(IPC_STATUS.wrongAmount, 'Amount must be more than 0, like 23.45');
  const orderId = htmlUnescape(form.text('OrderID'));
  if (orderId.length > MAX_ORDER_ID) return ipcError(IPC_STATUS.invalidParams, 'OrderID is longer than 255 characters');
  const text = (name: string) => htmlUnescape(form.text(name));
  const urls = { urlOk: text('URL_OK'), urlCancel: text('URL_Cancel'), urlNotify: text('URL_Notify') };
  if (!Object.values(urls).every(isHttpUrl)) return ipcError(IPC_STATUS.invalidParams, 'URL_OK, URL_Cancel and URL_Notify must be http(s) URLs');
  const tokenRequest = form.text('CardTokenRequest');
  if (!['0', '1', '2'].includes(tokenRequest)) return ipcError(IPC_STATUS.invalidParams, 'CardTokenRequest must be 0, 1 or 2');
  if (tokenRequest === '1') return ipcError(IPC_STATUS.invalidParams, 'The simulator does not store cards (CardTokenRequest 1)');
  const ppr = form.text('PaymentParametersRequired');
  if (!['1', '2', '3'].includes(ppr)) return ipcError(IPC_STATUS.invalidParams, 'PaymentParametersRequired must be 1, 2 or 3');
  if (ppr === '1') {
    const missing = missingField(form, ['CustomerEmail', 'CustomerFirstNames', 'CustomerFamilyName']);
    if (missing) return missing;
  }
  const expiresText = form.text('expires_in').trim();
  const expiresInSeconds = expiresText === '' ? 86_400 : Number(expiresText);
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1) return ipcError(IPC_STATUS.invalidParams, 'expires_in must be a whole number of seconds');
  const lines = cart(form, currency, amountCents);
  if ('status' in lines) return lines;
  return {
    orderId,
    amountText: form.text('Amount'),
    amountCents,
    currency,
    lines,
    note: text('Note'),
    ...urls,
    sid: form.text('SID'),
    language: form.text('IPCLanguage') || 'EN',
    paymentParametersRequired: ppr,
    customer: { email: text('CustomerEmail'), phone: text('CustomerPhone'), firstNames: text('CustomerFirstNames'), familyName: text('CustomerFamilyName') },
    expiresInSeconds,
  };
}
