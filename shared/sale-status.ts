import type { Cents } from './money.js';

// What happened to a sale after it was paid, as History, the sale view and the receipt show it.
// From settled facts only: cash handed back, card refunds myPOS approved, a void myPOS confirmed.

export type SaleStatus = 'paid' | 'partly_refunded' | 'refunded' | 'voided';

export interface SettledGiveBacks {
  readonly cashRefundedCents: Cents;
  readonly cardRefundedCents: Cents;
  readonly voidedCents: Cents;
}

export function saleStatus(totalCents: Cents, given: SettledGiveBacks): SaleStatus {
  const back = given.cashRefundedCents + given.cardRefundedCents + given.voidedCents;
  if (given.voidedCents > 0 && back >= totalCents) return 'voided';
  if (back >= totalCents && totalCents > 0) return 'refunded';
  if (back > 0) return 'partly_refunded';
  return 'paid';
}

/** Why a void of a sale's card payment cannot succeed now (the till offers no Void then). */
export type VoidRefusal = 'no_card' | 'not_supported' | 'not_approved' | 'refunded' | 'not_last' | 'limit';

/** What the edge says of a sale beside the sale itself (GET /api/sales/:id): codes and amounts, no words. */
export interface SaleViewFields {
  readonly status: SaleStatus;
  /** Settled give-backs: cash handed back, card refunds approved, the void confirmed. */
  readonly given: { readonly cash: string; readonly card: string; readonly void: string };
  /** What is left to refund of each tender. */
  readonly refundable: { readonly cash: string; readonly card: string };
  readonly voidable: boolean;
  readonly voidRefusal?: VoidRefusal;
  /** For a device that is not an admin: what it may still give back of this sale (and today). */
  readonly limitLeft?: string;
  /** The card refunds asked against the sale's payment, oldest first (their receipts are at /pay/<ruid>). */
  readonly cardRefunds: ReadonlyArray<{ readonly ruid: string; readonly amount: string; readonly state: string; readonly at: string }>;
}
