import type { Cents } from '../../../shared/money.js';
import type { SignatureVerifier } from '../mypos/signing.js';
import { SIGNATURE_FIELD, verifyIpcWith, type IpcFields } from './signing.js';
import { parseIpcAmount } from './values.js';

// myPOS's answers to the server-to-server calls, read as the SDK reads them
// (developermypos/myPOS-Checkout-SDK-PHP, IPC/Response.php): JSON (Base.php's default
// OutputFormat, and the only format the SDK flattens predictably: XML goes through
// SimpleXMLElement casts), flattened in order (Helper::getValuesFromMultiDimensionalArray: nested
// objects' values in place, a nested Signature included), the top-level "signature" key (any case,
// `_extractSignature`) left out, then verified with myPOS's certificate. Values are joined as PHP's
// implode writes them: numbers in decimal, true "1", false and null "". Keys are read in any case
// (the SDK's getData(CASE_LOWER)). Nothing from an answer is used before its signature verifies.
//
// IPCGetTxnStatus: the SDK does not read the answer; its method table only refers to "the
// Response properties of every command". What myPOS answers (a test-environment answer published
// by another integrator, and the v1.4 manual's IPCGetTxnLog) is the last message exchanged for the
// OrderID, nested as OrderStatus: {IPCmethod, SID, Amount, Currency, OrderID, IPC_Trnref…,
// Signature}, with Status 0. Read here: OrderStatus.IPCmethod IPCPurchaseNotify (or IPCPurchaseOK)
// -> approved; IPCPurchaseRollback -> reversed (myPOS reversed it: the merchant did not answer OK);
// IPCPurchaseCancel -> cancelled; IPCPurchase -> pending (the customer is on the page). Without an
// OrderStatus (which wins when both come), the IPCGetPaymentStatus table's PaymentStatus is read
// (1 approved, 2 pending, 3 declined, 4 reversed). That published answer, a rollback, verifies with
// myPOS's test certificate (manual Appendix II) under this flattening (checked by hand). Assumed: Status 0 with neither means myPOS has no payment for
// the OrderID (not_found), and so does 5 E_INVALID_PARAMS (our request is checked before it is
// sent, so what myPOS can find invalid is the OrderID; the simulator answers an unknown OrderID so);
// any other Status than 0 is a refusal (Defines.php codes, below).
// IPCRefund: ok as Refund.php `process()` decides it — Status 0, an IPC_Trnref, and Amount and
// Currency echoing the request; a wrong echo is not trusted (bad_answer). IPCReversal: Status 0.

/** Defines.php STATUS_*: the IPC status codes (manual Appendix I). */
export const IPC_STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'SUCCESS', 1: 'E_MISSING_REQ_PARAMS', 2: 'E_SIGNATURE_FAILED', 3: 'E_IPC_ERROR', 4: 'E_INVALID_SID', 5: 'E_INVALID_PARAMS',
  6: 'E_INVALID_REFERER', 7: 'E_PAYMENT_TRIES', 8: 'E_TRANSACTION_AUTH_FAIL', 9: 'E_WRONG_AMOUNT', 10: 'E_UNSUPPORTED_CALL',
  11: 'E_INACTIVE_MANDATE_REFERENCE', 12: 'E_INVALID_MANDATE_REFERENCE', 13: 'E_NOT_SUFFICIENT_FUNDS', 14: 'E_TRANSACTION_NOT_PERMITTED',
  15: 'E_EXCEEDED_LIMIT', 16: 'E_MANDATE_ALREADY_REGISTERED', 17: 'E_INACTIVE_ACOUNTIDENTIFIER', 18: 'E_INVALID_ACOUNTIDENTIFIER',
  19: 'E_EXCEEDED_ACCOUNT_LIMITS', 20: 'E_DUPLICATE_TRANSMISSION', 21: 'E_TRANSACTION_DECLINED', 99: 'E_UNDEFINED_ERROR',
};

/** IPCGetTxnStatus's answer for an OrderID myPOS does not know (assumed, see above). */
export const UNKNOWN_ORDER_STATUS = 5;

export type AnswerProblem = { readonly kind: 'bad_signature' } | { readonly kind: 'bad_answer'; readonly reason: string };
export type Refused = { readonly kind: 'refused'; readonly status: number; readonly statusName: string; readonly message: string };
export type ReadAnswer = { readonly kind: 'verified'; readonly fields: IpcFields } | AnswerProblem;

export interface Settled {
  readonly orderId: string;
  readonly amountCents: Cents;
  readonly currency: string;
  readonly trnref: string | undefined;
}

export type TxnStatusAnswer =
  | ({ readonly kind: 'approved' } & Settled)
  | ({ readonly kind: 'reversed' | 'declined' | 'cancelled' } & Partial<Settled>)
  | { readonly kind: 'pending' | 'not_found' }
  | Refused
  | AnswerProblem;

export type RefundAnswer = { readonly kind: 'ok'; readonly trnref: string; readonly amountCents: Cents; readonly currency: string } | Refused | AnswerProblem;
export type ReversalAnswer = { readonly kind: 'ok'; readonly trnref: string } | Refused | AnswerProblem;

const INDEX_KEY = /^(0|[1-9][0-9]*)$/;

/** JSON -> its fields flat and in order ("OrderStatus.Amount"), or why it is not an IPC answer. */
export function flattenIpcJson(text: string): { ok: true; fields: IpcFields } | { ok: false; reason: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the answer is not JSON' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, reason: 'the answer is not a JSON object' };
  const fields: Array<readonly [string, string]> = [];
  const walk = (value: object, prefix: string): string | undefined => {
    const entries = Object.entries(value);
    // JSON.parse puts index-like keys first: such an object's order (signed) cannot be kept.
    if (!Array.isArray(value) && entries.some(([key]) => INDEX_KEY.test(key))) return `${prefix || 'the answer'} has a numeric key`;
    for (const [key, item] of entries) {
      const name = prefix === '' && key.toLowerCase() === 'signature' ? SIGNATURE_FIELD : `${prefix}${key}`;
      if (typeof item === 'object' && item !== null) {
        const problem = walk(item, `${name}.`);
        if (problem) return problem;
      } else fields.push([name, item === true ? '1' : item === false || item === null ? '' : String(item)]);
    }
    return undefined;
  };
  const problem = walk(data, '');
  if (problem) return { ok: false, reason: problem };
  return { ok: true, fields };
}

/** Parses and verifies an answer: nothing in it is trusted unless this says verified. */
export async function readIpcAnswer(text: string, verifier: SignatureVerifier): Promise<ReadAnswer> {
  const flat = flattenIpcJson(text.trim());
  if (!flat.ok) return { kind: 'bad_answer', reason: flat.reason };
  if (!(await verifyIpcWith(flat.fields, verifier))) return { kind: 'bad_signature' };
  return { kind: 'verified', fields: flat.fields };
}

/** A field by name in any case ("OrderStatus.IPCmethod" finds "orderstatus.ipcMethod"). */
export function ipcField(fields: IpcFields, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return fields.find(([key]) => key.toLowerCase() === wanted)?.[1];
}

function statusOf(fields: IpcFields): { ok: true; status: number } | Refused | AnswerProblem {
  const raw = ipcField(fields, 'Status');
  if (raw === undefined || !/^[0-9]{1,3}$/.test(raw)) return { kind: 'bad_answer', reason: 'the answer has no Status' };
  const status = Number(raw);
  if (status === 0) return { ok: true, status };
  const statusName = IPC_STATUS_NAMES[status] ?? 'UNKNOWN';
  return { kind: 'refused', status, statusName, message: ipcField(fields, 'StatusMsg') ?? statusName };
}

function figures(fields: IpcFields, prefix: string): Partial<Settled> & { amountText?: string } {
  const amount = ipcField(fields, `${prefix}Amount`);
  const amountCents = amount === undefined ? undefined : parseIpcAmount(amount);
  const currency = ipcField(fields, `${prefix}Currency`);
  const trnref = ipcField(fields, `${prefix}IPC_Trnref`) || undefined;
  return { ...(amountCents === undefined ? {} : { amountCents }), ...(currency === undefined ? {} : { currency }), ...(trnref === undefined ? {} : { trnref }), ...(amount === undefined ? {} : { amountText: amount }) };
}

export interface Expected {
  readonly orderId: string;
  readonly amountCents: Cents;
  readonly currency: string;
}

/** A verified IPCGetTxnStatus answer -> what became of the purchase (see the reading above). */
export function classifyTxnStatus(fields: IpcFields, expected: Expected): TxnStatusAnswer {
  const status = statusOf(fields);
  if ('kind' in status && status.kind === 'refused' && status.status === UNKNOWN_ORDER_STATUS) return { kind: 'not_found' };
  if (!('ok' in status)) return status;
  const orderId = ipcField(fields, 'OrderID');
  if (orderId !== undefined && orderId !== expected.orderId) return { kind: 'bad_answer', reason: `the answer is about OrderID ${orderId}, not ${expected.orderId}` };
  const last = ipcField(fields, 'OrderStatus.IPCmethod');
  const paymentStatus = ipcField(fields, 'PaymentStatus');
  const prefix = last === undefined ? '' : 'OrderStatus.';
  const kind =
    last === undefined
      ? ({ '1': 'approved', '2': 'pending', '3': 'declined', '4': 'reversed' } as const)[paymentStatus ?? ''] ?? (paymentStatus === undefined ? 'not_found' : undefined)
      : ({ IPCPurchaseNotify: 'approved', IPCPurchaseOK: 'approved', IPCPurchaseRollback: 'reversed', IPCPurchaseCancel: 'cancelled', IPCPurchase: 'pending' } as const)[last];
  if (kind === undefined) return { kind: 'bad_answer', reason: `unknown ${last === undefined ? `PaymentStatus ${paymentStatus}` : `OrderStatus.IPCmethod ${last}`}` };
  const innerOrderId = last === undefined ? undefined : ipcField(fields, 'OrderStatus.OrderID');
  if (innerOrderId !== undefined && innerOrderId !== expected.orderId) return { kind: 'bad_answer', reason: `OrderStatus is about OrderID ${innerOrderId}, not ${expected.orderId}` };
  if (kind === 'pending' || kind === 'not_found') return { kind };
  const { amountText, ...found } = figures(fields, prefix);
  if (kind !== 'approved') return { kind, orderId: expected.orderId, ...found };
  if (found.amountCents === undefined || found.currency === undefined) return { kind: 'bad_answer', reason: 'an approved answer without a readable Amount and Currency' };
  if (found.amountCents !== expected.amountCents || found.currency !== expected.currency) {
    return { kind: 'bad_answer', reason: `the answer approves ${amountText} ${found.currency}, not the payment's amount and currency` };
  }
  return { kind, orderId: expected.orderId, amountCents: found.amountCents, currency: found.currency, trnref: found.trnref };
}

/** A verified IPCRefund answer (Refund.php `process()`'s test). */
export function classifyRefund(fields: IpcFields, expected: { readonly amountCents: Cents; readonly currency: string }): RefundAnswer {
  const status = statusOf(fields);
  if (!('ok' in status)) return status;
  const trnref = ipcField(fields, 'IPC_Trnref');
  const amount = ipcField(fields, 'Amount');
  const currency = ipcField(fields, 'Currency');
  if (!trnref) return { kind: 'bad_answer', reason: 'the refund answer has no IPC_Trnref' };
  if (amount === undefined || parseIpcAmount(amount) !== expected.amountCents || currency !== expected.currency) {
    return { kind: 'bad_answer', reason: `the refund answer is for ${amount ?? '?'} ${currency ?? '?'}, not what was asked` };
  }
  return { kind: 'ok', trnref, amountCents: expected.amountCents, currency };
}

/** A verified IPCReversal answer. */
export function classifyReversal(fields: IpcFields, expected: { readonly trnref: string }): ReversalAnswer {
  const status = statusOf(fields);
  if (!('ok' in status)) return status;
  const trnref = ipcField(fields, 'IPC_Trnref');
  if (trnref !== undefined && trnref !== expected.trnref) return { kind: 'bad_answer', reason: `the reversal answer is about IPC_Trnref ${trnref}, not ${expected.trnref}` };
  return { kind: 'ok', trnref: expected.trnref };
}
