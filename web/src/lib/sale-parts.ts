import type { Discount } from '../../../shared/cart.js';
import type { SaleLine } from '../../../shared/sale.js';
import type { LocalSale } from './db/schema.js';

export interface SaleParts {
  readonly lines: readonly SaleLine[];
  readonly discount: Discount | undefined;
  readonly note: string | undefined;
  readonly cashKeptCents: number;
  readonly cashTenderedCents: number;
  readonly cardCents: number;
}

/** The line a free amount (typed on the keypad) becomes; also what a sale stored before the cart is read as. */
export function amountLine(cents: number, vatRateBp: number, name = 'Amount'): SaleLine {
  return { name, unitPriceCents: cents, quantity: 1, vatRateBp };
}

/** A sale's cart and tenders, filling in what a sale stored before the cart lacks. */
export function saleParts(sale: LocalSale, freeAmountVatBp: number): SaleParts {
  const card = sale.tender === 'card';
  return {
    lines: sale.lines ?? [amountLine(sale.amountCents, freeAmountVatBp)],
    discount: sale.discount,
    note: sale.note,
    cashKeptCents: sale.cashKeptCents ?? (card ? 0 : sale.amountCents),
    cashTenderedCents: sale.cashTenderedCents ?? (card ? 0 : sale.amountCents),
    cardCents: sale.cardCents ?? (card ? sale.amountCents : 0),
  };
}
