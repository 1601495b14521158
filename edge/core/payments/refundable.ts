import { formatCents, type Cents } from '../../../shared/money.js';
import type { Payment } from '../../../shared/payments.js';
import type { FieldError } from '../../../shared/result.js';
import type { PaymentStore } from '../ports.js';

export type Refusal = { readonly kind: 'invalid' } & FieldError;

/**
 * Whether a refund of amountCents may be made against originalRuid: an approved purchase, never more
 * than what is left of it. A refund RUID already stored passes, so a resend is answered, not refused.
 */
export async function checkRefundable(store: PaymentStore, input: { ruid: string; originalRuid: string; amountCents: Cents }): Promise<{ kind: 'ok'; original: Payment } | Refusal> {
  const original = await store.getPayment(input.originalRuid);
  if (!original || original.payment.kind !== 'purchase') {
    return { kind: 'invalid', field: 'originalRuid', rule: 'exists', message: 'originalRuid must be the RUID of a purchase made on this till' };
  }
  if (await store.getPayment(input.ruid)) return { kind: 'ok', original: original.payment };
  if (original.payment.state !== 'approved') {
    return { kind: 'invalid', field: 'originalRuid', rule: 'approved', message: `only an approved purchase can be refunded (this one is ${original.payment.state})` };
  }
  const left = original.payment.amountCents - (await store.refundedCents(input.originalRuid));
  if (input.amountCents > left) {
    return { kind: 'invalid', field: 'amount', rule: 'max_refundable', left: formatCents(left), message: `amount must be at most ${formatCents(left)}, what is left of the purchase` };
  }
  return { kind: 'ok', original: original.payment };
}
