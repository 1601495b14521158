import type { Operation } from '../../../shared/operations.js';
import type { Payment, PaymentState, TerminalTransport } from '../../../shared/payments.js';
import type { PaymentReason } from '../../../shared/reasons.js';
import type { TerminalRecord } from '../ports.js';
import type { PaymentRecord } from './machine.js';

// One shape for every way a payment reaches a terminal. The payment service stores a new payment
// (once, whatever the channel) and hands it to its terminal's channel; the channel carries it to
// the terminal and settles it. What a channel can do is data (capabilities), read by the routes
// and the till: nobody branches on the transport outside the channels and the composition.

export type CreateResult =
  | { readonly kind: 'created' | 'exists'; readonly payment: Payment }
  | { readonly kind: 'conflict'; readonly payment: Payment }
  | { readonly kind: 'busy'; readonly inFlightRuid: string };

/**
 * Why a cancel or void was refused: the error body's code with its data (the till words it); the
 * message is for the log and API developers.
 */
export type CancelRefusal =
  | { readonly code: 'pin_entry' | 'not_last' | 'no_answer' | 'not_supported' | 'customer_paying'; readonly message: string }
  | { readonly code: 'already_final'; readonly state: PaymentState; readonly message: string }
  | { readonly code: 'mypos_refused'; readonly status: string; readonly reason: PaymentReason; readonly message: string };

export type CancelResult =
  | { readonly kind: 'cancelled' | 'voided'; readonly payment: Payment }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'refused'; readonly refusal: CancelRefusal; readonly payment: Payment };

export type SettleResult = { readonly kind: 'resolved'; readonly payment: Payment } | { readonly kind: 'refused'; readonly message: string } | { readonly kind: 'not_found' };

/** A payment the service has just stored (`accepted`), with what its channel needs to send it. */
export interface StartedPayment {
  readonly payment: Payment;
  readonly terminal: TerminalRecord;
  /** The purchase refunded, or the preauth completed or released. */
  readonly original: Payment | undefined;
}

/**
 * A payment these books do not hold, which a till says myPOS approved: its books were restored
 * from a backup older than the payment. Only myPOS's word brings it back (confirmLost).
 */
export interface LostPayment {
  readonly ruid: string;
  readonly terminal: TerminalRecord;
  readonly amountCents: number;
  readonly reference: Payment['reference'];
}

/** Why myPOS's answer did not bring a lost payment back: the till keeps the sale for a person. */
export type LostPaymentReason = 'declined' | 'cancelled' | 'not_found' | 'pending' | 'no_answer' | 'amount_differs';

export type LostPaymentAnswer =
  /** myPOS says approved, for this amount: the payment as it is to be stored (approved, final). */
  | { readonly kind: 'confirmed'; readonly record: PaymentRecord }
  | { readonly kind: 'not_confirmed'; readonly reason: LostPaymentReason };

export interface TerminalChannel {
  readonly transport: TerminalTransport;
  /** What the till may offer on this channel's terminals (shared/operations.ts). */
  readonly capabilities: readonly Operation[];
  /** A terminal takes one payment at a time; a channel without one (checkout links) takes many. */
  readonly oneAtATime: boolean;
  /** Carries a stored payment to its terminal, in the background: its states arrive as events. */
  start(started: StartedPayment): void;
  /** Stops a payment in flight, or voids an approved one (channels with `cancel`/`void`). */
  cancel?(ruid: string): Promise<CancelResult>;
  /** A person checked the terminal and says how an unknown payment ended (see isSettleableByHand). */
  resolve?(ruid: string, outcome: 'approved' | 'declined', ref: string | undefined): Promise<SettleResult>;
  /**
   * Asks myPOS once, reading only, how a payment these books lost ended (channels that can ask:
   * a LAN terminal's answer is on its own paper only). Stores nothing: the service does.
   */
  confirmLost?(lost: LostPayment): Promise<LostPaymentAnswer>;
  /** After a restart: its payments that were in flight (given by the service) go on or end. */
  recover(records: readonly PaymentRecord[]): Promise<number>;
}
