import type { Cents } from './money.js';
import type { PaymentReason } from './reasons.js';
import type { PaymentReference } from './validation.js';

// A payment as the edge stores it and the till shows it. Purchases and refunds share it: both are a
// request to the terminal that the cardholder completes.

/**
 * accepted: stored, not yet answered by myPOS. sent: the terminal has it, waiting for the cardholder.
 * pin: the cardholder is entering the PIN. unknown: the outcome is not established yet; the edge
 * keeps asking myPOS. approved | declined: the card's answer. failed: myPOS refused the request,
 * nothing was charged. cancelled: stopped before the card paid. voided: approved, then reversed.
 */
export const PAYMENT_STATES = ['accepted', 'sent', 'pin', 'unknown', 'approved', 'declined', 'failed', 'cancelled', 'voided'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

export const IN_FLIGHT_STATES: ReadonlySet<PaymentState> = new Set(['accepted', 'sent', 'pin', 'unknown']);

export function isInFlight(state: PaymentState): boolean {
  return IN_FLIGHT_STATES.has(state);
}

/** A state after which the payment's event stream ends (a later void is a new change, seen on reconnect). */
export function isFinalState(state: PaymentState): boolean {
  return !IN_FLIGHT_STATES.has(state);
}

/**
 * purchase and refund on any terminal; on a LAN terminal (iqom Payment Interface) also preauth (an
 * amount held on the card), completion (charging a held amount) and preauth_cancel (releasing it).
 */
export type PaymentKind = 'purchase' | 'refund' | 'preauth' | 'completion' | 'preauth_cancel';

/**
 * cloud: the myPOS Remote API; lan: the iqom Payment Interface over TCP in the store; online: myPOS
 * Online Checkout (IPC), the customer pays on their own phone by a QR code or a link.
 */
export const TERMINAL_TRANSPORTS = ['cloud', 'lan', 'online'] as const;
export type TerminalTransport = (typeof TERMINAL_TRANSPORTS)[number];

export function isTerminalTransport(value: unknown): value is TerminalTransport {
  return (TERMINAL_TRANSPORTS as readonly unknown[]).includes(value);
}

/** The receipt fields of MPRGetTxnStatus, by their myPOS names. */
export type ReceiptFields = Readonly<Record<string, string>>;

/** A line of the cart as the customer's payment page lists it (a payment by link). */
export interface PaymentLine {
  readonly name: string;
  readonly quantity: number;
  readonly unitPriceCents: Cents;
}

export interface Payment {
  readonly ruid: string;
  readonly kind: PaymentKind;
  readonly tid: string;
  readonly currency: string;
  readonly amount: string;
  readonly amountCents: Cents;
  readonly reference: PaymentReference | undefined;
  /** For a refund: the purchase it gives money back for; for a completion or a preauth_cancel: the preauth. */
  readonly originalRuid: string | undefined;
  /** A payment by link: the cart's lines its page shows (they add up to the amount). */
  readonly lines?: readonly PaymentLine[];
  /** The channel it went by (absent on payments stored before channels were recorded: the cloud). */
  readonly transport?: TerminalTransport;
  readonly state: PaymentState;
  /** The last verified myPOS status and issuer code that decided the state, when there is one. */
  readonly myposStatus: string | undefined;
  readonly responseCode: string | undefined;
  /**
   * Why it is where it is, as a code (shared/reasons.ts): the till words it in its language, with
   * the data above (responseCode, myposStatus) and pendingRuid. Never a sentence.
   */
  readonly reason: PaymentReason;
  /** For reason `terminal_busy`: the RUID of the request the terminal is on, as myPOS named it. */
  readonly pendingRuid?: string;
  readonly receipt: ReceiptFields | undefined;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface PaymentEvent {
  /** Increases with every change, across all payments: the SSE id. */
  readonly id: number;
  readonly ruid: string;
  readonly state: PaymentState;
  readonly at: string;
  readonly payment: Payment;
}

export const SSE_PAYMENT_EVENT = 'payment';

/** The reason of a state when nothing more precise is known. */
export const STATE_REASONS: Readonly<Record<PaymentState, PaymentReason>> = {
  accepted: 'sending',
  sent: 'waiting_for_customer',
  pin: 'pin_pending',
  unknown: 'unknown_outcome',
  approved: 'approved',
  declined: 'declined',
  failed: 'not_started',
  cancelled: 'cancelled',
  voided: 'voided',
};

/** A payment's reason; a record stored before reasons existed has none: its state's. */
export function reasonOf(payment: Pick<Payment, 'state'> & { readonly reason?: PaymentReason | undefined }): PaymentReason {
  return payment.reason ?? STATE_REASONS[payment.state];
}
