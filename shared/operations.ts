import { isInFlight, reasonOf, type Payment, type TerminalTransport } from './payments.js';

// What a payment channel can do, as data: the edge's channels declare it, the terminals list
// carries it, and the till offers an action only when its terminal's channel has it. The one table
// that knows which channel does what is here; nothing else branches on the transport.

export const OPERATIONS = ['purchase', 'refund', 'cancel', 'void', 'preauth', 'settle_unknown', 'subscription', 'checkout'] as const;
/**
 * purchase, refund: on every channel. cancel: stop a payment in flight from the till. void: reverse
 * the terminal's last approved purchase. preauth: hold an amount (then complete or release it).
 * settle_unknown: a payment whose answer was lost is settled by a person who checked the terminal.
 * subscription: the terminal is subscribed and unsubscribed by code (the myPOS cloud); otherwise
 * it is configured. checkout: the customer pays on their own phone (a QR code or a link to the
 * payment page), not on a terminal; such payments are many at once, each with its own link.
 */
export type Operation = (typeof OPERATIONS)[number];

export const CHANNEL_OPERATIONS: Readonly<Record<TerminalTransport, readonly Operation[]>> = {
  cloud: ['purchase', 'refund', 'cancel', 'void', 'subscription'],
  lan: ['purchase', 'refund', 'preauth', 'settle_unknown'],
  online: ['checkout', 'refund', 'cancel', 'settle_unknown'],
};

/** The operations of a terminal's channel. */
export function channelOperations(transport: TerminalTransport): readonly Operation[] {
  return CHANNEL_OPERATIONS[transport];
}

/** The operations of the channel a payment went by (a payment stored without a transport went by the cloud). */
export function paymentOperations(payment: Pick<Payment, 'transport'>): readonly Operation[] {
  return CHANNEL_OPERATIONS[payment.transport ?? 'cloud'];
}

/** The till may ask to stop it: its channel cancels, and it is still in flight. */
export function isCancellable(payment: Pick<Payment, 'transport' | 'state'>): boolean {
  return paymentOperations(payment).includes('cancel') && isInFlight(payment.state);
}

/** The till may offer to void it: an approved purchase on a channel that voids (only the terminal's last one succeeds). */
export function isVoidable(payment: Pick<Payment, 'transport' | 'state' | 'kind'>): boolean {
  return paymentOperations(payment).includes('void') && payment.kind === 'purchase' && payment.state === 'approved';
}

/**
 * A person who checked the terminal may say how it ended: an unknown payment on a channel whose
 * lost answers are settled so, or one myPOS and the terminal disagree about (check_terminal).
 */
export function isSettleableByHand(payment: Pick<Payment, 'transport' | 'state' | 'reason'>): boolean {
  if (payment.state !== 'unknown') return false;
  return paymentOperations(payment).includes('settle_unknown') || reasonOf(payment) === 'check_terminal';
}
