import type { Payment } from '../../../../../shared/payments.js';

/** A sale paid (a purchase, or a pre-authorisation's completion): the receipt is asked for, then the next sale starts. */
export function isPaidSale(payment: Payment | undefined): boolean {
  return payment?.state === 'approved' && (payment.kind === 'purchase' || payment.kind === 'completion');
}
