import { parseAmount } from '../../../shared/money.js';
import type { Payment, TerminalTransport } from '../../../shared/payments.js';
import type { LostPayment, LostPaymentAnswer } from './channel.js';
import { INITIAL_MACHINE, onStatusAnswer, type MachineTimings, type PaymentRecord } from './machine.js';
import { acceptedPayment } from './new-payment.js';
import type { StatusObservation } from './observations.js';

// A payment these books lost (restored from an older backup) comes back only on myPOS's word, read
// once: approved, for the amount the till says. Pure: the channels ask myPOS, the service stores.

/** The payment as the till first asked for it, before myPOS's answer. */
export function lostPurchase(lost: LostPayment, transport: TerminalTransport, now: number): Payment {
  const { terminal } = lost;
  return acceptedPayment(
    { ruid: lost.ruid, kind: 'purchase', tid: terminal.tid, currency: terminal.currency, amountCents: lost.amountCents, reference: lost.reference, originalRuid: undefined, transport },
    new Date(now).toISOString(),
  );
}

/**
 * MPRGetTxnStatus's answer about a lost cloud payment. Approved only with myPOS's amount equal to
 * the till's (an answer without one does not confirm it); the record is the one the status check
 * of a payment in flight would have stored.
 */
export function cloudLostAnswer(payment: Payment, observation: StatusObservation, now: number, timings: MachineTimings): LostPaymentAnswer {
  switch (observation.kind) {
    case 'approved': {
      const amount = parseAmount(observation.receipt.amount ?? '');
      if (!amount.ok || amount.value !== payment.amountCents) return { kind: 'not_confirmed', reason: 'amount_differs' };
      const sent: PaymentRecord = { payment: { ...payment, state: 'sent' }, machine: { ...INITIAL_MACHINE, acknowledged: true } };
      const step = onStatusAnswer(sent, observation, now, timings);
      return step.record.payment.state === 'approved' ? { kind: 'confirmed', record: step.record } : { kind: 'not_confirmed', reason: 'no_answer' };
    }
    case 'declined':
    case 'cancelled':
    case 'not_found':
      return { kind: 'not_confirmed', reason: observation.kind };
    case 'pending':
    case 'pin':
      return { kind: 'not_confirmed', reason: 'pending' };
    case 'uncertain':
      return { kind: 'not_confirmed', reason: 'no_answer' };
  }
}
