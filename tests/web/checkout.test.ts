import { describe, expect, it } from 'vitest';
import type { Product } from '../../shared/api.js';
import { MAX_QUANTITY } from '../../shared/sale.js';
import { addAmount, addProduct, EMPTY_CART, itemCount, setDiscount, setNote, updateLine, type CartDraft } from '../../web/src/lib/checkout/cart.js';
import { newerApproval, repeatWarning } from '../../web/src/lib/checkout/repeat-charge.js';
import { canPayAgain, cardAgain, cashInstead, completeSale, startPayment, type SaleDraft } from '../../web/src/lib/checkout/sale.js';
import { noteSuggestions, planTender } from '../../web/src/lib/checkout/tender.js';
import type { LocalSale } from '../../web/src/lib/db/schema.js';

// The till's checkout actions, without a browser: the cart, the tender split, and the sale records
// a charge and a cash sale store.

const product = (id: string, priceCents: number, extra: Partial<Product> = {}): Product => ({
  id,
  name: id,
  priceCents,
  vatRateBp: 2000,
  category: '',
  barcode: undefined,
  active: true,
  sortOrder: 0,
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});
const espresso = product('Espresso', 240);
const book = product('Atlas', 1500, { vatRateBp: 900 });

describe('the cart', () => {
  it('adds a product, and the same product again to its line', () => {
    const cart = addProduct(addProduct(addProduct(EMPTY_CART, espresso), book), espresso);
    expect(cart.lines.map((line) => [line.name, line.quantity])).toEqual([
      ['Espresso', 2],
      ['Atlas', 1],
    ]);
    expect(itemCount(cart.lines)).toBe(3);
    // The cart given is never changed: each action gives the next one.
    expect(EMPTY_CART.lines).toHaveLength(0);
  });

  it('starts a new line for a product whose line has its own discount or note, or a new price', () => {
    let cart = updateLine(addProduct(EMPTY_CART, espresso), 0, { note: 'no sugar' });
    cart = addProduct(cart, espresso);
    cart = addProduct(cart, { ...espresso, priceCents: 260 });
    expect(cart.lines.map((line) => [line.quantity, line.unitPriceCents, line.note])).toEqual([
      [1, 240, 'no sugar'],
      [1, 240, undefined],
      [1, 260, undefined],
    ]);
  });

  it('changes and removes lines, caps the quantity, and keeps a typed amount as its own line', () => {
    let cart = addAmount(addProduct(EMPTY_CART, espresso), 1234, 'Amount', 2000);
    expect(cart.lines[1]).toEqual({ name: 'Amount', unitPriceCents: 1234, quantity: 1, vatRateBp: 2000 });
    expect(addAmount(cart, 0, 'Amount', 2000)).toBe(cart);
    cart = updateLine(cart, 0, { quantity: MAX_QUANTITY + 5 });
    expect(cart.lines[0]?.quantity).toBe(MAX_QUANTITY);
    cart = updateLine(cart, 0, { quantity: 0 });
    expect(cart.lines.map((line) => line.name)).toEqual(['Amount']);
    expect(updateLine(cart, 7, { quantity: 2 })).toBe(cart);
  });

  it('takes a discount and a note on the sale', () => {
    const cart: CartDraft = setNote(setDiscount(addProduct(EMPTY_CART, book), { kind: 'percent', bp: 1000 }), 'table 4');
    expect(cart.discount).toEqual({ kind: 'percent', bp: 1000 });
    expect(cart.note).toBe('table 4');
    expect(planTender({ lines: cart.lines, discount: cart.discount, keypadLine: undefined, cashText: '' }).totalCents).toBe(1350);
  });
});

describe('the tender split', () => {
  const lines = addProduct(addProduct(EMPTY_CART, espresso), book).lines; // 17.40
  const plan = (cashText: string, keypad?: number) => planTender({ lines, discount: undefined, keypadLine: keypad ? { name: 'Amount', unitPriceCents: keypad, quantity: 1, vatRateBp: 2000 } : undefined, cashText });

  it('with nothing typed: exact cash, or all by card', () => {
    const p = plan('');
    expect(p.totalCents).toBe(1740);
    expect(p.card).toEqual({ cashKeptCents: 0, cashTenderedCents: 0, cardCents: 1740, changeCents: 0 });
    expect(p.cashCovers).toBe(true);
    expect(p.changeCents).toBe(0);
  });

  it('cash received below the total pays first, the card the rest; above it, the change', () => {
    expect(plan('10').card).toEqual({ cashKeptCents: 1000, cashTenderedCents: 1000, cardCents: 740, changeCents: 0 });
    expect(plan('10').cashCovers).toBe(false);
    expect(plan('20,00').changeCents).toBe(260);
    expect(plan('20,00').card.cardCents).toBe(0);
  });

  it('counts the keypad amount as a line, refuses what is not money, and knows the cap', () => {
    expect(plan('', 1000).totalCents).toBe(2740);
    expect(plan('abc').cashInvalid).toBe(true);
    expect(planTender({ lines: [{ name: 'Big', unitPriceCents: 999_999, quantity: 2, vatRateBp: 0 }], discount: undefined, keypadLine: undefined, cashText: '' }).overCap).toBe(true);
  });

  it('offers the next round notes above the total', () => {
    expect(noteSuggestions(1740)).toEqual([2000, 5000, 10_000]);
    expect(noteSuggestions(2000)).toEqual([5000, 10_000]);
    expect(noteSuggestions(0)).toEqual([]);
  });
});

describe('starting a payment and completing a sale', () => {
  const draft: SaleDraft = { lines: addProduct(addProduct(EMPTY_CART, espresso), book).lines, discount: undefined, note: ' ', cashReceivedCents: undefined, reference: { number: 'INV-1', type: '2' } };
  const made = { id: 'RUID-1', now: '2026-03-01T10:00:00.000Z', currency: 'EUR' };

  it('a card sale: the RUID and terminal, the card the whole total, not complete until paid', () => {
    const sale = startPayment(draft, { ...made, tid: '90000015' });
    expect(sale).toMatchObject({ id: 'RUID-1', tender: 'card', tid: '90000015', amountCents: 1740, cashKeptCents: 0, cardCents: 1740, completedAt: undefined, sync: 'none', note: undefined, reference: { number: 'INV-1', type: '2' } });
  });

  it('a split sale: the cash received pays first', () => {
    const sale = startPayment({ ...draft, cashReceivedCents: 1000 }, { ...made, tid: '90000015' });
    expect([sale.cashKeptCents, sale.cashTenderedCents, sale.cardCents]).toEqual([1000, 1000, 740]);
  });

  it('a cash sale is complete at once, with its change; never for less than the total', () => {
    const sale = completeSale({ ...draft, cashReceivedCents: 2000 }, made);
    expect(sale).toMatchObject({ tender: 'cash', tid: undefined, cashKeptCents: 1740, cashTenderedCents: 2000, cardCents: 0, completedAt: made.now });
    expect(completeSale(draft, made).cashTenderedCents).toBe(1740);
    expect(() => completeSale({ ...draft, cashReceivedCents: 1000 }, made)).toThrow(RangeError);
  });

  it('a declined card sale: the same cart as cash, or the card again with a new RUID and the same split', () => {
    const declined: LocalSale = { ...startPayment({ ...draft, cashReceivedCents: 500 }, { ...made, tid: '90000015' }), paymentState: 'declined' };
    expect(canPayAgain(declined)).toBe(true);
    expect(canPayAgain({ ...declined, paymentState: 'approved' })).toBe(false);
    expect(canPayAgain({ ...declined, paymentState: 'pin' })).toBe(false);
    expect(canPayAgain({ ...declined, paymentState: 'expired' })).toBe(true);

    const cash = cashInstead(declined, 2000, { id: 'RUID-2', now: made.now, currency: 'EUR' });
    expect(cash).toMatchObject({ id: 'RUID-2', tender: 'cash', amountCents: 1740, cashKeptCents: 1740, cashTenderedCents: 1740, cardCents: 0, reference: declined.reference });
    expect(cash.lines).toEqual(declined.lines);
    // What the customer hands over: the rest is change.
    expect(cashInstead(declined, 2000, { id: 'RUID-4', now: made.now, currency: 'EUR' }, 2000)).toMatchObject({ cashKeptCents: 1740, cashTenderedCents: 2000 });
    expect(() => cashInstead(declined, 2000, { id: 'RUID-5', now: made.now, currency: 'EUR' }, 1000)).toThrow(RangeError);

    const again = cardAgain(declined, 2000, { id: 'RUID-3', now: made.now });
    expect(again).toMatchObject({ id: 'RUID-3', tender: 'card', tid: '90000015', amountCents: 1740, cashKeptCents: 500, cardCents: 1240, paymentState: undefined });
  });
});

describe('the same amount again on the same terminal', () => {
  const approvedAt = '2026-03-01T10:00:00.000Z';
  const at = Date.parse(approvedAt);
  const last = { ruid: 'R-1', amount: '20.21', approvedAt };

  it('is asked within two minutes of the approval, saying how long ago', () => {
    expect(repeatWarning(last, 2021, at + 40_000)).toEqual({ ruid: 'R-1', amountCents: 2021, seconds: 40 });
    expect(repeatWarning(last, 2021, at + 119_000)?.seconds).toBe(119);
  });

  it('is not asked for another amount, after two minutes, or with no approval', () => {
    expect(repeatWarning(last, 2020, at + 1_000)).toBeUndefined();
    expect(repeatWarning(last, 2021, at + 120_000)).toBeUndefined();
    expect(repeatWarning(undefined, 2021, at)).toBeUndefined();
  });

  it('takes the newer of the edge list and what this till saw itself', () => {
    const later = { ruid: 'R-2', amount: '5.00', approvedAt: '2026-03-01T10:01:00.000Z' };
    expect(newerApproval(last, later)).toBe(later);
    expect(newerApproval(later, last)).toBe(later);
    expect(newerApproval(undefined, last)).toBe(last);
  });
});
