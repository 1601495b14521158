import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MACHINE_TIMINGS as T,
  INITIAL_MACHINE,
  onCancelled,
  onCancelProbeAnswer,
  onSendAnswer,
  onSettledByHand,
  onStatusAnswer,
  onVoided,
  resumeEffect,
  type PaymentRecord,
} from '../../../edge/core/payments/machine.js';
import { machineTimings } from '../../../edge/core/env-settings.js';
import type { CancelProbeObservation, SendObservation, StatusObservation } from '../../../edge/core/payments/observations.js';
import { PAYMENT_STATES, STATE_REASONS, type PaymentState } from '../../../shared/payments.js';

const refusal = { status: '42', name: 'TERMINAL_OFFLINE', reason: 'terminal_offline', log: 'status 42' } as const;

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
      reason: STATE_REASONS[state],
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
    taken: ['sent', T.statusFirstMs],
    pin: ['pin', T.pinFirstMs],
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

  it('a refusal gives its reason and status, and a busy one names the pending RUID', () => {
    expect(onSendAnswer(record('accepted'), SEND.refused, 0, T).record.payment).toMatchObject({ state: 'failed', reason: 'terminal_offline', myposStatus: '42' });
    expect(onSendAnswer(record('accepted'), SEND.busy, 0, T).record.payment).toMatchObject({ state: 'failed', reason: 'terminal_offline', pendingRuid: 'OTHER', myposStatus: '11' });
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

  it('approved keeps the receipt and the issuer code; declined gives the issuer code and its reason', () => {
    const approved = onStatusAnswer(record('sent', { acknowledged: true }), STATUS.approved, 0, T).record.payment;
    expect(approved.receipt).toEqual({ response_code: '00', auth_code: '123456' });
    expect(approved.responseCode).toBe('00');
    const declined = onStatusAnswer(record('sent', { acknowledged: true }), STATUS.declined, 0, T).record.payment;
    expect(declined).toMatchObject({ reason: 'insufficient_funds', responseCode: '51' });
    const issuer = onStatusAnswer(record('sent', { acknowledged: true }), { kind: 'declined', responseCode: '05', receipt: {} }, 0, T).record.payment;
    expect(issuer).toMatchObject({ reason: 'issuer_declined', responseCode: '05' });
    const unknownCode = onStatusAnswer(record('sent', { acknowledged: true }), { kind: 'declined', responseCode: 'Q9', receipt: {} }, 0, T).record.payment;
    expect(unknownCode).toMatchObject({ reason: 'issuer_declined', responseCode: 'Q9' });
    const noCode = onStatusAnswer(record('sent', { acknowledged: true }), { kind: 'declined', responseCode: '', receipt: {} }, 0, T).record.payment;
    expect(noCode.reason).toBe('declined');
  });

  it('cancelled on the terminal, and a cancel or void from the till each say so', () => {
    expect(onStatusAnswer(record('sent', { acknowledged: true }), STATUS.cancelled, 0, T).record.payment.reason).toBe('cardholder_cancelled');
    expect(onCancelled(record('sent'), 0).record.payment.reason).toBe('cancelled');
    expect(onVoided(record('approved'), 0).record.payment.reason).toBe('voided');
  });

  it('"not found" for a payment myPOS had acknowledged is only uncertain: unknown, asked with back-off, never confirmed by MPRCancel', () => {
    const step = onStatusAnswer(record('unknown', { acknowledged: true, unknownChecks: 2 }), STATUS.not_found, 0, T);
    expect(step.record.payment).toMatchObject({ state: 'unknown', reason: 'unknown_outcome' });
    expect(step.effects).toEqual([{ type: 'check_status', delayMs: T.unknownPollMs * 4 }]);
    expect(step.record.machine.cancelProbe).toBeUndefined();
  });
});

describe('"nothing charged" needs two agreeing facts: MPRGetTxnStatus 4, then MPRCancel 4', () => {
  const PROBE: Record<CancelProbeObservation['kind'], CancelProbeObservation> = {
    not_found: { kind: 'not_found' },
    stopped: { kind: 'stopped' },
    other: { kind: 'other', reason: 'MPRCancel: status 10 E_TRANSACTION_NOT_PERMITTED' },
  };
  const unacknowledged = () => record('unknown', { acknowledged: false, unknownChecks: 1, log: 'transport: dropped' });

  it('a 4 for a request myPOS never acknowledged keeps it unknown and asks for the confirmation, stored as sent', () => {
    const step = onStatusAnswer(unacknowledged(), STATUS.not_found, 1_000, T);
    expect(step.record.payment).toMatchObject({ state: 'unknown', reason: 'unknown_outcome' });
    expect(step.effects).toEqual([{ type: 'confirm_not_received' }]);
    expect(step.record.machine.cancelProbe).toBe('sent');
    expect(step.record.machine.log).toContain('MPRGetTxnStatus answered 4');
    // Not news for the cashier: still unknown, same reason.
    expect(step.changed).toBe(false);
  });

  it('MPRCancel answers 4 too: failed, never received', () => {
    const probing = onStatusAnswer(unacknowledged(), STATUS.not_found, 1_000, T).record;
    const step = onCancelProbeAnswer(probing, PROBE.not_found, 2_000, T);
    expect(step.record.payment).toMatchObject({ state: 'failed', reason: 'never_received', updatedAt: new Date(2_000).toISOString() });
    expect(step.record.machine).toMatchObject({ cancelProbe: 'answered', log: expect.stringContaining('both answered 4') });
    expect(step.effects).toEqual([]);
    expect(step.changed).toBe(true);
  });

  it('MPRCancel stopped it (0): cancelled, nothing charged', () => {
    const probing = onStatusAnswer(unacknowledged(), STATUS.not_found, 1_000, T).record;
    const step = onCancelProbeAnswer(probing, PROBE.stopped, 2_000, T);
    expect(step.record.payment).toMatchObject({ state: 'cancelled', reason: 'cancelled' });
    expect(step.effects).toEqual([]);
  });

  it('MPRCancel says anything else: unknown with check_terminal, asked with back-off, the answer in the log', () => {
    const probing = onStatusAnswer(unacknowledged(), STATUS.not_found, 1_000, T).record;
    const step = onCancelProbeAnswer(probing, PROBE.other, 2_000, T);
    expect(step.record.payment).toMatchObject({ state: 'unknown', reason: 'check_terminal' });
    expect(step.record.machine).toMatchObject({ cancelProbe: 'answered', unknownChecks: 2, log: expect.stringContaining('E_TRANSACTION_NOT_PERMITTED') });
    expect(step.effects).toEqual([{ type: 'check_status', delayMs: T.unknownPollMs * 2 }]);
    expect(step.changed).toBe(true);
  });

  it('confirms once: a later 4 stays unknown/check_terminal with back-off, no second MPRCancel', () => {
    const probing = onStatusAnswer(unacknowledged(), STATUS.not_found, 1_000, T).record;
    let step = onCancelProbeAnswer(probing, PROBE.other, 2_000, T);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      step = onStatusAnswer(step.record, STATUS.not_found, 3_000 + i, T);
      expect(step.record.payment).toMatchObject({ state: 'unknown', reason: 'check_terminal' });
      expect(step.effects.every((effect) => effect.type === 'check_status')).toBe(true);
      expect(step.changed).toBe(false);
      delays.push(...step.effects.map((effect) => (effect.type === 'check_status' ? effect.delayMs : -1)));
    }
    expect(delays).toEqual([20_000, 40_000, 60_000, 60_000]);
  });

  it('a later verified status answer still settles it as usual', () => {
    const probing = onStatusAnswer(unacknowledged(), STATUS.not_found, 1_000, T).record;
    const waiting = onCancelProbeAnswer(probing, PROBE.other, 2_000, T).record;
    expect(onStatusAnswer(waiting, STATUS.approved, 3_000, T).record.payment).toMatchObject({ state: 'approved', reason: 'approved' });
    expect(onStatusAnswer(waiting, STATUS.declined, 3_000, T).record.payment).toMatchObject({ state: 'declined', reason: 'insufficient_funds' });
    expect(onStatusAnswer(waiting, STATUS.cancelled, 3_000, T).record.payment.state).toBe('cancelled');
    expect(onStatusAnswer(waiting, STATUS.pending, 3_000, T).record.payment.state).toBe('sent');
  });

  it('a confirmation sent but never answered (the process stopped) is sent again at the next 4', () => {
    const step = onStatusAnswer(record('unknown', { acknowledged: false, cancelProbe: 'sent' }), STATUS.not_found, 0, T);
    expect(step.effects).toEqual([{ type: 'confirm_not_received' }]);
  });

  it('a payment stored before the confirmation existed (no cancelProbe) is confirmed like a new one', () => {
    const legacy = record('unknown', { acknowledged: false });
    const stored = JSON.parse(JSON.stringify(legacy)) as PaymentRecord;
    delete (stored.machine as { cancelProbe?: unknown }).cancelProbe;
    expect('cancelProbe' in stored.machine).toBe(false);
    const step = onStatusAnswer(stored, STATUS.not_found, 0, T);
    expect(step.record.payment.state).toBe('unknown');
    expect(step.effects).toEqual([{ type: 'confirm_not_received' }]);
  });

  it('an answer to a confirmation not asked for, or for a payment no longer in flight, changes nothing', () => {
    for (const observation of Object.values(PROBE)) {
      expect(onCancelProbeAnswer(record('unknown', { acknowledged: false }), observation, 0, T).changed).toBe(false);
      expect(onCancelProbeAnswer(record('unknown', { acknowledged: false, cancelProbe: 'answered' }), observation, 0, T).changed).toBe(false);
      for (const state of ['approved', 'declined', 'failed', 'cancelled', 'voided', 'accepted'] as const) {
        const step = onCancelProbeAnswer(record(state, { cancelProbe: 'sent' }), observation, 0, T);
        expect(step.changed).toBe(false);
        expect(step.effects).toEqual([]);
      }
    }
  });

  it('a person settles an unknown payment: approved or not charged, with the terminal\'s reference; nothing else moves', () => {
    const waiting = { ...record('unknown'), payment: { ...record('unknown').payment, reason: 'check_terminal' as const } };
    expect(onSettledByHand(waiting, 'approved', 'REF1', 5_000).record.payment).toMatchObject({ state: 'approved', reason: 'checked_approved', receipt: { ref: 'REF1' } });
    expect(onSettledByHand(waiting, 'declined', undefined, 5_000).record.payment).toMatchObject({ state: 'declined', reason: 'checked_not_charged', receipt: undefined });
    expect(onSettledByHand(waiting, 'approved', undefined, 5_000).effects).toEqual([]);
    for (const state of PAYMENT_STATES.filter((one) => one !== 'unknown')) expect(onSettledByHand(record(state), 'approved', undefined, 0).changed).toBe(false);
  });
});

/** Answers every check with `answer(now)` until a final or unknown state; the delays asked for. */
function run(step: ReturnType<typeof onSendAnswer>, answer: (now: number) => StatusObservation, start: number, until: (state: PaymentState) => boolean) {
  const delays: number[] = [];
  let now = start;
  while (!until(step.record.payment.state)) {
    const effect = step.effects[0];
    if (effect?.type !== 'check_status') throw new Error(`no check scheduled in ${step.record.payment.state}`);
    delays.push(effect.delayMs);
    now += effect.delayMs;
    step = onStatusAnswer(step.record, answer(now), now, T);
    if (delays.length > 1000) throw new Error('no end');
  }
  return { step, delays, now };
}

describe('the PIN schedule: a first check soon after the prompt, then every 2 s, within the 100 s window', () => {
  it('defaults: first check 1 s after the prompt, then every 2 s, for 100 s', () => {
    expect([T.pinFirstMs, T.pinPollMs, T.pinWindowMs]).toEqual([1_000, 2_000, 100_000]);
  });

  it('asks 1 s after the PIN prompt, then every 2 s; the last check falls on the deadline; then unknown with back-off', () => {
    const prompt = 5_000;
    const first = onSendAnswer(record('accepted'), { kind: 'pin', code: '1A' }, prompt, T);
    expect(first.record.machine.pinSince).toBe(prompt);
    const { step, delays, now } = run(first, () => STATUS.pin, prompt, (state) => state !== 'pin');
    // 1 s, then 49 x 2 s (checks at 3 s ... 99 s after the prompt), then 1 s to the deadline.
    expect(delays).toEqual([1_000, ...Array.from({ length: 49 }, () => 2_000), 1_000]);
    expect(now - prompt).toBe(T.pinWindowMs);
    expect(step.record.payment.state).toBe('unknown');
    expect(step.record.payment.reason).toBe('pin_timeout');
    // Still PIN afterwards: stays unknown, the pace doubles up to the cap, never approved or declined on a guess.
    let later = step;
    const backoff: number[] = [];
    let at = now;
    for (let i = 0; i < 6; i++) {
      const effect = later.effects[0];
      if (effect?.type !== 'check_status') throw new Error('no effect');
      backoff.push(effect.delayMs);
      later = onStatusAnswer(later.record, STATUS.pin, (at += effect.delayMs), T);
      expect(later.record.payment.state).toBe('unknown');
      expect(later.changed).toBe(false);
    }
    expect(backoff).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000]);
    expect(onStatusAnswer(later.record, STATUS.approved, at, T).record.payment.state).toBe('approved');
  });

  it.each([0, 700, 1_000, 1_001, 2_999, 50_500, 98_999, 99_500])('a PIN entered %i ms after the prompt is seen within 2 s', (enteredAfter) => {
    const prompt = 0;
    const { step, now } = run(onSendAnswer(record('accepted'), { kind: 'pin', code: '1A' }, prompt, T), (at) => (at - prompt > enteredAfter ? STATUS.approved : STATUS.pin), prompt, (state) => state !== 'pin');
    expect(step.record.payment.state).toBe('approved');
    expect(now - (prompt + enteredAfter)).toBeGreaterThan(0);
    expect(now - (prompt + enteredAfter)).toBeLessThanOrEqual(T.pinPollMs);
  });

  it('a PIN answer to a status check starts the window there, first check after 1 s', () => {
    const step = onStatusAnswer(record('sent', { acknowledged: true, sentAt: 0 }), STATUS.pin, 3_000, T);
    expect(step.record.payment.state).toBe('pin');
    expect(step.record.machine.pinSince).toBe(3_000);
    expect(step.effects).toEqual([{ type: 'check_status', delayMs: T.pinFirstMs }]);
    expect(onStatusAnswer(step.record, STATUS.pin, 4_000, T).effects).toEqual([{ type: 'check_status', delayMs: T.pinPollMs }]);
  });

  // [state before, ms since the first PIN answer] -> [state after, delay of the next check]
  const window: Array<[string, PaymentState, number, PaymentState, number]> = [
    ['in the window, asked again at the PIN pace', 'pin', 10_000, 'pin', T.pinPollMs],
    ['near the deadline, the next check is at the deadline', 'pin', 99_400, 'pin', 600],
    ['at the deadline: unknown, the back-off takes over', 'pin', 100_000, 'unknown', T.unknownPollMs],
    ['PIN again after a pending answer, in the window: same window, first-check pace', 'sent', 40_000, 'pin', T.pinFirstMs],
    ['PIN again after a pending answer, past the window: unknown, never a new window', 'sent', 120_000, 'unknown', T.unknownPollMs],
    ['PIN again after an uncertain answer, in the window: back to PIN', 'unknown', 30_000, 'pin', T.pinFirstMs],
    ['PIN again after an uncertain answer, past the window: stays unknown', 'unknown', 100_001, 'unknown', T.unknownPollMs * 2],
  ];
  it.each(window)('%s', (_name, from, elapsed, to, delay) => {
    const before = record(from, { acknowledged: true, sentAt: 0, pinSince: 1_000, unknownChecks: from === 'unknown' ? 1 : 0 });
    const step = onStatusAnswer(before, STATUS.pin, 1_000 + elapsed, T);
    expect(step.record.payment.state).toBe(to);
    expect(step.record.machine.pinSince).toBe(1_000);
    expect(step.effects).toEqual([{ type: 'check_status', delayMs: delay }]);
  });

  it('a PIN payment stored before the window existed (no pinSince) starts its window at its next PIN answer', () => {
    const legacy = record('pin', { acknowledged: true, sentAt: 0, pinSince: undefined });
    const step = onStatusAnswer(legacy, STATUS.pin, 500_000, T);
    expect(step.record.payment.state).toBe('pin');
    expect(step.record.machine.pinSince).toBe(500_000);
  });

  it('the window and paces come from the settings; PAYMENT_PIN_POLLS still means that many 20 s polls', () => {
    expect(machineTimings({})).toEqual(T);
    expect(machineTimings({ PAYMENT_PIN_WINDOW_MS: '60000', PAYMENT_PIN_FIRST_MS: '500', PAYMENT_PIN_POLL_MS: '2500', PAYMENT_STATUS_FIRST_MS: '800' })).toMatchObject({
      pinWindowMs: 60_000,
      pinFirstMs: 500,
      pinPollMs: 2_500,
      statusFirstMs: 800,
    });
    expect(machineTimings({ PAYMENT_PIN_POLLS: '3' }).pinWindowMs).toBe(60_000);
    expect(machineTimings({ PAYMENT_PIN_POLLS: '5', PAYMENT_PIN_POLL_MS: '20000' })).toMatchObject({ pinWindowMs: 100_000, pinPollMs: 20_000 });
    expect(machineTimings({ PAYMENT_PIN_POLLS: '5', PAYMENT_PIN_WINDOW_MS: '90000' }).pinWindowMs).toBe(90_000);
    expect(() => machineTimings({ PAYMENT_PIN_POLL_MS: '0' })).toThrow('PAYMENT_PIN_POLL_MS');
  });
});

describe('the card: a first check soon after the terminal took the request', () => {
  it('asks 1 s after the request is taken, then every 2 s', () => {
    const taken = onSendAnswer(record('accepted'), { kind: 'taken' }, 0, T);
    const { delays, step } = run(taken, (now) => (now >= 6_000 ? STATUS.approved : STATUS.pending), 0, (state) => state !== 'sent');
    expect(delays).toEqual([1_000, 2_000, 2_000, 2_000]);
    expect(step.record.payment.state).toBe('approved');
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

describe('reasons', () => {
  it('a repeated answer in the same state keeps the reason (no event for the cashier)', () => {
    const record0 = record('unknown', { acknowledged: true, pinSince: -T.pinWindowMs, unknownChecks: 1 });
    const custom = { ...record0, payment: { ...record0.payment, reason: 'pin_timeout' as const } };
    const step = onStatusAnswer(custom, { kind: 'pin', code: '70' }, 0, T);
    expect(step.changed).toBe(false);
    expect(step.record.payment.reason).toBe('pin_timeout');
  });

  it('every state moved into without a better reason takes its own', () => {
    expect(onSendAnswer(record('accepted'), SEND.taken, 0, T).record.payment.reason).toBe('waiting_for_customer');
    expect(onSendAnswer(record('accepted'), SEND.pin, 0, T).record.payment.reason).toBe('pin_pending');
    expect(onSendAnswer(record('accepted'), SEND.uncertain, 0, T).record.payment.reason).toBe('unknown_outcome');
    expect(onStatusAnswer(record('sent', { acknowledged: true }), STATUS.approved, 0, T).record.payment.reason).toBe('approved');
  });
});
