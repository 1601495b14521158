import { priceCart, type Discount, type PricedCart } from '../../../../shared/cart.js';
import { DEFAULT_AMOUNT_CAP_CENTS, type Cents } from '../../../../shared/money.js';
import type { SaleLine } from '../../../../shared/sale.js';
import { splitTender, type TenderSplit } from '../../../../shared/tenders.js';
import { parseMoneyInput } from '../money-input.js';

// How the sale on the screen would be paid: its lines (with the amount still on the keypad), the
// total, and the split between the cash received and the card. Pure.

export interface TenderInput {
  readonly lines: readonly SaleLine[];
  readonly discount: Discount | undefined;
  /** The amount on the keypad: it counts as a line until added, so "type, Charge" is one step. */
  readonly keypadLine: SaleLine | undefined;
  /** What the cashier typed as cash received; empty: exact cash, or card only. */
  readonly cashText: string;
}

export interface TenderPlan {
  readonly lines: readonly SaleLine[];
  readonly priced: PricedCart;
  readonly totalCents: Cents;
  /** Undefined when nothing (or something that is not money) was typed. */
  readonly cashReceivedCents: Cents | undefined;
  readonly cashTyped: boolean;
  readonly cashInvalid: boolean;
  /** What Charge would do: the cash received pays first, the card the rest. */
  readonly card: TenderSplit;
  /** Change from the cash received, paying all in cash. */
  readonly changeCents: Cents;
  readonly overCap: boolean;
  /** Cash may pay all of it: nothing typed (exact cash) or enough typed. */
  readonly cashCovers: boolean;
  /** Notes a customer might hand over: the next round amounts above the total. */
  readonly suggestions: readonly Cents[];
}

export function planTender(input: TenderInput): TenderPlan {
  const lines = input.keypadLine ? [...input.lines, input.keypadLine] : input.lines;
  const priced = priceCart(lines, input.discount);
  const totalCents = priced.totalCents;
  const cashTyped = input.cashText.trim() !== '';
  const cashReceivedCents = cashTyped ? parseMoneyInput(input.cashText) : undefined;
  const cashInvalid = cashTyped && cashReceivedCents === undefined;
  return {
    lines,
    priced,
    totalCents,
    cashReceivedCents,
    cashTyped,
    cashInvalid,
    card: splitTender(totalCents, cashTyped ? (cashReceivedCents ?? 0) : undefined, 'card'),
    changeCents: Math.max((cashReceivedCents ?? 0) - totalCents, 0),
    overCap: totalCents > DEFAULT_AMOUNT_CAP_CENTS,
    cashCovers: !cashTyped || (cashReceivedCents ?? 0) >= totalCents,
    suggestions: noteSuggestions(totalCents),
  };
}

/** The next round amounts of 5, 10, 20, 50 and 100 above the total, at most three. */
export function noteSuggestions(totalCents: Cents): Cents[] {
  const above = [500, 1000, 2000, 5000, 10_000].map((step) => Math.ceil(totalCents / step) * step).filter((value) => value > totalCents);
  return [...new Set(above)].slice(0, 3);
}
