import { checkAmountCents, DEFAULT_AMOUNT_CAP_CENTS, formatCents, parseAmountWithinCap, type Cents } from '../../../shared/money.js';
import { accept, type Checked } from '../../../shared/result.js';
import { checkCurrency, checkReference, checkRuid, checkTid, type PaymentReference } from '../../../shared/validation.js';
import type { MyposMethod } from './methods.js';

// Typed constructors for each method. Every value is checked here, so a half-valid request is
// never built, let alone signed or sent.

export interface MyposRequest {
  readonly method: MyposMethod;
  readonly tid: string;
  readonly ruid: string;
  /** The method's own fields (not the common ones); absent optional fields are left out. */
  readonly fields: Readonly<Record<string, string>>;
}

interface Target {
  readonly tid: string;
  readonly ruid: string;
}

function target(method: MyposMethod, input: Target, fields: Record<string, string>): Checked<MyposRequest> {
  const tid = checkTid(input.tid);
  if (!tid.ok) return tid;
  const ruid = checkRuid(input.ruid);
  if (!ruid.ok) return ruid;
  return accept({ method, tid: tid.value, ruid: ruid.value, fields });
}

function amount(cents: Cents, capCents: Cents): Checked<string> {
  const checked = checkAmountCents(cents, capCents);
  return checked.ok ? accept(formatCents(checked.value)) : checked;
}

export function subscribeRequest(input: Target & { currency: string; action: 'subscribe' | 'unsubscribe' }): Checked<MyposRequest> {
  const currency = checkCurrency(input.currency);
  if (!currency.ok) return currency;
  return target('MPRSubscribe', input, { currency: currency.value, action: input.action === 'subscribe' ? '1' : '2' });
}

export function purchaseRequest(
  input: Target & { amountCents: Cents; reference?: { number: string; type: string } | undefined },
  capCents: Cents = DEFAULT_AMOUNT_CAP_CENTS,
): Checked<MyposRequest> {
  const wireAmount = amount(input.amountCents, capCents);
  if (!wireAmount.ok) return wireAmount;
  const fields: Record<string, string> = { amount: wireAmount.value };
  if (input.reference !== undefined) {
    const reference: Checked<PaymentReference> = checkReference(input.reference);
    if (!reference.ok) return reference;
    fields.reference_number = reference.value.number;
    fields.reference_number_type = reference.value.type;
  }
  return target('MPRPurchase', input, fields);
}

export function refundRequest(input: Target & { amountCents: Cents }, capCents: Cents = DEFAULT_AMOUNT_CAP_CENTS): Checked<MyposRequest> {
  const wireAmount = amount(input.amountCents, capCents);
  if (!wireAmount.ok) return wireAmount;
  return target('MPRRefund', input, { amount: wireAmount.value });
}

export function lastTxnVoidRequest(
  input: Target & { ruidOriginal: string; amountCents: Cents },
  capCents: Cents = DEFAULT_AMOUNT_CAP_CENTS,
): Checked<MyposRequest> {
  const original = checkRuid(input.ruidOriginal, 'ruid_original');
  if (!original.ok) return original;
  const wireAmount = amount(input.amountCents, capCents);
  if (!wireAmount.ok) return wireAmount;
  return target('MPRLastTxnVoid', input, { ruid_original: original.value, amount: wireAmount.value });
}

export function cancelRequest(input: Target & { ruidOriginal: string }): Checked<MyposRequest> {
  const original = checkRuid(input.ruidOriginal, 'ruid_original');
  if (!original.ok) return original;
  return target('MPRCancel', input, { ruid_original: original.value });
}

export function txnStatusRequest(input: Target & { ruidOriginal: string }): Checked<MyposRequest> {
  const original = checkRuid(input.ruidOriginal, 'ruid_original');
  if (!original.ok) return original;
  return target('MPRGetTxnStatus', input, { ruid_original: original.value });
}


/** A purchase as a client sends it, amount as "23.45": parsed and checked, or refused by field. */
export function purchaseRequestFromInput(
  input: Target & { amount: string; reference?: { number: string; type: string } | undefined },
  capCents: Cents = DEFAULT_AMOUNT_CAP_CENTS,
): Checked<MyposRequest> {
  const cents = parseAmountWithinCap(input.amount, capCents);
  if (!cents.ok) return cents;
  return purchaseRequest({ tid: input.tid, ruid: input.ruid, amountCents: cents.value, reference: input.reference }, capCents);
}
