import { describe, expect, it } from 'vitest';
import { INITIAL_MACHINE, type PaymentRecord } from '../../../edge/core/payments/machine.js';
import { stepOnline, type OnlineEvent } from '../../../edge/core/payments/channels/online-machine.js';
import { PAYMENT_STATES, type Payment, type PaymentKind, type PaymentState } from '../../../shared/payments.js';

// The Online Checkout machine, every state against every event: the first verified outcome settles
// a link, a later one must agree (or the payment is unknown), and a refund ends on its answer.

const NOW = Date.parse('2026-12-02T12:00:00.000Z');

function record(state: PaymentState, kind: PaymentKind = 'purchase'): PaymentRecord {
  const at = '2026-12-02T11:55:00.000Z';
  const payment: Payment = { ruid: 'O-1', kind, tid: 'ONLINE01', currency: 'EUR', amount: '12.00', amountCents: 1200, reference: undefined, originalRuid: kind === 'refund' ? 'O-0' : undefined, transport: 'online', state, myposStatus: undefined, responseCode: undefined, reason: 'sending', receipt: undefined, createdAt: at, updatedAt: at };
  return { payment, machine: INITIAL_MACHINE };
}

const EVENTS: Record<string, OnlineEvent> = {
  page_opened: { kind: 'page_opened' },
  paid_notify: { kind: 'outcome', outcome: 'approved', source: 'notify', trnref: 'T-9' },
  declined_status: { kind: 'outcome', outcome: 'declined', source: 'status', trnref: undefined },
  cancelled_notify: { kind: 'outcome', outcome: 'cancelled', source: 'notify', trnref: undefined },
  expired: { kind: 'expired' },
  withdrawn: { kind: 'withdrawn' },
  refund_done: { kind: 'refund_answer', answer: 'done', trnref: 'R-1' },
  refund_refused: { kind: 'refund_answer', answer: 'refused', trnref: undefined },
  refund_lost: { kind: 'refund_answer', answer: 'no_answer', trnref: undefined },
  resolved: { kind: 'resolved', outcome: 'approved', ref: 'CA-1' },
};

/** [state, event] → [next state, reason] | 'kept' | 'refused', for purchases. */
const PURCHASE: Record<string, Record<string, [PaymentState, string] | 'kept' | 'refused'>> = {
  accepted: { page_opened: ['sent', 'waiting_for_customer'], paid_notify: ['approved', 'approved'], declined_status: ['declined', 'declined'], cancelled_notify: ['cancelled', 'checkout_cancelled'], expired: ['failed', 'checkout_expired'], withdrawn: ['cancelled', 'cancelled'] },
  sent: { paid_notify: ['approved', 'approved'], declined_status: ['declined', 'declined'], cancelled_notify: ['cancelled', 'checkout_cancelled'], expired: ['failed', 'checkout_expired'] },
  approved: { paid_notify: 'kept', declined_status: ['unknown', 'sources_disagree'], cancelled_notify: ['unknown', 'sources_disagree'] },
  // Declined and cancelled agree: nothing was charged (myPOS's status says "unsuccessful" for both).
  declined: { paid_notify: ['unknown', 'sources_disagree'], declined_status: 'kept', cancelled_notify: 'kept' },
  cancelled: { paid_notify: ['unknown', 'sources_disagree'], declined_status: 'kept', cancelled_notify: 'kept' },
  failed: { paid_notify: ['unknown', 'sources_disagree'], declined_status: 'kept', cancelled_notify: 'kept' },
  unknown: { resolved: ['approved', 'checked_approved'] },
};

describe('the Online Checkout machine', () => {
  for (const state of PAYMENT_STATES) {
    for (const [name, event] of Object.entries(EVENTS)) {
      const expected = PURCHASE[state]?.[name] ?? 'refused';
      it(`a purchase ${state} takes ${name}: ${Array.isArray(expected) ? expected.join(' / ') : expected}`, () => {
        const before = record(state);
        const step = stepOnline(before, event, NOW);
        if (expected === 'refused' || expected === 'kept') {
          expect(step.kind).toBe(expected);
          expect(step.record).toBe(before);
          return;
        }
        expect(step.kind).toBe('moved');
        expect([step.record.payment.state, step.record.payment.reason]).toEqual(expected);
        expect(step.record.payment.updatedAt).toBe(new Date(NOW).toISOString());
      });
    }
  }

  it('keeps myPOS\'s transaction reference of a paid link (a refund needs it)', () => {
    expect(stepOnline(record('sent'), EVENTS.paid_notify as OnlineEvent, NOW).record.payment.receipt).toEqual({ ref: 'T-9' });
  });

  it('ends a refund on its answer; no answer may still be a refund: unknown', () => {
    expect(stepOnline(record('accepted', 'refund'), EVENTS.refund_done as OnlineEvent, NOW).record.payment).toMatchObject({ state: 'approved', receipt: { ref: 'R-1' } });
    expect(stepOnline(record('accepted', 'refund'), EVENTS.refund_refused as OnlineEvent, NOW).record.payment.state).toBe('declined');
    expect(stepOnline(record('accepted', 'refund'), EVENTS.refund_lost as OnlineEvent, NOW).record.payment.state).toBe('unknown');
    expect(stepOnline(record('approved', 'refund'), EVENTS.refund_done as OnlineEvent, NOW).kind).toBe('refused');
    expect(stepOnline(record('accepted', 'refund'), EVENTS.paid_notify as OnlineEvent, NOW).kind).toBe('refused');
  });
});
