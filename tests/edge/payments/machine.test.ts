import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MACHINE_TIMINGS as T,
  INITIAL_MACHINE,
  onCancelled,
  onSendAnswer,
  onStatusAnswer,
  onVoided,
  resumeEffect,
  STATE_MESSAGES,
  type PaymentRecord,
} from '../../../edge/core/payments/machine.js';
import type { SendObservation, StatusObservation } from '../../../edge/core/payments/observations.js';
import { PAYMENT_STATES, type PaymentState } from '../../../shared/payments.js';

const refusal = { status: '42', name: 'TERMINAL_OFFLINE', cashier: 'The terminal is offline.', log: 'status 42' };

function record(state: PaymentState, machine: Partial<PaymentRecord['machine']> = {}): PaymentRecord {
  return {
    payment: {
      ruid: 'R1',
      kind: 'purchase',
      tid: '90000015',
      currency: 'EUR',
      amount: '10.00',
      amountCents: 1000,
      reference: undefined,
      originalRuid: undefined,
      state,
      myposStatus: undefined,
      responseCode: undefined,
      message: STATE_MESSAGES[state],
      receipt: undefined,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    },
    machine: { ...INITIAL_MACHINE, ...machine },
  };
}

const SEND: Record<SendObservation['kind'], SendObservation> = {
  taken: { kind: 'taken' },
  pin: { kind: 'pin', code: '1A' },
  duplicate: { kind: 'duplicate' },
  refused: { kind: 'refused', refusal },
  busy: { kind: 'busy', pendingRuid: 'OTHER', refusal: { ...refusal, status: '11' } },
  uncertain: { kind: 'uncertain', reason: 'timeout' },
};

const STATUS: Record<StatusObservation['kind'], StatusObservation> = {
  pending: { kind: 'pending' },
  pin: { kind: 'pin', code: '70' },
  approved: { kind: 'approved', receipt: { response_code: '00', auth_code: '123456' } },
  declined: { kind: 'declined', responseCode: '51', receipt: { response_code: '51' } },
  cancelled: { kind: 'cancelled' },
  not_found: { kind: 'not_found' },
  uncertain: { kind: 'uncertain', reason: 'bad_signature' },
};

describe('answer to the purchase request (accepted)', () => {
  const expected: Record<SendObservation['kind'], [PaymentState, number | undefined]> = {
    taken: ['sent', T.statusPollMs],
    pin: ['pin', T.pinPollMs],
    duplicate: ['sent', 0],
    refused: ['failed', undefined],
    busy: ['failed', undefined],
    uncertain: ['unknown', T.unknownPollMs],
  };
  it.each(Object.keys(SEND) as Array<SendObservation['kind']>)('%s', (kind) => {
    const step = onSendAnswer(record('accepted'), SEND[kind], 1000, T);
    const [state, delay] = expected[kind];
    expect(step.record.payment.state).toBe(state);
    expect(step.changed).toBe(true);
    expect(step.effects).toEqual(delay === undefined ? [] : [{ type: 'check_status', delayMs: delay }]);
    expect(step.record.payment.updatedAt).toBe(new Date(1000).toISOString());
  });

  it('a refusal tells the cashier why, and a busy one names the pending RUID', () => {
    expect(onSendAnswer(record('accepted'), SEND.refused, 0, T).record.payment.message).toBe('The terminal is offline.');
    expect(onSendAnswer(record('accepted'), SEND.busy, 0, T).record.payment.message).toContain('OTHER');
  });

  it.each(PAYMENT_STATES.filter((state) => state !== 'accepted'))('is ignored once the payment is %s', (state) => {
    for (const observation of Object.values(SEND)) {
      const step = onSendAnswer(record(state), observation, 0, T);
      expect(step.changed).toBe(false);
      expect(step.record.payment.state).toBe(state);
      expect(step.effects).toEqual([]);
    }
  });
});

describe('answer to MPRGetTxnStatus', () => {
  // [from][observation] -> state after
  const table: Record<'sent' | 'pin' | 'unknown', Record<StatusObservation['kind'], PaymentState>> = {
    sent: { pending: 'sent', pin: 'pin', approved: 'approved', declined: 'declined', cancelled: 'cancelled', not_found: 'unknown', uncertain: 'unknown' },
    pin: { pending: 'sent', pin: 'pin', approved: 'approved', declined: 'declined', cancelled: 'cancelled', not_found: 'unknown', uncertain: 'unknown' },
    unknown: { pending: 'sent', pin: 'pin', approved: 'approved', declined: 'declined', cancelled: 'cancelled', not_found: 'unknown', uncertain: 'unknown' },
  };
  for (const from of ['sent', 'pin', 'unknown'] as const) {
    it.each(Object.keys(STATUS) as Array<StatusObservation['kind']>)(`${from} + %s`, (kind) => {
      const step = onStatusAnswer(record(from, { acknowledged: true, sentAt: 0 }), STATUS[kind], 1000, T);
      expect(step.record.payment.state).toBe(table[from][kind]);
      const final = ['approved', 'declined', 'cancelled'].includes(table[from][kind]);
      expect(step.effects.length).toBe(final ? 0 : 1);
    });
  }

  it('a final payment never changes on a status answer, whatever it says', () => {
    for (const state of ['approved', 'declined', 'failed', 'cancelled', 'voided', 'accepted'] as const) {
      for (const observation of Object.values(STATUS)) {
        const step = onStatusAnswer(record(state), observation, 0, T);
        expect(step.changed).toBe(false);
        expect(step.effects).toEqual([]);
      }
    }
  });

  it('approved keeps the receipt and the issuer code; declined explains the issuer code', () => {
    const approved = onStatusAnswer(record('sent', { acknowledged: true }), STATUS.approved, 0, T).record.payment;
    expect(approved.receipt).toEqual({ response_code: '00', auth_code: '123456' });
    expect(approved.responseCode).toBe('00');
    const declined = onStatusAnswer(record('sent', { acknowledged: true }), STATUS.declined, 0, T).record.payment;
    expect(declined.message).toContain('funds');
  });

  it('"not found" fails a payment myPOS never acknowledged, and only that one', () => {
    expect(onStatusAnswer(record('unknown', { acknowledged: false }), STATUS.not_found, 0, T).record.payment.state).toBe('failed');
    expect(onStatusAnswer(record('unknown', { acknowledged: true }), STATUS.not_found, 0, T).record.payment.state).toBe('unknown');
  });
});

describe('the PIN poll: every 20 s, at most 5 times', () => {
  it('asks 5 times at 20 s, then the payment is unknown and asked with back-off', () => {
    let step = onSendAnswer(record('accepted'), { kind: 'pin', code: '1A' }, 0, T);
    const delays: number[] = [];
    let now = 0;
    for (let poll = 1; poll <= 5; poll++) {
      const effect = step.effects[0];
      if (!effect) throw new Error('no effect');
      delays.push(effect.delayMs);
      now += effect.delayMs;
      step = onStatusAnswer(step.record, { kind: 'pin', code: '70' }, now, T);
      expect(step.record.payment.state).toBe(poll < 5 ? 'pin' : 'unknown');
    }
    expect(delays).toEqual([20_000, 20_000, 20_000, 20_000, 20_000]);
    expect(step.record.payment.message).toContain('PIN');
    // Still PIN afterwards: stays unknown, the pace doubles up to the cap, never approved or declined.
    const later: number[] = [];
    for (let i = 0; i < 6; i++) {
      const effect = step.effects[0];
      if (!effect) throw new Error('no effect');
      later.push(effect.delayMs);
      step = onStatusAnswer(step.record, { kind: 'pin', code: '70' }, (now += effect.delayMs), T);
      expect(step.record.payment.state).toBe('unknown');
    }
    expect(later).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000]);
    step = onStatusAnswer(step.record, STATUS.approved, now, T);
    expect(step.record.payment.state).toBe('approved');
  });

  it('a PIN answer to a status check starts the polls', () => {
    const step = onStatusAnswer(record('sent', { acknowledged: true }), STATUS.pin, 0, T);
    expect(step.record.payment.state).toBe('pin');
    expect(step.record.machine.pinPolls).toBe(0);
    expect(step.effects).toEqual([{ type: 'check_status', delayMs: 20_000 }]);
  });
});

describe('waiting for the cardholder', () => {
  it('asks at the status pace, then at the back-off pace after slowAfterMs', () => {
    const start = record('sent', { acknowledged: true, sentAt: 0 });
    expect(onStatusAnswer(start, STATUS.pending, 1_000, T).effects).toEqual([{ type: 'check_status', delayMs: T.statusPollMs }]);
    const slow = onStatusAnswer(start, STATUS.pending, T.slowAfterMs + 1, T);
    expect(slow.effects).toEqual([{ type: 'check_status', delayMs: T.unknownPollMs }]);
    expect(onStatusAnswer(slow.record, STATUS.pending, T.slowAfterMs + 2, T).effects).toEqual([{ type: 'check_status', delayMs: T.unknownPollMs * 2 }]);
  });

  it('a pending answer is not an event when nothing changed', () => {
    const step = onStatusAnswer(record('sent', { acknowledged: true, sentAt: 0 }), STATUS.pending, 10, T);
    expect(step.changed).toBe(false);
  });
});

describe('cancel, void and resume', () => {
  it('cancels only what is in flight, voids only what is approved', () => {
    for (const state of PAYMENT_STATES) {
      expect(onCancelled(record(state), 0).record.payment.state).toBe(['accepted', 'sent', 'pin', 'unknown'].includes(state) ? 'cancelled' : state);
      expect(onVoided(record(state), 0).record.payment.state).toBe(state === 'approved' ? 'voided' : state);
    }
  });

  it('resends what was never answered, asks about the rest, leaves final payments alone', () => {
    expect(resumeEffect(record('accepted'))).toBe('send');
    for (const state of ['sent', 'pin', 'unknown'] as const) expect(resumeEffect(record(state))).toBe('check_status');
    for (const state of ['approved', 'declined', 'failed', 'cancelled', 'voided'] as const) expect(resumeEffect(record(state))).toBeUndefined();
  });
});

describe('messages', () => {
  it('a repeated answer in the same state keeps the message (no event for the cashier)', () => {
    const record0 = record('unknown', { acknowledged: true, pinPolls: 5, unknownChecks: 1 });
    const custom = { ...record0, payment: { ...record0.payment, message: 'The PIN was not finished in time.' } };
    const step = onStatusAnswer(custom, { kind: 'pin', code: '70' }, 0, T);
    expect(step.changed).toBe(false);
    expect(step.record.payment.message).toBe('The PIN was not finished in time.');
  });
});
