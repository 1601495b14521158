import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceCart } from '../../shared/cart.js';
import { parseAmount } from '../../shared/money.js';
import { zReport, zReportCsv, type ZRefund, type ZSale } from '../../shared/z-report.js';

/** A generated day: sales of random carts paid in cash, card or both, some voided, some refunded. */
const dayArb = fc
  .array(
    fc.record({
      lines: fc.array(fc.record({ unitPriceCents: fc.integer({ min: 1, max: 20_000 }), quantity: fc.integer({ min: 1, max: 5 }), vatRateBp: fc.constantFrom(2000, 900, 0) }), { minLength: 1, maxLength: 6 }),
      cardShareBp: fc.integer({ min: 0, max: 10_000 }),
      tid: fc.constantFrom('90000015', '90000016'),
      voided: fc.boolean(),
      refundBp: fc.integer({ min: 0, max: 10_000 }),
    }),
    { maxLength: 60 },
  )
  .map((specs) => {
    const sales: ZSale[] = [];
    const refunds: ZRefund[] = [];
    specs.forEach((spec, index) => {
      const cart = priceCart(spec.lines.map((line) => ({ ...line, name: 'x' })));
      const card = Math.floor((cart.totalCents * spec.cardShareBp) / 10_000);
      const tenders = [
        ...(card > 0 ? [{ kind: 'card' as const, cents: card, tid: spec.tid }] : []),
        ...(cart.totalCents - card > 0 ? [{ kind: 'cash' as const, cents: cart.totalCents - card }] : []),
      ];
      sales.push({ id: `S${index}`, lines: cart.lines, tenders, voided: spec.voided });
      const refund = Math.floor((cart.totalCents * spec.refundBp) / 10_000);
      if (!spec.voided && refund > 0) refunds.push({ id: `R${index}`, saleId: `S${index}`, kind: card > 0 ? 'card' : 'cash', cents: Math.min(refund, card > 0 ? card : cart.totalCents), tid: spec.tid });
    });
    return { sales, refunds };
  });

describe('Z report', () => {
  it('its totals match a generated day of sales, and its CSV says the same', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max: 1_000_000 }), ({ sales, refunds }, float, counted) => {
        const report = zReport({ sales, refunds, openingFloatCents: float, countedCashCents: counted });
        const kept = sales.filter((sale) => !sale.voided);
        const total = kept.reduce((sum, sale) => sum + sale.lines.reduce((s, line) => s + line.totalCents, 0), 0);
        expect(report.salesCount).toBe(kept.length);
        expect(report.grossCents).toBe(total);
        expect(report.byTender.cash + report.byTender.card).toBe(total);
        expect(report.byVatRate.reduce((sum, row) => sum + row.grossCents, 0)).toBe(total);
        expect(Object.values(report.byTerminal).reduce((a, b) => a + b, 0)).toBe(report.byTender.card);
        expect(report.voids.count).toBe(sales.length - kept.length);
        const cashRefunds = refunds.filter((r) => r.kind === 'cash').reduce((s, r) => s + r.cents, 0);
        expect(report.cashExpectedCents).toBe(float + report.byTender.cash - cashRefunds);
        expect(report.cashDifferenceCents).toBe(counted - report.cashExpectedCents);
        expect(report.netCents).toBe(total - refunds.reduce((s, r) => s + r.cents, 0));

        const csv = zReportCsv(report);
        const cell = (section: string, key: string) => {
          const row = csv.split('\n').find((line) => line.startsWith(`${section},${key},`));
          const parsed = parseAmount(row?.split(',')[2] ?? '', 'csv');
          return parsed.ok ? parsed.value : Number.NaN;
        };
        expect(cell('sales', 'gross')).toBe(total);
        expect(cell('tender', 'cash') + cell('tender', 'card')).toBe(total);
        expect(cell('total', 'net')).toBe(report.netCents);
        // The same day gives the same report.
        expect(zReportCsv(zReport({ sales, refunds, openingFloatCents: float, countedCashCents: counted }))).toBe(csv);
      }),
      { numRuns: 200 },
    );
  });
});
