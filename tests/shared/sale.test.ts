import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceCart, type Discount } from '../../shared/cart.js';
import { checkSaleInput, type SaleBody } from '../../shared/sale-check.js';
import { saleBody, type SaleInput } from '../../shared/sale.js';

const AT = '2026-11-22T10:00:00.000Z';
const lineArb = fc.record({
  name: fc.constantFrom('Espresso', 'Croissant', 'Кафе'),
  unitPriceCents: fc.integer({ min: 0, max: 50_000 }),
  quantity: fc.integer({ min: 1, max: 20 }),
  vatRateBp: fc.constantFrom(2000, 900, 0),
  discount: fc.option(fc.oneof(fc.record({ kind: fc.constant('percent' as const), bp: fc.integer({ min: 0, max: 10_000 }) }), fc.record({ kind: fc.constant('amount' as const), cents: fc.integer({ min: 0, max: 100 }) })), { nil: undefined }),
});

function sale(body: Partial<SaleBody> = {}): SaleBody {
  return {
    lines: [
      { name: 'Espresso', unitPrice: '2.40', quantity: 2, vatRate: '20' },
      { name: 'Book', unitPrice: '15.00', quantity: 1, vatRate: '9', discount: { percent: '10' } },
    ],
    discount: { amount: '1.00' },
    total: '17.30',
    currency: 'EUR',
    cash: { kept: '8.30', tendered: '10.00' },
    card: { amount: '9.00', ruid: 'R1' },
    createdAt: AT,
    completedAt: AT,
    ...body,
  };
}

describe('a sale for the ledger', () => {
  it('is priced again by the edge: a split sale whose parts add up is accepted', () => {
    const checked = checkSaleInput('S1', sale());
    expect(checked.ok && checked.value).toMatchObject({ totalCents: 1730, cashKeptCents: 830, cashTenderedCents: 1000, cardCents: 900, paymentRuid: 'R1' });
  });

  it.each<[string, Partial<SaleBody>, string, string]>([
    ['a total that is not the sum of the lines', { total: '17.31', cash: { kept: '8.31', tendered: '10.00' } }, 'total', 'sum_of_lines'],
    ['tenders that leave something due', { card: { amount: '8.00', ruid: 'R1' } }, 'cash.kept', 'covers_total'],
    ['less cash handed over than kept', { cash: { kept: '8.30', tendered: '8.00' } }, 'cash.tendered', 'min'],
    ['no lines', { lines: [] }, 'lines', 'length'],
    ['a fractional quantity', { lines: [{ name: 'Espresso', unitPrice: '2.40', quantity: 1.5, vatRate: '20' }] }, 'lines[0].quantity', 'range'],
    ['a bad VAT rate', { lines: [{ name: 'Espresso', unitPrice: '2.40', quantity: 1, vatRate: '120' }] }, 'lines[0].vatRate', 'percent'],
    ['a discount over 100 %', { discount: { percent: '101' } }, 'discount.percent', 'percent'],
    ['a line discount larger than the line', { lines: [{ name: 'Espresso', unitPrice: '2.40', quantity: 1, vatRate: '20', discount: { amount: '2.41' } }] }, 'lines[0].discount.amount', 'max'],
  ])('refuses %s, naming the field and the rule', (_name, change, field, rule) => {
    const checked = checkSaleInput('S1', sale(change));
    expect(checked.ok ? undefined : { field: checked.error.field, rule: checked.error.rule }).toEqual({ field, rule });
  });

  it('survives the wire: the body a till builds from any cart is accepted as the same sale', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 100 }), (lines, cardShareBp, cartPercent) => {
        const safeLines = lines.map((line) => ({ ...line, discount: line.discount?.kind === 'amount' ? { kind: 'amount' as const, cents: Math.min(line.discount.cents, line.unitPriceCents * line.quantity) } : line.discount }));
        const discount: Discount = { kind: 'percent', bp: cartPercent * 100 };
        const priced = priceCart(safeLines, discount);
        if (priced.totalCents === 0 || priced.totalCents > 999_999) return;
        const card = Math.floor((priced.totalCents * cardShareBp) / 10_000);
        const input: Omit<SaleInput, 'id'> = {
          lines: safeLines.map((line) => ({ ...line, discount: line.discount, note: undefined, productId: undefined })),
          discount,
          note: undefined,
          totalCents: priced.totalCents,
          currency: 'BGN',
          cashKeptCents: priced.totalCents - card,
          cashTenderedCents: priced.totalCents - card,
          cardCents: card,
          paymentRuid: card > 0 ? 'R1' : undefined,
          reference: undefined,
          createdAt: AT,
          completedAt: AT,
        };
        const checked = checkSaleInput('S1', saleBody(input));
        expect(checked.ok).toBe(true);
        if (checked.ok) expect(checked.value.totalCents).toBe(priced.totalCents);
      }),
      { numRuns: 300 },
    );
  });
});
