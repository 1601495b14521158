import type { PaymentReason } from '../../../shared/reasons.js';
import { issuerReason } from '../../../shared/status-codes.js';
import { isInFlight, reasonOf, STATE_REASONS, type Payment, type PaymentState } from '../../../shared/payments.js';
import type { CancelProbeObservation, SendObservation, StatusObservation } from './observations.js';

// The payment state machine: pure. Given a payment, what happened, and the time, it returns the next
// payment and what to do next. The processor carries the effects out; tests drive this directly.

/**
 * When to ask MPRGetTxnStatus. The terminal gives no signal of its own, so the cashier sees a
 * result only when we ask: the pace is the latency of every card payment.
 *
 * The reference (../shared/specs/mypos-remote-api-reference.txt, "Handling PIN Entry Workflow",
 * lines 197-211) says: "Wait 20 seconds", "Keep checking every 20 seconds", "Maximum recommended:
 * 5 retries (100 seconds total)", and DECISIONS.md ("Status handling") read it as "every 20 s, at
 * most 5 times (both configurable)". We keep its bound, the 100 s PIN window from the first PIN
 * answer, as a deadline, but not its 20 s pace: a PIN typed just after a check showed ~20 s later.
 * 20 s is a recommendation ("Allow customer time to enter PIN"); the one hard limit on asking is
 * "Rate limit: 1000 requests per minute per account" (line 373), which the gateway keeps for all
 * terminals of the login, status polls after purchases and cancels (mypos/gateway.ts). So: a
 * first check soon after the prompt, then every 2 s, until the window ends; then `unknown`.
 */
export interface MachineTimings {
  /** First check after the terminal took the request: a card can be tapped at once. */
  readonly statusFirstMs: number;
  /** Then, while the terminal waits for the cashier's O and the card. */
  readonly statusPollMs: number;
  /** First check after the PIN prompt was seen. */
  readonly pinFirstMs: number;
  /** Then, while the cardholder enters the PIN. */
  readonly pinPollMs: number;
  /**
   * The documented PIN window (100 s), from the first PIN answer: still PIN at its end, the
   * outcome is unknown and the unknown back-off takes over.
   */
  readonly pinWindowMs: number;
  /** Unknown: ask with back-off from this, doubling up to the max. */
  readonly unknownPollMs: number;
  readonly unknownPollMaxMs: number;
  /** After this long waiting for the cardholder, ask at the unknown back-off pace instead. */
  readonly slowAfterMs: number;
}

export const DEFAULT_MACHINE_TIMINGS: MachineTimings = {
  statusFirstMs: 1_000,
  statusPollMs: 2_000,
  pinFirstMs: 1_000,
  pinPollMs: 2_000,
  pinWindowMs: 100_000,
  unknownPollMs: 5_000,
  unknownPollMaxMs: 60_000,
  slowAfterMs: 300_000,
};

/**
 * The MPRCancel sent to confirm that myPOS never received a request: `sent` once decided (stored
 * before the call), `answered` once its answer was taken. A request is confirmed this way once; a
 * `sent` never answered (the process stopped meanwhile) is sent again at the next 4.
 */
export type CancelProbe = 'sent' | 'answered';

/** The machine's own bookkeeping, stored with the payment. */
export interface MachineState {
  /** myPOS confirmed it received the request (status 0, PIN, or a duplicate). */
  readonly acknowledged: boolean;
  /**
   * When myPOS first answered with a PIN code (epoch ms): the PIN window runs from here and is
   * never restarted, whatever comes between. (Records stored before it existed lack it: their
   * window starts at their next PIN answer.)
   */
  readonly pinSince: number | undefined;
  readonly unknownChecks: number;
  /** When the terminal took the request (epoch ms). */
  readonly sentAt: number | undefined;
  /** The precise reason of the last uncertain answer or refusal, for the log. */
  readonly log: string | undefined;
  /**
   * The confirmation by MPRCancel after MPRGetTxnStatus answered 4 for a request myPOS never
   * acknowledged. (Records stored before it existed lack it: never confirmed.)
   */
  readonly cancelProbe: CancelProbe | undefined;
}

export interface PaymentRecord {
  readonly payment: Payment;
  readonly machine: MachineState;
}

export type Effect =
  | { readonly type: 'check_status'; readonly delayMs: number }
  /**
   * Send MPRCancel for the payment's RUID now, under the terminal's lock, and give its answer to
   * onCancelProbeAnswer: the second fact before "nothing was charged".
   */
  | { readonly type: 'confirm_not_received' };

export interface Step {
  readonly record: PaymentRecord;
  readonly effects: readonly Effect[];
  /** The payment changed in a way the till sees (a new event). */
  readonly changed: boolean;
}

export const INITIAL_MACHINE: MachineState = { acknowledged: false, pinSince: undefined, unknownChecks: 0, sentAt: undefined, log: undefined, cancelProbe: undefined };

interface Change {
  readonly state: PaymentState;
  /** Why, as a code the till words (shared/reasons.ts); by default the state's own. */
  readonly reason?: PaymentReason;
  readonly pendingRuid?: string;
  readonly myposStatus?: string;
  readonly responseCode?: string;
  readonly receipt?: Readonly<Record<string, string>>;
}

function move(record: PaymentRecord, change: Change, machine: Partial<MachineState>, now: number, effects: Effect[]): Step {
  const before = record.payment;
  const payment: Payment = {
    ...before,
    state: change.state,
    // Staying in a state keeps its reason: a repeated answer is not news for the cashier.
    reason: change.reason ?? (change.state === before.state ? reasonOf(before) : STATE_REASONS[change.state]),
    ...(change.pendingRuid === undefined ? {} : { pendingRuid: change.pendingRuid }),
    myposStatus: change.myposStatus ?? before.myposStatus,
    responseCode: change.responseCode ?? before.responseCode,
    receipt: change.receipt ?? before.receipt,
    updatedAt: new Date(now).toISOString(),
  };
  const changed = payment.state !== before.state || payment.reason !== before.reason || payment.receipt !== before.receipt;
  return { record: { payment: changed ? payment : before, machine: { ...record.machine, ...machine } }, effects, changed };
}

function stay(record: PaymentRecord): Step {
  return { record, effects: [], changed: false };
}

const check = (delayMs: number): Effect[] => [{ type: 'check_status', delayMs }];

function unknownDelay(timings: MachineTimings, checks: number): number {
  return Math.min(timings.unknownPollMs * 2 ** checks, timings.unknownPollMaxMs);
}

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
