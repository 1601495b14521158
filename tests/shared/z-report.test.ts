import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceCart } from '../../shared/cart.js';
import { zReport, zReportCsv, type ZGiveBack, type ZInput, type ZSale } from '../../shared/z-report.js';
import { cents, expectReconciled, sum } from '../helpers/z-identities.js';

// The report's identities, for random days of sales paid in cash, by card or split, in two
// currencies, with cash refunds, card refunds and voids — each at most what its tender has left,
// as the edge allows them.

const saleArb = fc.record({
  currency: fc.constantFrom('EUR', 'EUR', 'BGN'),
  lines: fc.array(fc.record({ unitPriceCents: fc.integer({ min: 1, max: 20_000 }), quantity: fc.integer({ min: 1, max: 5 }), vatRateBp: fc.constantFrom(2000, 900, 0) }), { minLength: 1, maxLength: 6 }),
  cardShareBp: fc.integer({ min: 0, max: 10_000 }),
  tid: fc.constantFrom('90000015', '90000016'),
  voided: fc.boolean(),
  cashBackBp: fc.array(fc.integer({ min: 0, max: 6_000 }), { maxLength: 3 }),
  cardBackBp: fc.array(fc.integer({ min: 0, max: 6_000 }), { maxLength: 3 }),
});

const dayArb = fc.array(saleArb, { maxLength: 50 }).map((specs) => {
  const sales: ZSale[] = [];
  const giveBacks: ZGiveBack[] = [];
  specs.forEach((spec, index) => {
    const cart = priceCart(spec.lines.map((line) => ({ ...line, name: 'x' })));
    // A sale in a terminal's other currency is paid by card only: the drawer holds the shop's.
    const card = spec.currency === 'EUR' ? Math.floor((cart.totalCents * spec.cardShareBp) / 10_000) : cart.totalCents;
    const sale: ZSale = { id: `S${index}`, currency: spec.currency, lines: cart.lines, cashCents: cart.totalCents - card, cardCents: card, tid: card > 0 ? spec.tid : undefined };
    sales.push(sale);
    let cardLeft = card;
    if (spec.voided && card > 0) {
      giveBacks.push({ id: `V${index}`, kind: 'void', currency: sale.currency, cents: card, tid: spec.tid, saleLines: cart.lines });
      cardLeft = 0;
    }
    spec.cardBackBp.forEach((bp, n) => {
      const amount = Math.min(Math.floor((card * bp) / 10_000), cardLeft);
      if (amount === 0) return;
      cardLeft -= amount;
      giveBacks.push({ id: `C${index}.${n}`, kind: 'card_refund', currency: sale.currency, cents: amount, tid: spec.tid, saleLines: cart.lines });
    });
    let cashLeft = sale.cashCents;
    spec.cashBackBp.forEach((bp, n) => {
      const amount = Math.min(Math.floor((sale.cashCents * bp) / 10_000), cashLeft);
      if (amount === 0) return;
      cashLeft -= amount;
      giveBacks.push({ id: `K${index}.${n}`, kind: 'cash_refund', currency: sale.currency, cents: amount, saleLines: cart.lines });
    });
  });
  return { sales, giveBacks };
});

describe('Z report', () => {
  it('reconciles by construction: net = gross − refunds − voids = cash + card = Σ terminals = Σ VAT rows, per currency', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max: 1_000_000 }), ({ sales, giveBacks }, float, counted) => {
        const input: ZInput = { sales, giveBacks, shopCurrency: 'EUR', openingFloatCents: float, countedCashCents: counted, period: { from: undefined, to: '2026-12-02T18:00:00.000Z' } };
        const report = zReport(input);
        for (const [currency, f] of Object.entries(report.byCurrency)) {
          expectReconciled(f);
          // Nothing sums two currencies: each figure comes from its own currency's events only.
          const own = sales.filter((s) => s.currency === currency);
          expect(f.count).toBe(own.length);
          expect(cents(f.gross)).toBe(sum(own.flatMap((s) => s.lines.map((l) => l.totalCents))));
          const back = giveBacks.filter((g) => g.currency === currency);
          expect(cents(f.voids)).toBe(sum(back.filter((g) => g.kind === 'void').map((g) => g.cents)));
          expect(f.refundCount + f.voidCount).toBe(back.length);
        }
        expect(Object.keys(report.byCurrency)[0]).toBe('EUR');
        const eurCash = cents(report.byCurrency.EUR?.cash ?? 'x');
        expect(cents(report.drawer.expected)).toBe(float + eurCash);
        expect(cents(report.drawer.difference ?? 'x')).toBe(counted - cents(report.drawer.expected));

        // The CSV carries the same figures, each with its currency, after the shop, Z number and period.
        const csv = zReportCsv(report, { shop: 'Café, "Central"', no: 7 });
        const lines = csv.trim().split('\n');
        expect(lines.slice(0, 6)).toEqual(['section,key,currency,value', 'report,shop,,"Café, ""Central"""', 'report,z,,7', 'report,from,,', 'report,to,,2026-12-02T18:00:00.000Z', 'report,currency,,EUR']);
        for (const [currency, f] of Object.entries(report.byCurrency)) {
          const cell = (section: string, key: string) => lines.find((line) => line.startsWith(`${section},${key},${currency},`))?.split(',')[3] ?? 'missing';
          expect([cell('sales', 'gross'), cell('total', 'net'), cell('tender', 'cash'), cell('tender', 'card'), cell('voids', 'total')]).toEqual([f.gross, f.net, f.cash, f.card, f.voids]);
        }
        for (const line of lines.slice(1)) expect(line.split(',').length).toBeGreaterThanOrEqual(4);
        // The same events give the same report.
        expect(zReportCsv(zReport(input), { shop: 'Café, "Central"', no: 7 })).toBe(csv);
      }),
      { numRuns: 300 },
    );
  });

  it('a give-back of an earlier sale lowers VAT by that sale\'s rates, even below zero, and nothing given back shows as 0.00', () => {
    const earlier = priceCart([{ name: 'A', unitPriceCents: 1200, quantity: 1, vatRateBp: 2000 }]).lines;
    const report = zReport({
      sales: [],
      giveBacks: [{ id: 'R', kind: 'card_refund', currency: 'EUR', cents: 1200, tid: '90000015', saleLines: earlier }],
      shopCurrency: 'EUR',
      openingFloatCents: 0,
      countedCashCents: undefined,
      period: { from: '2026-12-01T18:00:00.000Z', to: '2026-12-02T18:00:00.000Z' },
    });
    const eur = report.byCurrency.EUR;
    expect(eur?.byVatRate).toEqual([{ rate: '20', gross: '-12.00', vat: '-2.00', net: '-10.00' }]);
    expect(eur?.byTerminal).toEqual([{ terminal: '90000015', net: '-12.00' }]);
    expect([eur?.net, eur?.voids, eur?.cashRefunds]).toEqual(['-12.00', '0.00', '0.00']);
    expect(report.drawer).toEqual({ currency: 'EUR', openingFloat: '0.00', expected: '0.00' });
  });

  it('keeps a spreadsheet from running a shop name as a formula', () => {
    const report = zReport({ sales: [], giveBacks: [], shopCurrency: 'EUR', openingFloatCents: 0, countedCashCents: undefined, period: { from: undefined, to: '2026-12-02T18:00:00.000Z' } });
    expect(zReportCsv(report, { shop: '=HYPERLINK("x")', no: undefined }).split('\n')[1]).toBe('report,shop,,"\'=HYPERLINK(""x"")"');
  });
});
