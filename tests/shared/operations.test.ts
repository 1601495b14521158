import { describe, expect, it } from 'vitest';
import { CHANNEL_OPERATIONS, channelOperations, isCancellable, isSettleableByHand, isVoidable, OPERATIONS, paymentOperations } from '../../shared/operations.js';
import { isInFlight, PAYMENT_STATES, type Payment, type PaymentKind, type PaymentState, type TerminalTransport } from '../../shared/payments.js';
import { PAYMENT_REASONS, type PaymentReason } from '../../shared/reasons.js';

// The one table of what each channel does, and the rules the till and the edge both take from it:
// every function, on both channels and on a payment stored before channels were recorded (the
// cloud), in every state. The expectations are written out, not derived from the table under test.

type Fields = Pick<Payment, 'transport' | 'state' | 'kind' | 'reason'>;

const TRANSPORTS: readonly TerminalTransport[] = ['cloud', 'lan'];
const KINDS: readonly PaymentKind[] = ['purchase', 'refund', 'preauth', 'completion', 'preauth_cancel'];
/** Each channel, and a payment with no transport (stored before channels were recorded). */
const CHANNELS = [...TRANSPORTS, undefined] as const;

function payment(transport: TerminalTransport | undefined, state: PaymentState, kind: PaymentKind = 'purchase', reason: PaymentReason = 'sending'): Fields {
  // Absent, not undefined: as a record stored before channels were recorded reads.
  return transport === undefined ? { state, kind, reason } : { transport, state, kind, reason };
}

const label = (transport: TerminalTransport | undefined) => transport ?? 'no transport';

describe('the operations table', () => {
  it('names each operation once', () => {
    expect(new Set(OPERATIONS).size).toBe(OPERATIONS.length);
  });

  it('the cloud purchases, refunds, cancels, voids and is subscribed by code; LAN purchases, refunds, pre-authorises and settles a lost answer by hand', () => {
    expect([...CHANNEL_OPERATIONS.cloud].sort()).toEqual(['cancel', 'purchase', 'refund', 'subscription', 'void']);
    expect([...CHANNEL_OPERATIONS.lan].sort()).toEqual(['preauth', 'purchase', 'refund', 'settle_unknown']);
  });

  it('online takes a checkout (the customer\'s own phone, no terminal purchase), refunds, cancels a waiting link and settles by hand; never voids', () => {
    expect([...CHANNEL_OPERATIONS.online].sort()).toEqual(['cancel', 'checkout', 'refund', 'settle_unknown']);
    const paid = { transport: 'online' as const, state: 'approved' as const, kind: 'purchase' as const, reason: 'approved' as const };
    expect(isVoidable(paid)).toBe(false);
    expect(isCancellable(paid)).toBe(false);
    expect(isCancellable({ ...paid, state: 'accepted' })).toBe(true);
    expect(isSettleableByHand({ ...paid, state: 'unknown', reason: 'sources_disagree' })).toBe(true);
  });

  it.each(TRANSPORTS)('%s: only known operations, each once, purchase and refund among them', (transport) => {
    const operations = CHANNEL_OPERATIONS[transport];
    expect(new Set(operations).size).toBe(operations.length);
    for (const operation of operations) expect(OPERATIONS).toContain(operation);
    expect(operations).toContain('purchase');
    expect(operations).toContain('refund');
  });

  it('every operation is some channel’s (none is dead)', () => {
    const offered = new Set(Object.values(CHANNEL_OPERATIONS).flat());
    for (const operation of OPERATIONS) expect(offered.has(operation), operation).toBe(true);
  });
});

describe('channelOperations', () => {
  it.each(TRANSPORTS)('%s: its row of the table', (transport) => {
    expect(channelOperations(transport)).toEqual(CHANNEL_OPERATIONS[transport]);
  });
});

describe('paymentOperations', () => {
  it('a payment has the operations of the channel it went by', () => {
    expect(paymentOperations({ transport: 'cloud' })).toEqual(CHANNEL_OPERATIONS.cloud);
    expect(paymentOperations({ transport: 'lan' })).toEqual(CHANNEL_OPERATIONS.lan);
  });

  it('a payment without a transport went by the cloud', () => {
    expect(paymentOperations({})).toEqual(CHANNEL_OPERATIONS.cloud);
    expect(paymentOperations({ transport: undefined })).toEqual(CHANNEL_OPERATIONS.cloud);
  });
});

describe('isCancellable', () => {
  const CLOUD_CANCELLABLE: ReadonlySet<PaymentState> = new Set(['accepted', 'sent', 'pin', 'unknown']);

  it.each(CHANNELS.flatMap((transport) => PAYMENT_STATES.map((state) => [label(transport), state, transport] as const)))('%s, %s', (_label, state, transport) => {
    const expected = transport !== 'lan' && CLOUD_CANCELLABLE.has(state);
    for (const kind of KINDS) expect(isCancellable(payment(transport, state, kind)), kind).toBe(expected);
  });

  it('a LAN payment in flight is not cancellable (the cashier cancels on the terminal)', () => {
    for (const state of ['accepted', 'sent', 'pin', 'unknown'] as const) expect(isCancellable(payment('lan', state))).toBe(false);
  });

  it('a cloud payment is cancellable exactly while in flight', () => {
    for (const state of PAYMENT_STATES) expect(isCancellable(payment('cloud', state))).toBe(isInFlight(state));
  });
});

describe('isVoidable', () => {
  it.each(CHANNELS.flatMap((transport) => PAYMENT_STATES.map((state) => [label(transport), state, transport] as const)))('%s, %s', (_label, state, transport) => {
    for (const kind of KINDS) {
      const expected = transport !== 'lan' && kind === 'purchase' && state === 'approved';
      expect(isVoidable(payment(transport, state, kind)), kind).toBe(expected);
    }
  });

  it('a cloud approved purchase is voidable; a cloud approved refund is not; nothing on LAN is', () => {
    expect(isVoidable(payment('cloud', 'approved', 'purchase'))).toBe(true);
    expect(isVoidable(payment(undefined, 'approved', 'purchase'))).toBe(true);
    expect(isVoidable(payment('cloud', 'approved', 'refund'))).toBe(false);
    expect(isVoidable(payment('lan', 'approved', 'purchase'))).toBe(false);
    expect(isVoidable(payment('lan', 'approved', 'completion'))).toBe(false);
  });
});

describe('isSettleableByHand', () => {
  it.each(CHANNELS.flatMap((transport) => PAYMENT_STATES.map((state) => [label(transport), state, transport] as const)))('%s, %s: every reason', (_label, state, transport) => {
    for (const reason of PAYMENT_REASONS) {
      const expected = state === 'unknown' && (transport === 'lan' || reason === 'check_terminal');
      expect(isSettleableByHand(payment(transport, state, 'purchase', reason)), reason).toBe(expected);
    }
  });

  it('a LAN unknown payment is settleable, whatever its reason; a LAN payment in another state is not', () => {
    expect(isSettleableByHand(payment('lan', 'unknown', 'purchase', 'unknown_outcome'))).toBe(true);
    expect(isSettleableByHand(payment('lan', 'unknown', 'preauth', 'unknown_outcome'))).toBe(true);
    expect(isSettleableByHand(payment('lan', 'sent', 'purchase', 'waiting_for_customer'))).toBe(false);
    expect(isSettleableByHand(payment('lan', 'approved', 'purchase', 'approved'))).toBe(false);
  });

  it('a cloud unknown check_terminal payment is settleable; a cloud unknown unknown_outcome one is not (the edge still asks myPOS)', () => {
    expect(isSettleableByHand(payment('cloud', 'unknown', 'purchase', 'check_terminal'))).toBe(true);
    expect(isSettleableByHand(payment('cloud', 'unknown', 'purchase', 'unknown_outcome'))).toBe(false);
    expect(isSettleableByHand(payment('cloud', 'unknown', 'purchase', 'pin_timeout'))).toBe(false);
  });

  it('a payment without a transport is settled as a cloud one', () => {
    expect(isSettleableByHand(payment(undefined, 'unknown', 'purchase', 'check_terminal'))).toBe(true);
    expect(isSettleableByHand(payment(undefined, 'unknown', 'purchase', 'unknown_outcome'))).toBe(false);
  });

  it('a check_terminal reason outside unknown settles nothing (the state decides first)', () => {
    for (const state of PAYMENT_STATES.filter((each) => each !== 'unknown')) expect(isSettleableByHand(payment('cloud', state, 'purchase', 'check_terminal')), state).toBe(false);
  });
});

describe('a payment without a transport', () => {
  it('is, to every rule, a cloud payment', () => {
    for (const state of PAYMENT_STATES) {
      for (const kind of KINDS) {
        for (const reason of PAYMENT_REASONS) {
          const old = payment(undefined, state, kind, reason);
          const cloud = payment('cloud', state, kind, reason);
          expect([isCancellable(old), isVoidable(old), isSettleableByHand(old)]).toEqual([isCancellable(cloud), isVoidable(cloud), isSettleableByHand(cloud)]);
        }
      }
    }
  });
});
