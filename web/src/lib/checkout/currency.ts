// Which currency a sale is rung up in, and what the selected terminal may take. The catalogue and
// the drawer are in the shop's currency. A terminal of another currency takes only typed amounts,
// in its own currency, by card alone: products on it are refused before anything is sent, and so
// is cash for its typed amounts (the drawer holds the shop's currency). The edge refuses both too.

export type CurrencyBlock = 'products_on_foreign_terminal' | 'cash_for_foreign_amount';

export interface CurrencyRule {
  /** The currency the amounts on screen and the sale are in. */
  readonly currency: string;
  readonly cardAllowed: boolean;
  readonly cashAllowed: boolean;
  readonly block: CurrencyBlock | undefined;
}

export function currencyRule(input: { readonly shop: string; readonly terminal: string | undefined; readonly hasProducts: boolean }): CurrencyRule {
  if (input.terminal === undefined || input.terminal === input.shop) return { currency: input.shop, cardAllowed: true, cashAllowed: true, block: undefined };
  if (input.hasProducts) return { currency: input.shop, cardAllowed: false, cashAllowed: true, block: 'products_on_foreign_terminal' };
  return { currency: input.terminal, cardAllowed: true, cashAllowed: false, block: 'cash_for_foreign_amount' };
}
