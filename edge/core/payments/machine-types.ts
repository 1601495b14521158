import type { Payment } from '../../../shared/payments.js';

// What the payment state machine (machine.ts) reads and returns: its timings, its bookkeeping kept
// with each payment, and the effects it asks for. Plain data, so the stores and the settings can
// use it without the steps.

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
