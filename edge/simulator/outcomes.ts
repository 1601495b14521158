import type { Cents } from '../../shared/money.js';

// What the virtual terminal does with an amount, chosen by its cents, so that a person or a test
// can pick an outcome by typing an amount. The README shows this table.

export type RequestOutcome = 'accept' | 'terminal_offline' | 'terminal_timeout' | 'system_error';
export type CardOutcome =
  | { readonly kind: 'approve' }
  | { readonly kind: 'decline'; readonly responseCode: string }
  | { readonly kind: 'pin_then_approve' }
  | { readonly kind: 'pin_then_decline'; readonly responseCode: string }
  | { readonly kind: 'pin_never_entered'; readonly responseCode: string }
  | { readonly kind: 'cardholder_cancels' };

export interface OutcomeRow {
  readonly cents: string;
  readonly request: RequestOutcome;
  readonly card: CardOutcome;
  readonly description: string;
}

const APPROVE: CardOutcome = { kind: 'approve' };

export const OUTCOME_TABLE: readonly OutcomeRow[] = [
  { cents: '.05', request: 'accept', card: { kind: 'decline', responseCode: '05' }, description: 'declined by the issuer (05 do not honour)' },
  { cents: '.14', request: 'accept', card: { kind: 'cardholder_cancels' }, description: 'the cardholder cancels on the terminal (status 14)' },
  { cents: '.42', request: 'terminal_offline', card: APPROVE, description: 'terminal offline: MPRPurchase answers 42' },
  { cents: '.51', request: 'accept', card: { kind: 'decline', responseCode: '51' }, description: 'declined: insufficient funds (51)' },
  { cents: '.55', request: 'accept', card: { kind: 'pin_then_approve' }, description: 'PIN asked (1A, 70), entered after 12 s, then approved' },
  { cents: '.56', request: 'accept', card: { kind: 'pin_then_decline', responseCode: '75' }, description: 'PIN asked, wrong PIN after 12 s, declined (75)' },
  { cents: '.60', request: 'terminal_timeout', card: APPROVE, description: 'the terminal does not respond: MPRPurchase answers 60' },
  { cents: '.65', request: 'accept', card: { kind: 'pin_never_entered', responseCode: '75' }, description: 'PIN asked and never entered: PIN codes for 150 s, then declined' },
  { cents: '.99', request: 'system_error', card: APPROVE, description: 'myPOS system error: MPRPurchase answers 99' },
];

export const DEFAULT_OUTCOME: OutcomeRow = { cents: 'any other', request: 'accept', card: APPROVE, description: 'approved' };

export function outcomeFor(amountCents: Cents): OutcomeRow {
  const cents = `.${String(amountCents % 100).padStart(2, '0')}`;
  return OUTCOME_TABLE.find((row) => row.cents === cents) ?? DEFAULT_OUTCOME;
}

/**
 * Times of the virtual terminal in real milliseconds, multiplied by the simulator's time scale
 * (SIM_TIME_SCALE=1 is a cardholder's real speed; the tests run it 250 times faster).
 */
export const TERMINAL_TIMES = {
  /** Auto mode: the cashier presses O and the customer presents the card. */
  confirmAndCard: 2_000,
  /** The cardholder reads the prompt, types the PIN and presses OK (12 s: a slow one). */
  pinEntry: 12_000,
  /**
   * A PIN that is never entered ends the payment after this long: after the documented 100 s PIN
   * window, so the edge's deadline passes first (unknown) and the decline settles it later.
   */
  pinGiveUp: 150_000,
} as const;
