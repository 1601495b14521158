import type { Payment, PaymentState } from '../../../../shared/payments.js';
import type { PaymentReason } from '../../../../shared/reasons.js';
import type { PaymentRecord } from '../machine.js';

// The Online Checkout payment machine: pure. The customer pays on myPOS's page, reached by a link;
// the outcome comes from two sources — myPOS's signed notification and IPCGetTxnStatus — and the
// first verified one settles it; a later one must agree, or the payment is unknown for a person
// (myPOS's Customer Area says how it ended). The customer's return to the shop proves nothing.
//
//   accepted ──page_opened──▶ sent ──outcome──▶ approved | declined | cancelled
//      │  │                     │
//      │  └──withdrawn (the till cancels before anyone opened the link)──▶ cancelled
//      └──expired (myPOS has no payment for the link)──▶ failed (checkout_expired)
//   approved | declined | cancelled ──outcome that disagrees──▶ unknown (sources_disagree)
//   unknown ──resolved (a person checked)──▶ approved | declined
//   refund: accepted ──refund_answer──▶ approved | declined | unknown (no answer: may be refunded)

export type OnlineOutcome = 'approved' | 'declined' | 'cancelled';

export type OnlineEvent =
  /** The customer opened the link: the signed purchase form went to myPOS's page. */
  | { readonly kind: 'page_opened' }
  /** A verified outcome: the notification or IPCGetTxnStatus (with myPOS's transaction reference). */
  | { readonly kind: 'outcome'; readonly outcome: OnlineOutcome; readonly source: 'notify' | 'status'; readonly trnref: string | undefined }
  /**
   * The till cancels a link nobody has opened: the purchase form was never signed, so myPOS can
   * never take a payment for it, and the link's page refuses from now on. Once the customer has
   * opened it (sent), only an outcome or the link's expiry ends it.
   */
  | { readonly kind: 'withdrawn' }
  /** The link expired and IPCGetTxnStatus knows no payment for it. */
  | { readonly kind: 'expired' }
  /** The answer to IPCRefund: done, refused, or none (it may have been refunded). */
  | { readonly kind: 'refund_answer'; readonly answer: 'done' | 'refused' | 'no_answer'; readonly trnref: string | undefined }
  /** A person checked myPOS's Customer Area and says how an unknown payment ended. */
  | { readonly kind: 'resolved'; readonly outcome: 'approved' | 'declined'; readonly ref: string | undefined };

export type OnlineStep =
  | { readonly kind: 'moved'; readonly record: PaymentRecord }
  /** The event agrees with what is stored (a replayed notification, a status check after it). */
  | { readonly kind: 'kept'; readonly record: PaymentRecord }
  | { readonly kind: 'refused'; readonly record: PaymentRecord };

const FINAL: ReadonlySet<PaymentState> = new Set<PaymentState>(['approved', 'declined', 'cancelled']);

const REASON_OF: Readonly<Record<OnlineOutcome, PaymentReason>> = { approved: 'approved', declined: 'declined', cancelled: 'checkout_cancelled' };

function moved(record: PaymentRecord, state: PaymentState, reason: PaymentReason, now: number, receipt?: Payment['receipt']): OnlineStep {
  const payment: Payment = { ...record.payment, state, reason, receipt: receipt ?? record.payment.receipt, updatedAt: new Date(now).toISOString() };
  return { kind: 'moved', record: { payment, machine: record.machine } };
}

const trnrefReceipt = (trnref: string | undefined) => (trnref ? { ref: trnref } : undefined);

export function stepOnline(record: PaymentRecord, event: OnlineEvent, now: number): OnlineStep {
  const { state, kind } = record.payment;
  const refused: OnlineStep = { kind: 'refused', record };
  switch (event.kind) {
    case 'page_opened':
      return kind === 'purchase' && state === 'accepted' ? moved(record, 'sent', 'waiting_for_customer', now) : refused;
    case 'withdrawn':
      return kind === 'purchase' && state === 'accepted' ? moved(record, 'cancelled', 'cancelled', now) : refused;
    case 'expired':
      return kind === 'purchase' && (state === 'accepted' || state === 'sent') ? moved(record, 'failed', 'checkout_expired', now) : refused;
    case 'outcome': {
      if (kind !== 'purchase') return refused;
      if (state === 'accepted' || state === 'sent') return moved(record, event.outcome, REASON_OF[event.outcome], now, trnrefReceipt(event.trnref));
      // Declined and cancelled agree on what matters, nothing charged: myPOS's status says "unsuccessful" for both.
      if (FINAL.has(state)) return state === event.outcome || (state !== 'approved' && event.outcome !== 'approved') ? { kind: 'kept', record } : moved(record, 'unknown', 'sources_disagree', now);
      // Failed (expired) and then paid after all: the customer was still on myPOS's page.
      if (state === 'failed') return event.outcome === 'approved' ? moved(record, 'unknown', 'sources_disagree', now) : { kind: 'kept', record };
      return refused;
    }
    case 'refund_answer':
      if (kind !== 'refund' || state !== 'accepted') return refused;
      if (event.answer === 'done') return moved(record, 'approved', 'approved', now, trnrefReceipt(event.trnref));
      return event.answer === 'refused' ? moved(record, 'declined', 'declined', now) : moved(record, 'unknown', 'unknown_outcome', now);
    case 'resolved':
      return state === 'unknown' ? moved(record, event.outcome, event.outcome === 'approved' ? 'checked_approved' : 'checked_not_charged', now, event.ref ? { ref: event.ref } : undefined) : refused;
  }
}
