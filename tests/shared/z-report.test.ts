import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceCart } from '../../shared/cart.js';
import { tenderOfTransport, zReport, zReportCsv, type ZGiveBack, type ZInput, type ZSale } from '../../shared/z-report.js';
import { cents, expectReconciled, sum } from '../helpers/z-identities.js';

// The report's identities, for random days of sales paid in cash, by card, by link or split, in two
// currencies, with cash refunds, card refunds (to a terminal's card or a link's) and voids (of a
// terminal's payment only: a link has none) — each at most what its tender has left, as the edge
// allows them.

const ONLINE_TID = 'ONLINE01';

const saleArb = fc.record({
  currency: fc.constantFrom('EUR', 'EUR', 'BGN'),
  lines: fc.array(fc.record({ unitPriceCents: fc.integer({ min: 1, max: 20_000 }), quantity: fc.integer({ min: 1, max: 5 }), vatRateBp: fc.constantFrom(2000, 900, 0) }), { minLength: 1, maxLength: 6 }),
  cardShareBp: fc.integer({ min: 0, max: 10_000 }),
  tid: fc.constantFrom('90000015', '90000016'),
  /** The card part paid by link (myPOS Online Checkout), about a third of the time. */
  online: fc.constantFrom(false, false, true),
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
    const tid = spec.online ? ONLINE_TID : spec.tid;
    // Sales booked before channels were recorded carry none: card. Write it out on some only.
    const channel = spec.online ? ('online' as const) : index % 2 === 0 ? ('card' as const) : undefined;
    const sale: ZSale = { id: `S${index}`, currency: spec.currency, lines: cart.lines, cashCents: cart.totalCents - card, cardCents: card, tid: card > 0 ? tid : undefined, channel };
    sales.push(sale);
    let cardLeft = card;
    if (spec.voided && card > 0 && !spec.online) {
      giveBacks.push({ id: `V${index}`, kind: 'void', currency: sale.currency, cents: card, tid, saleLines: cart.lines, channel });
      cardLeft = 0;
    }
    spec.cardBackBp.forEach((bp, n) => {
      const amount = Math.min(Math.floor((card * bp) / 10_000), cardLeft);
      if (amount === 0) return;
      cardLeft -= amount;
      giveBacks.push({ id: `C${index}.${n}`, kind: 'card_refund', currency: sale.currency, cents: amount, tid, saleLines: cart.lines, channel });
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
  it('reconciles by construction: net = gross − refunds − voids = cash + card + online = Σ terminals = Σ VAT rows, per currency', () => {
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
          // Link money is its own tender: takings by link less their refunds, on the ONLINE01 row; card is the terminals' only.
          const isOnline = (item: { channel?: string | undefined }) => item.channel === 'online';
          const onlineRefunds = sum(back.filter((g) => g.kind === 'card_refund' && isOnline(g)).map((g) => g.cents));
          const cardRefunds = sum(back.filter((g) => g.kind === 'card_refund' && !isOnline(g)).map((g) => g.cents));
          expect([cents(f.onlineRefunds ?? 'x'), cents(f.cardRefunds)]).toEqual([onlineRefunds, cardRefunds]);
          expect(cents(f.online ?? 'x')).toBe(sum(own.filter(isOnline).map((s) => s.cardCents)) - onlineRefunds);
          expect(cents(f.card)).toBe(sum(own.filter((s) => !isOnline(s)).map((s) => s.cardCents)) - cardRefunds - cents(f.voids));
          const onlineRow = f.byTerminal.find((row) => row.terminal === ONLINE_TID);
          expect(onlineRow ? cents(onlineRow.net) : 0).toBe(cents(f.online ?? 'x'));
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
          expect([cell('sales', 'gross'), cell('total', 'net'), cell('tender', 'cash'), cell('tender', 'card'), cell('tender', 'online'), cell('voids', 'total')]).toEqual([f.gross, f.net, f.cash, f.card, f.online, f.voids]);
          expect([cell('refunds', 'cash'), cell('refunds', 'card'), cell('refunds', 'online'), cell('refunds', 'total')]).toEqual([f.cashRefunds, f.cardRefunds, f.onlineRefunds, f.refunds]);
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

  it('books a link payment and its refund as the online tender, apart from the terminal\'s card, on the ONLINE01 row', () => {
    const lines = priceCart([{ name: 'A', unitPriceCents: 1000, quantity: 1, vatRateBp: 2000 }]).lines;
    const report = zReport({
      sales: [
        { id: 'link', currency: 'EUR', lines, cashCents: 0, cardCents: 1000, tid: ONLINE_TID, channel: 'online' },
        { id: 'cash', currency: 'EUR', lines, cashCents: 1000, cardCents: 0 },
        // Booked before channels were recorded: a terminal's card.
        { id: 'card', currency: 'EUR', lines, cashCents: 0, cardCents: 1000, tid: '90000015' },
      ],
      giveBacks: [
        { id: 'link-back', kind: 'card_refund', currency: 'EUR', cents: 250, tid: ONLINE_TID, saleLines: lines, channel: 'online' },
        { id: 'card-back', kind: 'card_refund', currency: 'EUR', cents: 100, tid: '90000015', saleLines: lines },
      ],
      shopCurrency: 'EUR',
      openingFloatCents: 0,
      countedCashCents: undefined,
      period: { from: undefined, to: '2026-12-02T18:00:00.000Z' },
    });
    const eur = report.byCurrency.EUR;
    expect(eur).toMatchObject({ gross: '30.00', refunds: '3.50', cashRefunds: '0.00', cardRefunds: '1.00', onlineRefunds: '2.50', refundCount: 2, net: '26.50', cash: '10.00', card: '9.00', online: '7.50' });
    expect(eur?.byTerminal).toEqual([
      { terminal: null, net: '10.00' },
      { terminal: '90000015', net: '9.00' },
      { terminal: ONLINE_TID, net: '7.50' },
    ]);
    if (eur) expectReconciled(eur);
    const csv = zReportCsv(report, { shop: 'Café', no: undefined }).split('\n');
    expect(csv).toContain('refunds,card,EUR,1.00');
    expect(csv).toContain('refunds,online,EUR,2.50');
    expect(csv).toContain('refunds,total,EUR,3.50');
    expect(csv).toContain('tender,card,EUR,9.00');
    expect(csv).toContain('tender,online,EUR,7.50');
    // The online row follows the card row, so the tenders read in a block.
    expect(csv.indexOf('tender,online,EUR,7.50')).toBe(csv.indexOf('tender,card,EUR,9.00') + 1);
  });

  it('prints the online rows as 0.00 when nothing was paid by link, and none for a Z closed before link payments were their own tender', () => {
    const empty = zReport({ sales: [], giveBacks: [], shopCurrency: 'EUR', openingFloatCents: 0, countedCashCents: undefined, period: { from: undefined, to: '2026-12-02T18:00:00.000Z' } });
    const rows = zReportCsv(empty, { shop: 'Café', no: 1 }).split('\n');
    expect(rows).toContain('tender,online,EUR,0.00');
    expect(rows).toContain('refunds,online,EUR,0.00');
    const { online: _online, onlineRefunds: _refunds, ...before } = empty.byCurrency.EUR ?? expect.unreachable();
    const legacy = zReportCsv({ ...empty, byCurrency: { EUR: before } }, { shop: 'Café', no: 1 });
    expect(legacy).not.toContain('online');
    expect(legacy).toContain('tender,card,EUR,0.00');
  });

  it('books a payment by the channel it went by: a link is online; a terminal, or no channel recorded, is card', () => {
    expect([tenderOfTransport('online'), tenderOfTransport('cloud'), tenderOfTransport('lan'), tenderOfTransport(undefined)]).toEqual(['online', 'card', 'card', 'card']);
  });

  it('keeps a spreadsheet from running a shop name as a formula', () => {
    const report = zReport({ sales: [], giveBacks: [], shopCurrency: 'EUR', openingFloatCents: 0, countedCashCents: undefined, period: { from: undefined, to: '2026-12-02T18:00:00.000Z' } });
    expect(zReportCsv(report, { shop: '=HYPERLINK("x")', no: undefined }).split('\n')[1]).toBe('report,shop,,"\'=HYPERLINK(""x"")"');
  });
});
