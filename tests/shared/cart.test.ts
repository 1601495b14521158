import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, discountCents, divideRoundHalfUp, priceCart, vatOf, type CartLine, type Discount } from '../../shared/cart.js';
import { maxCardCents, refundableCents, splitTender, tenderState, type Tender } from '../../shared/tenders.js';

const RATES = [2000, 900, 0];
const discountArb: fc.Arbitrary<Discount | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.record({ kind: fc.constant('amount' as const), cents: fc.integer({ min: 0, max: 50_000 }) }),
  fc.record({ kind: fc.constant('percent' as const), bp: fc.integer({ min: 0, max: 10_000 }) }),
);
const lineArb: fc.Arbitrary<CartLine> = fc.record({
  name: fc.string({ maxLength: 10 }),
  unitPriceCents: fc.integer({ min: 0, max: 99_999 }),
  quantity: fc.integer({ min: 1, max: 50 }),
  vatRateBp: fc.constantFrom(...RATES),
  discount: discountArb,
});

describe('cart arithmetic (property-based)', () => {
  it('the total always equals the sum of the lines, and the VAT rows add up to it', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 20 }), discountArb, (lines, cartDiscount) => {
        const cart = priceCart(lines, cartDiscount);
        expect(cart.totalCents).toBe(cart.lines.reduce((sum, line) => sum + line.totalCents, 0));
        expect(cart.totalCents).toBe(cart.subtotalCents - cart.discountCents);
        expect(cart.vat.reduce((sum, row) => sum + row.grossCents, 0)).toBe(cart.totalCents);
        for (const row of cart.vat) {
          expect(row.vatCents + row.netCents).toBe(row.grossCents);
          expect(row.vatCents).toBe(vatOf(row.grossCents, row.rateBp));
        }
        for (const line of cart.lines) {
          expect(line.totalCents).toBeGreaterThanOrEqual(0);
          expect(Number.isInteger(line.totalCents)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a cart discount is shared out exactly, never more than a line is worth', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.array(fc.integer({ min: 0, max: 100_000 }), { maxLength: 30 }), (total, weights) => {
        const capped = Math.min(total, weights.reduce((a, b) => a + b, 0));
        const shares = allocate(capped, weights);
        expect(shares.reduce((a, b) => a + b, 0)).toBe(weights.some((w) => w > 0) ? capped : 0);
        shares.forEach((share, index) => expect(share).toBeLessThanOrEqual(weights[index] ?? 0));
      }),
    );
  });

  it('rounds half up to the cent, as documented', () => {
    expect(divideRoundHalfUp(5, 10)).toBe(1);
    expect(divideRoundHalfUp(4, 10)).toBe(0);
    expect(discountCents(1999, { kind: 'percent', bp: 1000 })).toBe(200); // 199.9 -> 200
    expect(discountCents(1000, { kind: 'amount', cents: 5000 })).toBe(1000); // never below zero
    expect(vatOf(1200, 2000)).toBe(200); // 12.00 gross at 20 %: 2.00 VAT
    expect(vatOf(1000, 900)).toBe(83); // 10.00 at 9 %: 0.8257 -> 0.83
  });

  it('prices a known cart: 2 x 3.50 at 20 %, 1 x 10.00 at 9 % less 10 %, then 1.00 off the cart', () => {
    const cart = priceCart(
      [
        { name: 'Coffee', unitPriceCents: 350, quantity: 2, vatRateBp: 2000 },
        { name: 'Book', unitPriceCents: 1000, quantity: 1, vatRateBp: 900, discount: { kind: 'percent', bp: 1000 } },
      ],
      { kind: 'amount', cents: 100 },
    );
    expect(cart.lines.map((line) => [line.lineDiscountCents, line.cartDiscountCents, line.totalCents])).toEqual([
      [0, 44, 656],
      [100, 56, 844],
    ]);
    expect(cart.totalCents).toBe(1500);
    expect(cart.vat).toEqual([
      { rateBp: 2000, grossCents: 656, vatCents: 109, netCents: 547 },
      { rateBp: 900, grossCents: 844, vatCents: 70, netCents: 774 },
    ]);
  });
});

describe('tenders and refunds (property-based)', () => {
  const tenderArb: fc.Arbitrary<Tender> = fc.oneof(
    fc.record({ kind: fc.constant('cash' as const), tenderedCents: fc.integer({ min: 0, max: 100_000 }) }),
    fc.record({ kind: fc.constant('card' as const), cents: fc.integer({ min: 0, max: 100_000 }), ruid: fc.constant('R') }),
  );

  it('a sale is complete only when fully paid; change comes from cash only', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.array(tenderArb, { maxLength: 5 }), (total, tenders) => {
        const state = tenderState(total, tenders);
        const offered = tenders.reduce((sum, t) => sum + (t.kind === 'cash' ? t.tenderedCents : t.cents), 0);
        expect(state.complete).toBe(offered >= total);
        expect(state.paidCents + state.dueCents).toBe(total);
        const cash = tenders.reduce((sum, t) => sum + (t.kind === 'cash' ? t.tenderedCents : 0), 0);
        expect(state.changeCents).toBeLessThanOrEqual(cash);
        expect(maxCardCents(total, tenders)).toBe(state.dueCents);
      }),
    );
  });

  it('pays half cash, half card exactly', () => {
    expect(tenderState(1500, [{ kind: 'cash', tenderedCents: 1000 }])).toEqual({ paidCents: 1000, dueCents: 500, changeCents: 0, complete: false });
    expect(tenderState(1500, [{ kind: 'card', cents: 750, ruid: 'R' }, { kind: 'cash', tenderedCents: 2000 }])).toEqual({ paidCents: 1500, dueCents: 0, changeCents: 1250, complete: true });
  });

  it('refunds never exceed what was paid', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.array(fc.integer({ min: 1, max: 50_000 }), { maxLength: 10 }), (paid, requests) => {
        const made: number[] = [];
        for (const request of requests) {
          if (request <= refundableCents(paid, made)) made.push(request);
        }
        expect(made.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(paid);
        expect(refundableCents(paid, made)).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe('splitting a sale between cash and card (property-based)', () => {
  it('cash kept and card add up to the total; change only from cash; the card never over what is due', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999 }), fc.option(fc.integer({ min: 0, max: 2_000_000 }), { nil: undefined }), fc.constantFrom('cash' as const, 'card' as const), (total, received, tender) => {
        if (tender === 'cash' && received !== undefined && received < total) return; // the till refuses this cash sale
        const split = splitTender(total, received, tender);
        expect(split.cashKeptCents + split.cardCents).toBe(total);
        expect(split.cardCents).toBeGreaterThanOrEqual(0);
        expect(split.changeCents).toBe(split.cashTenderedCents - split.cashKeptCents);
        expect(split.changeCents).toBeGreaterThanOrEqual(0);
        if (tender === 'cash') expect(split.cardCents).toBe(0);
        if (tender === 'card' && (received ?? 0) < total) expect(split.changeCents).toBe(0);
      }),
      { numRuns: 500 },
    );
  });
});
