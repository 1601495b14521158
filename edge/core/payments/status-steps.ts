import type { PaymentReason } from '../../../shared/reasons.js';
import { issuerReason } from '../../../shared/status-codes.js';
import { isInFlight } from '../../../shared/payments.js';
import type { CancelProbeObservation, StatusObservation } from './observations.js';
import type { MachineTimings, PaymentRecord, Step } from './machine-types.js';
import { check, move, stay } from './machine-move.js';

// The machine's steps while it asks about an in-flight payment: MPRGetTxnStatus answers, the
// MPRCancel that confirms a request never arrived, and the back-off while the outcome is unknown.
// Re-exported by machine.ts, the one place importers take the machine from.

function unknownDelay(timings: MachineTimings, checks: number): number {
  return Math.min(timings.unknownPollMs * 2 ** checks, timings.unknownPollMaxMs);
}

/** The answer to MPRGetTxnStatus. Only an in-flight payment takes it; a final one never changes here. */
export function onStatusAnswer(record: PaymentRecord, observation: StatusObservation, now: number, timings: MachineTimings): Step {
  const { payment, machine } = record;
  if (!isInFlight(payment.state) || payment.state === 'accepted') return stay(record);
  switch (observation.kind) {
    case 'approved':
      return move(record, { state: 'approved', myposStatus: '0', responseCode: observation.receipt.response_code ?? '00', receipt: observation.receipt }, { log: undefined }, now, []);
    case 'declined':
      return move(
        record,
        // The issuer's code says why; with none, a plain decline.
        { state: 'declined', reason: observation.responseCode ? issuerReason(observation.responseCode) : 'declined', responseCode: observation.responseCode, receipt: observation.receipt },
        {},
        now,
        [],
      );
    case 'cancelled':
      // MPRGetTxnStatus says cancelled: on the terminal (a cancel from the till is onCancelled).
      return move(record, { state: 'cancelled', reason: 'cardholder_cancelled' }, {}, now, []);
    case 'pending': {
      const slow = machine.sentAt !== undefined && now - machine.sentAt >= timings.slowAfterMs;
      const delay = slow ? unknownDelay(timings, machine.unknownChecks) : timings.statusPollMs;
      return move(record, { state: 'sent' }, { acknowledged: true, unknownChecks: slow ? machine.unknownChecks + 1 : 0, sentAt: machine.sentAt ?? now }, now, check(delay));
    }
    case 'pin': {
      const pinSince = machine.pinSince ?? now;
      const deadline = pinSince + timings.pinWindowMs;
      if (now >= deadline) {
        // The window is over and the PIN is still pending: unknown, asked with back-off; a later
        // PIN answer never opens a new window.
        if (payment.state === 'pin') {
          return move(record, { state: 'unknown', reason: 'pin_timeout' }, { pinSince, unknownChecks: 1 }, now, check(timings.unknownPollMs));
        }
        return move(record, { state: 'unknown' }, { pinSince, unknownChecks: machine.unknownChecks + 1 }, now, check(unknownDelay(timings, machine.unknownChecks)));
      }
      // The first check soon after the prompt, then the PIN pace; the last one at the deadline.
      const pace = payment.state === 'pin' ? timings.pinPollMs : timings.pinFirstMs;
      return move(record, { state: 'pin', myposStatus: observation.code }, { acknowledged: true, pinSince, unknownChecks: 0 }, now, check(Math.min(pace, deadline - now)));
    }
    case 'not_found':
      if (machine.acknowledged) return uncertain(record, 'MPRGetTxnStatus answered 4 E_INVALID_PARAMS for a request myPOS had acknowledged', now, timings);
      if (machine.cancelProbe !== 'answered') {
        // 4 only says "a parameter is not valid": one fact, not proof that myPOS never received the
        // request. Still unknown; MPRCancel of the RUID is asked for the second fact.
        return move(
          record,
          { state: 'unknown' },
          { cancelProbe: 'sent', log: 'MPRGetTxnStatus answered 4 E_INVALID_PARAMS for a request myPOS never acknowledged: confirming with MPRCancel' },
          now,
          [{ type: 'confirm_not_received' }],
        );
      }
      // Confirmed once already, and MPRCancel did not agree: asked with back-off, for a person to settle.
      return uncertain(record, 'MPRGetTxnStatus answered 4 E_INVALID_PARAMS again; MPRCancel did not confirm that myPOS never received the request', now, timings, 'check_terminal');
    case 'uncertain':
      return uncertain(record, observation.reason, now, timings);
  }
}

function uncertain(record: PaymentRecord, log: string, now: number, timings: MachineTimings, reason?: PaymentReason): Step {
  const checks = record.machine.unknownChecks;
  return move(record, { state: 'unknown', ...(reason === undefined ? {} : { reason }) }, { unknownChecks: checks + 1, log }, now, check(unknownDelay(timings, checks)));
}

/**
 * The answer to the MPRCancel of confirm_not_received. Only both facts together say nothing was
 * charged: MPRCancel also does not know the RUID (4) → failed; it stopped a request myPOS still had
 * pending (0) → cancelled; anything else (10 final, 17 in progress, no answer, a bad signature…)
 * → unknown, for a person to check the terminal, still asked with back-off (a later verified
 * MPRGetTxnStatus answer settles it as usual).
 */
export function onCancelProbeAnswer(record: PaymentRecord, observation: CancelProbeObservation, now: number, timings: MachineTimings): Step {
  const { payment, machine } = record;
  if (!isInFlight(payment.state) || payment.state === 'accepted' || machine.cancelProbe !== 'sent') return stay(record);
  switch (observation.kind) {
    case 'not_found':
      return move(
        record,
        { state: 'failed', reason: 'never_received' },
        { cancelProbe: 'answered', log: 'MPRGetTxnStatus and MPRCancel both answered 4 E_INVALID_PARAMS: myPOS never received the request' },
        now,
        [],
      );
    case 'stopped':
      return move(record, { state: 'cancelled', reason: 'cancelled' }, { cancelProbe: 'answered', log: 'MPRGetTxnStatus answered 4, and MPRCancel stopped the request (0): nothing was charged' }, now, []);
    case 'other':
      return move(
        record,
        { state: 'unknown', reason: 'check_terminal' },
        { cancelProbe: 'answered', unknownChecks: machine.unknownChecks + 1, log: `MPRGetTxnStatus answered 4 but MPRCancel did not confirm it: ${observation.reason}` },
        now,
        check(unknownDelay(timings, machine.unknownChecks)),
      );
  }
}
