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
export type VoidRefusal = 'no_card' | 'lan' | 'not_approved' | 'refunded' | 'not_last' | 'limit';
