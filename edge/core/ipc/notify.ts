import type { Cents } from '../../../shared/money.js';
import type { SignatureVerifier } from '../mypos/signing.js';
import { ipcField } from './answers.js';
import { SIGNATURE_FIELD, verifyIpcWith, type IpcFields } from './signing.js';
import { parseIpcAmount } from './values.js';

// What myPOS posts to us, read and verified. The SDK's notify handling (its documentation's
// "Purchase Notify" sample, and Response.php with COMMUNICATION_FORMAT_POST): the posted fields as
// received, their Signature verified with myPOS's certificate over the other values in received
// order (ipc/signing.ts), then IPCmethod read. Methods (IPC v1.4 manual, "The calls", MYPOS
// CHECKOUT TO MERCHANT):
// - IPCPurchaseNotify, server to server on URL_Notify: the payment succeeded. Amount, Currency,
//   OrderID, IPC_Trnref, RequestSTAN, RequestDateTime (+ SID, PaymentMethod, BillingDescriptor,
//   PAN… in practice). myPOS wants HTTP 200 with the body "OK" (NOTIFY_ANSWER); any other answer is
//   a failure, and myPOS then reverses the payment and posts IPCPurchaseRollback.
// - IPCPurchaseRollback, on URL_Notify: the earlier notification is void, the payment reversed.
// - IPCPurchaseCancel, the customer's browser on URL_Cancel: the customer cancelled.
// - IPCPurchaseOK, the customer's browser on URL_OK (GET or POST): the same fields as the notify.
//   Never approve from it (the manual: not server to server, not guaranteed): read it only to
//   show the customer a page.
// The caller still compares orderId, amount and currency with the stored payment: this file knows
// the message, not the payment. Assumed: a field twice in one body is refused (PHP would keep the
// last value, which the signature may not cover as sent).

/** The body myPOS expects back, with HTTP 200 (the manual: "Response standard properties"). */
export const NOTIFY_ANSWER = 'OK';
export const NOTIFY_ANSWER_CONTENT_TYPE = 'text/plain; charset=utf-8';
export const MAX_NOTIFY_BYTES = 64 * 1024;

export const NOTIFY_METHODS = ['IPCPurchaseNotify', 'IPCPurchaseRollback', 'IPCPurchaseCancel', 'IPCPurchaseOK'] as const;
export type NotifyMethod = (typeof NOTIFY_METHODS)[number];

interface Common {
  readonly orderId: string;
  /** The fields as received (for the audit log). */
  readonly fields: IpcFields;
}

export type IpcNotification =
  | ({ readonly kind: 'paid' | 'returned_ok'; readonly amountCents: Cents; readonly currency: string; readonly trnref: string; readonly requestStan: string | undefined; readonly requestDateTime: string | undefined } & Common)
  | ({ readonly kind: 'rolled_back' | 'cancelled'; readonly amountCents: Cents | undefined; readonly currency: string | undefined } & Common);

export type NotifyRefusalReason = 'malformed' | 'bad_signature' | 'unknown_method' | 'missing_field' | 'wrong_store';

export interface NotifyRefusal {
  readonly kind: 'refused';
  readonly reason: NotifyRefusalReason;
  readonly field?: string;
  readonly message: string;
}

const KINDS: Readonly<Record<NotifyMethod, IpcNotification['kind']>> = {
  IPCPurchaseNotify: 'paid',
  IPCPurchaseOK: 'returned_ok',
  IPCPurchaseRollback: 'rolled_back',
  IPCPurchaseCancel: 'cancelled',
};

function refused(reason: NotifyRefusalReason, message: string, field?: string): NotifyRefusal {
  return { kind: 'refused', reason, message, ...(field === undefined ? {} : { field }) };
}

/** application/x-www-form-urlencoded (or a query string) -> its fields in received order. */
export function parseIpcForm(body: string): { ok: true; fields: IpcFields } | { ok: false; message: string } {
  if (new TextEncoder().encode(body).byteLength > MAX_NOTIFY_BYTES) return { ok: false, message: `the body is larger than ${MAX_NOTIFY_BYTES} bytes` };
  const fields = [...new URLSearchParams(body)];
  const seen = new Set<string>();
  for (const [name] of fields) {
    if (name === '') return { ok: false, message: 'a field has no name' };
    if (seen.has(name)) return { ok: false, message: `field ${name} appears twice` };
    seen.add(name);
  }
  if (fields.length === 0) return { ok: false, message: 'the body has no fields' };
  return { ok: true, fields };
}

/**
 * Reads a notification body: the signature first (nothing else is read from an unverified body),
 * then the method and its fields. `sid`, when given, must match a SID the message carries.
 */
export async function parseIpcNotification(body: string, verifier: SignatureVerifier, options: { readonly sid?: string } = {}): Promise<IpcNotification | NotifyRefusal> {
  const form = parseIpcForm(body);
  return form.ok ? readIpcNotification(form.fields, verifier, options) : refused('malformed', form.message);
}

/** The same, from fields already read in received order (a field twice is refused). */
export async function readIpcNotification(fields: IpcFields, verifier: SignatureVerifier, options: { readonly sid?: string } = {}): Promise<IpcNotification | NotifyRefusal> {
  const names = new Set(fields.map(([name]) => name));
  if (names.size !== fields.length || names.has('')) return refused('malformed', 'a field appears twice or has no name');
  if (!fields.some(([name]) => name === SIGNATURE_FIELD)) return refused('bad_signature', 'the message has no Signature', SIGNATURE_FIELD);
  if (!(await verifyIpcWith(fields, verifier))) return refused('bad_signature', 'the Signature does not verify with the myPOS certificate', SIGNATURE_FIELD);

  const method = ipcField(fields, 'IPCmethod');
  if (method === undefined) return refused('missing_field', 'the message has no IPCmethod', 'IPCmethod');
  if (!(NOTIFY_METHODS as readonly string[]).includes(method)) return refused('unknown_method', `IPCmethod ${method} is not a notification`, 'IPCmethod');
  const kind = KINDS[method as NotifyMethod];

  const sid = ipcField(fields, 'SID');
  if (options.sid !== undefined && sid !== undefined && sid !== options.sid) return refused('wrong_store', `the message is for SID ${sid}, not ours`, 'SID');
  const orderId = ipcField(fields, 'OrderID');
  if (!orderId) return refused('missing_field', `${method} has no OrderID`, 'OrderID');

  const amount = ipcField(fields, 'Amount');
  const amountCents = amount === undefined ? undefined : parseIpcAmount(amount);
  if (amount !== undefined && amountCents === undefined) return refused('malformed', `Amount "${amount}" is not an amount`, 'Amount');
  const currency = ipcField(fields, 'Currency');
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) return refused('malformed', `Currency "${currency}" is not an ISO 4217 code`, 'Currency');
  if (kind === 'rolled_back' || kind === 'cancelled') return { kind, orderId, amountCents, currency, fields };

  if (amountCents === undefined) return refused('missing_field', `${method} has no Amount`, 'Amount');
  if (currency === undefined) return refused('missing_field', `${method} has no Currency`, 'Currency');
  const trnref = ipcField(fields, 'IPC_Trnref');
  if (!trnref) return refused('missing_field', `${method} has no IPC_Trnref`, 'IPC_Trnref');
  return { kind, orderId, amountCents, currency, trnref, requestStan: ipcField(fields, 'RequestSTAN'), requestDateTime: ipcField(fields, 'RequestDateTime'), fields };
}
