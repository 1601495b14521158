import { isInFlight } from '../../../shared/payments.js';
import type { SendObservation } from './observations.js';
import type { MachineTimings, PaymentRecord, Step } from './machine-types.js';
import { check, move, stay } from './machine-move.js';

// The payment state machine: pure. Given a payment, what happened, and the time, it returns the next
// payment and what to do next. The processor carries the effects out; tests drive this directly.
// Its data and timings are in machine-types.ts, the status answers in status-steps.ts; importers
// take all of it from here.

export { DEFAULT_MACHINE_TIMINGS, INITIAL_MACHINE } from './machine-types.js';
export type { CancelProbe, Effect, MachineState, MachineTimings, PaymentRecord, Step } from './machine-types.js';
export { onCancelProbeAnswer, onStatusAnswer } from './status-steps.js';

/** The answer to the purchase (or refund) request. Only an `accepted` payment takes it. */
export function onSendAnswer(record: PaymentRecord, observation: SendObservation, now: number, timings: MachineTimings): Step {
  if (record.payment.state !== 'accepted') return stay(record);
  switch (observation.kind) {
    case 'taken':
      return move(record, { state: 'sent', myposStatus: '0' }, { acknowledged: true, sentAt: now }, now, check(timings.statusFirstMs));
    case 'pin':
      return move(record, { state: 'pin', myposStatus: observation.code }, { acknowledged: true, sentAt: now, pinSince: now }, now, check(timings.pinFirstMs));
    case 'duplicate':
      // myPOS already had it: settle with MPRGetTxnStatus, never resend under a new RUID.
      return move(record, { state: 'sent' }, { acknowledged: true, sentAt: now }, now, check(0));
    case 'refused':
      return move(record, { state: 'failed', reason: observation.refusal.reason, myposStatus: observation.refusal.status }, { log: observation.refusal.log }, now, []);
    case 'busy':
      return move(
        record,
        { state: 'failed', reason: observation.refusal.reason, pendingRuid: observation.pendingRuid, myposStatus: observation.refusal.status },
        { log: observation.refusal.log },
        now,
        [],
      );
    case 'uncertain':
      return move(record, { state: 'unknown' }, { unknownChecks: 1, log: observation.reason }, now, check(timings.unknownPollMs));
  }
}

/**
 * A person checked the terminal and says how a payment left at check_terminal ended (an admin,
 * POST /api/payments/:ruid/resolve). Only an unknown payment takes it.
 */
export function onSettledByHand(record: PaymentRecord, outcome: 'approved' | 'declined', ref: string | undefined, now: number): Step {
  if (record.payment.state !== 'unknown') return stay(record);
  return move(
    record,
    { state: outcome, reason: outcome === 'approved' ? 'checked_approved' : 'checked_not_charged', ...(ref ? { receipt: { ref } } : {}) },
    { log: `settled by hand as ${outcome === 'approved' ? 'approved' : 'not charged'}, after checking the terminal` },
    now,
    [],
  );
}

/** MPRCancel succeeded: the terminal dropped the request before the card paid. */
export function onCancelled(record: PaymentRecord, now: number): Step {
  if (!isInFlight(record.payment.state)) return stay(record);
  return move(record, { state: 'cancelled' }, {}, now, []);
}

/** MPRLastTxnVoid succeeded. */
export function onVoided(record: PaymentRecord, now: number): Step {
  if (record.payment.state !== 'approved') return stay(record);
  return move(record, { state: 'voided' }, {}, now, []);
}

/** Where a payment found in flight at start-up picks up: resend if never acknowledged, else ask. */
export function resumeEffect(record: PaymentRecord): 'send' | 'check_status' | undefined {
  if (!isInFlight(record.payment.state)) return undefined;
  return record.payment.state === 'accepted' ? 'send' : 'check_status';
}
