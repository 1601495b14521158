import type { Cents } from './money.js';

// Paying a sale: card on the terminal, cash with change, or both. A sale is complete only when the
// tenders cover its total; only cash may go over it (the excess is change).

export type Tender = { readonly kind: 'cash'; readonly tenderedCents: Cents } | { readonly kind: 'card'; readonly cents: Cents; readonly ruid: string };

export interface TenderState {
  readonly paidCents: Cents;
  readonly dueCents: Cents;
  readonly changeCents: Cents;
  readonly complete: boolean;
}

/** What the tenders leave due, and the change to give (from cash only). */
export function tenderState(totalCents: Cents, tenders: readonly Tender[]): TenderState {
  const card = tenders.reduce((sum, t) => sum + (t.kind === 'card' ? t.cents : 0), 0);
  const cash = tenders.reduce((sum, t) => sum + (t.kind === 'cash' ? t.tenderedCents : 0), 0);
  const dueAfterCard = Math.max(totalCents - card, 0);
  const changeCents = Math.max(cash - dueAfterCard, 0);
  const paidCents = Math.min(card + cash, totalCents);
  return { paidCents, dueCents: totalCents - paidCents, changeCents, complete: paidCents === totalCents };
}

/** A card tender may not exceed what is due: a terminal never gives change. */
export function maxCardCents(totalCents: Cents, tenders: readonly Tender[]): Cents {
  return tenderState(totalCents, tenders).dueCents;
}

/** What can still be refunded of a payment, given the refunds already made (never below zero). */
export function refundableCents(paidCents: Cents, refundedCents: readonly Cents[]): Cents {
  return Math.max(paidCents - refundedCents.reduce((a, b) => a + b, 0), 0);
}

export interface TenderSplit {
  /** Cash that stays in the drawer for this sale. */
  readonly cashKeptCents: Cents;
  /** Cash the customer handed over (kept + change). */
  readonly cashTenderedCents: Cents;
  /** What the terminal charges. */
  readonly cardCents: Cents;
  readonly changeCents: Cents;
}

/**
 * How a sale of totalCents is paid when the customer hands over cashReceived (undefined: nothing
 * typed). Cash: an empty field means the exact amount. Card: the cash received pays first and the
 * card the rest (a split), so the card never exceeds what is due and change comes only from cash.
 */
export function splitTender(totalCents: Cents, cashReceivedCents: Cents | undefined, tender: 'cash' | 'card'): TenderSplit {
  const received = cashReceivedCents ?? (tender === 'cash' ? totalCents : 0);
  const cashKeptCents = tender === 'cash' ? totalCents : Math.min(received, totalCents);
  return { cashKeptCents, cashTenderedCents: received, cardCents: totalCents - cashKeptCents, changeCents: Math.max(received - cashKeptCents, 0) };
}
