import type { PaymentReason } from '../../../shared/reasons.js';
import { reasonOf, STATE_REASONS, type Payment, type PaymentState } from '../../../shared/payments.js';
import type { Effect, MachineState, PaymentRecord, Step } from './machine-types.js';

// How every step of the machine (machine.ts, status-steps.ts) builds its answer, so each decides
// only what the payment becomes and when to ask next.

export interface Change {
  readonly state: PaymentState;
  /** Why, as a code the till words (shared/reasons.ts); by default the state's own. */
  readonly reason?: PaymentReason;
  readonly pendingRuid?: string;
  readonly myposStatus?: string;
  readonly responseCode?: string;
  readonly receipt?: Readonly<Record<string, string>>;
}

export function move(record: PaymentRecord, change: Change, machine: Partial<MachineState>, now: number, effects: Effect[]): Step {
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

export function stay(record: PaymentRecord): Step {
  return { record, effects: [], changed: false };
}

export const check = (delayMs: number): Effect[] => [{ type: 'check_status', delayMs }];
