import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceCart } from '../../shared/cart.js';
import { parseAmount } from '../../shared/money.js';
import { refundableCents } from '../../shared/tenders.js';
import { zReport, zReportCsv, type ZRefund, type ZSale } from '../../shared/z-report.js';

/** A generated day: sales of random carts paid in cash, card or both, some voided, some refunded. */
const dayArb = fc
  .array(
    fc.record({
      lines: fc.array(fc.record({ unitPriceCents: fc.integer({ min: 1, max: 20_000 }), quantity: fc.integer({ min: 1, max: 5 }), vatRateBp: fc.constantFrom(2000, 900, 0) }), { minLength: 1, maxLength: 6 }),
      cardShareBp: fc.integer({ min: 0, max: 10_000 }),
      tid: fc.constantFrom('90000015', '90000016'),
      voided: fc.boolean(),
      refundBp: fc.array(fc.integer({ min: 0, max: 6_000 }), { maxLength: 3 }),
    }),
    { maxLength: 60 },
  )
  .map((specs) => {
    const sales: ZSale[] = [];
    const voids: ZSale[] = [];
    const refunds: ZRefund[] = [];
    specs.forEach((spec, index) => {
      const cart = priceCart(spec.lines.map((line) => ({ ...line, name: 'x' })));
      const card = Math.floor((cart.totalCents * spec.cardShareBp) / 10_000);
      const sale: ZSale = { id: `S${index}`, lines: cart.lines, cashCents: cart.totalCents - card, cardCents: card, tid: card > 0 ? spec.tid : undefined };
      sales.push(sale);
      if (spec.voided) voids.push(sale);
      else {
        // Refunds as the edge allows them: each tender at most what is left of it.
        const done: number[] = [];
        spec.refundBp.forEach((bp, n) => {
          const kind = card > 0 ? 'card' : 'cash';
          const cents = Math.min(Math.floor((cart.totalCents * bp) / 10_000), refundableCents(kind === 'card' ? card : sale.cashCents, done));
          if (cents === 0) return;
          done.push(cents);
          refunds.push({ id: `R${index}.${n}`, saleId: sale.id, kind, cents, tid: kind === 'card' ? spec.tid : undefined, saleLines: cart.lines });
        });
      }
    });
    return { sales, voids, refunds };
  });

const total = (sales: readonly ZSale[]) => sales.reduce((sum, sale) => sum + sale.lines.reduce((s, line) => s + line.totalCents, 0), 0);

describe('Z report', () => {
  it('its totals match a generated day of sales, voids and refunds, and its CSV says the same', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max: 1_000_000 }), ({ sales, voids, refunds }, float, counted) => {
        const report = zReport({ sales, voids, refunds, openingFloatCents: float, countedCashCents: counted });
        const gross = total(sales);
        const voided = total(voids);
        const refunded = refunds.reduce((s, r) => s + r.cents, 0);
        expect(report.salesCount).toBe(sales.length);
        expect(report.grossCents).toBe(gross);
        expect(report.voids).toMatchObject({ count: voids.length, cents: voided });
        expect(report.byTender.cash + report.byTender.card).toBe(gross - voided);
        expect(report.netCents).toBe(gross - voided - refunded);
        // Every refund here names its sale, so the VAT rows account for every cent of the net.
        expect(report.byVatRate.reduce((sum, row) => sum + row.grossCents, 0)).toBe(report.netCents);
        for (const row of report.byVatRate) expect(row.vatCents + row.netCents).toBe(row.grossCents);
        expect(Object.values(report.byTerminal).reduce((a, b) => a + b, 0)).toBe(report.byTender.card - report.refunds.card);
        const cashRefunds = refunds.filter((r) => r.kind === 'cash').reduce((s, r) => s + r.cents, 0);
        expect(report.cashExpectedCents).toBe(float + report.byTender.cash - cashRefunds);
        expect(report.cashDifferenceCents).toBe(counted - report.cashExpectedCents);

        const csv = zReportCsv(report);
        const cell = (section: string, key: string) => {
          const row = csv.split('\n').find((line) => line.startsWith(`${section},${key},`));
          const parsed = parseAmount((row?.split(',')[2] ?? '').replace(/^-/, ''), 'csv');
          const negative = row?.split(',')[2]?.startsWith('-') ? -1 : 1;
          return parsed.ok ? negative * parsed.value : Number.NaN;
        };
        expect(cell('sales', 'gross')).toBe(gross);
        expect(cell('tender', 'cash') + cell('tender', 'card')).toBe(gross - voided);
        expect(cell('total', 'net')).toBe(report.netCents);
        // The same events give the same report.
        expect(zReportCsv(zReport({ sales, voids, refunds, openingFloatCents: float, countedCashCents: counted }))).toBe(csv);
      }),
      { numRuns: 200 },
    );
  });

  it('a refund of an earlier sale lowers VAT by that sale\'s rates, even below zero', () => {
    const earlier = priceCart([{ name: 'A', unitPriceCents: 1200, quantity: 1, vatRateBp: 2000 }]).lines;
    const report = zReport({ sales: [], voids: [], refunds: [{ id: 'R', saleId: 'S0', kind: 'card', cents: 1200, tid: '90000015', saleLines: earlier }], openingFloatCents: 0, countedCashCents: undefined });
    expect(report.byVatRate).toEqual([{ rateBp: 2000, grossCents: -1200, vatCents: -200, netCents: -1000 }]);
    expect(report.byTerminal).toEqual({ '90000015': -1200 });
    expect(report.netCents).toBe(-1200);
  });
});
