import { describe, expect, it } from 'vitest';
import { currencyRule } from '../../web/src/lib/checkout/currency.js';

// A terminal of another currency takes typed amounts by card, in its currency; products and cash
// stay in the shop's. The rule the sale screen follows before anything is sent.

describe('the currency of a sale', () => {
  it('is the shop\'s on a terminal of the shop\'s currency, or with no terminal: card and cash both', () => {
    expect(currencyRule({ shop: 'EUR', terminal: 'EUR', hasProducts: true })).toEqual({ currency: 'EUR', cardAllowed: true, cashAllowed: true, block: undefined });
    expect(currencyRule({ shop: 'EUR', terminal: undefined, hasProducts: false })).toEqual({ currency: 'EUR', cardAllowed: true, cashAllowed: true, block: undefined });
  });

  it('refuses products on a terminal of another currency, and keeps them in the shop\'s for cash', () => {
    expect(currencyRule({ shop: 'EUR', terminal: 'BGN', hasProducts: true })).toEqual({ currency: 'EUR', cardAllowed: false, cashAllowed: true, block: 'products_on_foreign_terminal' });
  });

  it('charges a typed amount on such a terminal in its currency, by card only: never cash booked as the shop\'s', () => {
    expect(currencyRule({ shop: 'EUR', terminal: 'BGN', hasProducts: false })).toEqual({ currency: 'BGN', cardAllowed: true, cashAllowed: false, block: 'cash_for_foreign_amount' });
  });
});
