import { describe, expect, it } from 'vitest';
import { INITIAL_MACHINE, type PaymentRecord } from '../../../edge/core/payments/machine.js';
import { stepLan, type LanEvent } from '../../../edge/core/payments/channels/lan-machine.js';
import { PAYMENT_STATES, STATE_REASONS, type PaymentState } from '../../../shared/payments.js';
import type { PaymentReason } from '../../../shared/reasons.js';

// The LAN machine, every (state, event) pair: what it moves to, why, with which receipt and status;
// and that an event which does not apply is refused, the record untouched.

function record(state: PaymentState, extra: Partial<PaymentRecord['payment']> = {}): PaymentRecord {
  return {
    payment: {
      ruid: 'R1',
      kind: 'purchase',
      tid: 'LAN00001',
      currency: 'EUR',
      amount: '10.00',
      amountCents: 1000,
      reference: undefined,
      originalRuid: undefined,
      transport: 'lan',
      state,
      myposStatus: undefined,
      responseCode: undefined,
      reason: STATE_REASONS[state],
      receipt: undefined,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      ...extra,
    },
    // The cloud's bookkeeping: the LAN machine carries it along untouched.
    machine: { ...INITIAL_MACHINE, log: 'kept' },
  };
}

const EVENTS = {
  command_written: { kind: 'command_written' },
  not_sent: { kind: 'not_sent' },
  lost: { kind: 'lost' },
  answer_ok: { kind: 'answer', answer: { kind: 'ok', ref: '000123' } },
  answer_declined: { kind: 'answer', answer: { kind: 'error', status: '3', statusText: 'DECLINED', ref: '000124' } },
  answer_cancelled: { kind: 'answer', answer: { kind: 'error', status: '5', statusText: 'Cancelled by user', ref: '' } },
  answer_malformed: { kind: 'answer', answer: { kind: 'malformed_request', text: 'Hibás XML' } },
  answer_unreadable: { kind: 'answer', answer: { kind: 'unreadable', reason: 'not an XML document' } },
  restarted: { kind: 'restarted' },
  resolved_approved: { kind: 'resolved', outcome: 'approved', ref: 'R-777' },
  resolved_declined: { kind: 'resolved', outcome: 'declined', ref: undefined },
} as const satisfies Record<string, LanEvent>;
type EventName = keyof typeof EVENTS;
const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

interface Expected {
  readonly state: PaymentState;
  readonly reason: PaymentReason;
  readonly receipt?: Readonly<Record<string, string>>;
  readonly myposStatus?: string;
}

// [from][event] -> the payment after it; 'kept' = applies, no change; absent = refused.
const TABLE: Partial<Record<PaymentState, Partial<Record<EventName, Expected | 'kept'>>>> = {
  accepted: {
    command_written: { state: 'sent', reason: 'waiting_for_customer' },
    restarted: { state: 'failed', reason: 'edge_restarted' },
  },
  sent: {
    not_sent: { state: 'failed', reason: 'terminal_offline' },
    lost: { state: 'unknown', reason: 'unknown_outcome' },
    answer_ok: { state: 'approved', reason: 'approved', receipt: { ref: '000123' } },
    answer_declined: { state: 'declined', reason: 'declined', myposStatus: '3', receipt: { ref: '000124' } },
    answer_cancelled: { state: 'cancelled', reason: 'cardholder_cancelled', myposStatus: '5' },
    answer_malformed: { state: 'failed', reason: 'terminal_rejected_request' },
    answer_unreadable: { state: 'unknown', reason: 'unknown_outcome' },
    restarted: { state: 'unknown', reason: 'unknown_outcome' },
  },
  unknown: {
    restarted: 'kept',
    resolved_approved: { state: 'approved', reason: 'checked_approved', receipt: { ref: 'R-777' } },
    resolved_declined: { state: 'declined', reason: 'checked_not_charged' },
  },
};

const NOW = Date.parse('2026-01-01T00:05:00.000Z');

describe('LAN machine: every (state, event) pair', () => {
  for (const from of PAYMENT_STATES) {
    it.each(EVENT_NAMES)(`${from} + %s`, (name) => {
      const before = record(from);
      const step = stepLan(before, EVENTS[name], NOW);
      const expected = TABLE[from]?.[name];
      if (expected === undefined) {
        expect(step.kind).toBe('refused');
        expect(step.record).toBe(before);
        return;
      }
      if (expected === 'kept') {
        expect(step.kind).toBe('kept');
        expect(step.record).toBe(before);
        return;
      }
      expect(step.kind).toBe('moved');
      expect(step.record.payment).toEqual({
        ...before.payment,
        state: expected.state,
        reason: expected.reason,
        receipt: expected.receipt,
        myposStatus: expected.myposStatus,
        updatedAt: new Date(NOW).toISOString(),
      });
      expect(step.record.machine).toBe(before.machine);
      // Pure: the record given is never changed.
      expect(before.payment.state).toBe(from);
    });
  }
});

describe('LAN machine: what the table says in words', () => {
  it('the protocol path: accepted, sent before writing, then the answer', () => {
    const sent = stepLan(record('accepted'), EVENTS.command_written, 1_000);
    expect(sent.record.payment).toMatchObject({ state: 'sent', reason: 'waiting_for_customer', updatedAt: new Date(1_000).toISOString() });
    const approved = stepLan(sent.record, EVENTS.answer_ok, 2_000);
    expect(approved.record.payment).toMatchObject({ state: 'approved', receipt: { ref: '000123' }, updatedAt: new Date(2_000).toISOString() });
  });

  it('an answer before the command is marked sent is refused, and so is a second command_written', () => {
    expect(stepLan(record('accepted'), EVENTS.answer_ok, NOW).kind).toBe('refused');
    expect(stepLan(record('sent'), EVENTS.command_written, NOW).kind).toBe('refused');
  });

  it('only a person settles an unknown payment, and only an unknown one', () => {
    expect(stepLan(record('sent'), EVENTS.resolved_approved, NOW).kind).toBe('refused');
    for (const event of EVENT_NAMES.filter((name) => name !== 'restarted' && !name.startsWith('resolved'))) {
      expect(stepLan(record('unknown'), EVENTS[event], NOW).kind).toBe('refused');
    }
  });

  it('a final payment refuses everything, a late answer included', () => {
    for (const state of ['approved', 'declined', 'failed', 'cancelled', 'voided'] as const) {
      for (const event of Object.values(EVENTS)) expect(stepLan(record(state), event, NOW).kind).toBe('refused');
    }
  });

  it('a status text saying CANCEL, in any case, is the cardholder cancelling; any other error is a decline', () => {
    const error = (statusText: string): LanEvent => ({ kind: 'answer', answer: { kind: 'error', status: '9', statusText, ref: '' } });
    expect(stepLan(record('sent'), error('CANCELED'), NOW).record.payment).toMatchObject({ state: 'cancelled', reason: 'cardholder_cancelled', myposStatus: '9' });
    expect(stepLan(record('sent'), error('Transaction cancelled'), NOW).record.payment.state).toBe('cancelled');
    expect(stepLan(record('sent'), error('Insufficient funds'), NOW).record.payment).toMatchObject({ state: 'declined', reason: 'declined', myposStatus: '9' });
  });

  it('an empty ref or none keeps the receipt the payment had; a ref replaces it', () => {
    const withReceipt = record('sent', { receipt: { ref: 'OLD' }, myposStatus: '1' });
    expect(stepLan(withReceipt, EVENTS.answer_cancelled, NOW).record.payment).toMatchObject({ receipt: { ref: 'OLD' }, myposStatus: '5' });
    expect(stepLan(withReceipt, EVENTS.lost, NOW).record.payment).toMatchObject({ receipt: { ref: 'OLD' }, myposStatus: '1' });
    const unknown = record('unknown', { receipt: { ref: 'OLD' } });
    expect(stepLan(unknown, EVENTS.resolved_declined, NOW).record.payment.receipt).toEqual({ ref: 'OLD' });
    expect(stepLan(unknown, { kind: 'resolved', outcome: 'declined', ref: '' }, NOW).record.payment.receipt).toEqual({ ref: 'OLD' });
    expect(stepLan(unknown, EVENTS.resolved_approved, NOW).record.payment.receipt).toEqual({ ref: 'R-777' });
  });

  it('an ok answer records the terminal\'s reference even when empty (as the terminal gave it)', () => {
    const step = stepLan(record('sent'), { kind: 'answer', answer: { kind: 'ok', ref: '' } }, NOW);
    expect(step.record.payment).toMatchObject({ state: 'approved', receipt: { ref: '' } });
  });
});
