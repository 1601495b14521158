import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openNodeDatabase, openNodeStore } from '../../edge/adapters/node/node-sqlite.js';
import { openSqlStore, type SqlStore } from '../../edge/adapters/sql/sql-store.js';
import { rebuiltReport, reportOf } from '../../edge/core/day-close.js';
import { INITIAL_MACHINE } from '../../edge/core/payments/machine.js';
import { formatCents } from '../../shared/money.js';
import type { Payment, PaymentKind, TerminalTransport } from '../../shared/payments.js';
import type { ZCurrencyFigures, ZReport } from '../../shared/z-report.js';
import { ledgerSale } from '../helpers/ledger-fixtures.js';
import { cents, expectReportReconciled, sum } from '../helpers/z-identities.js';

// The ledger in SQLite, driven by generated streams of events: sales in two currencies paid in
// cash, by card, by link or split, card refunds (to a terminal's card or a link's), voids, cash
// refunds, offline sales synced late, and day closes in between. Every report reconciles, every
// event lands in exactly one Z, a closed Z never changes, and together the reports hold every
// event's money once — a link's as the online tender, a terminal's as card.

const AT = '2026-12-02T10:00:00.000Z';

async function approvedPayment(store: SqlStore, ruid: string, kind: PaymentKind, tid: string, amountCents: number, currency: string, originalRuid?: string, transport?: TerminalTransport): Promise<void> {
  const payment: Payment = {
    ...{ ruid, kind, tid, currency, amount: formatCents(amountCents), amountCents, reference: undefined, originalRuid, state: 'accepted', myposStatus: undefined, responseCode: undefined, reason: 'sending', receipt: undefined, createdAt: AT, updatedAt: AT },
    ...(transport ? { transport } : {}),
  };
  await store.insertPayment({ payment, machine: INITIAL_MACHINE });
  await store.savePayment({ payment: { ...payment, state: 'approved' }, machine: INITIAL_MACHINE }, true);
}

const step = fc.oneof(
  fc.record({ op: fc.constant('sale' as const), cents: fc.integer({ min: 1, max: 20_000 }), cardBp: fc.constantFrom(0, 0, 5_000, 10_000), currency: fc.constantFrom('EUR', 'EUR', 'BGN'), late: fc.boolean(), online: fc.constantFrom(false, false, true) }),
  fc.record({ op: fc.constant('card_refund' as const), of: fc.nat(), bp: fc.integer({ min: 1, max: 10_000 }) }),
  fc.record({ op: fc.constant('void' as const), of: fc.nat() }),
  fc.record({ op: fc.constant('cash_refund' as const), of: fc.nat(), bp: fc.integer({ min: 1, max: 10_000 }) }),
  fc.record({ op: fc.constant('sync' as const) }),
  fc.record({ op: fc.constant('close' as const) }),
);

describe('the SQLite ledger (property-based)', () => {
  it('never refunds more cash than a sale took, whatever the refunds asked and repeated', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 50_000 }),
        fc.array(fc.record({ id: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'), cents: fc.integer({ min: 1, max: 30_000 }) }), { maxLength: 12 }),
        async (paid, attempts) => {
          const store = openNodeStore(':memory:');
          await store.ledger.putSale(ledgerSale('S', paid));
          for (const attempt of attempts) {
            const before = sum((await store.ledger.cashRefunds('S')).map((r) => r.cents));
            const result = await store.ledger.addCashRefund({ id: attempt.id, saleId: 'S', cents: attempt.cents, currency: 'EUR', at: AT, actor: 'test' }, undefined);
            if (result.kind === 'over') expect(result.refundableCents).toBe(paid - before);
            const after = sum((await store.ledger.cashRefunds('S')).map((r) => r.cents));
            expect(after).toBeLessThanOrEqual(paid);
            expect(after - before).toBe(result.kind === 'created' ? attempt.cents : 0);
          }
          store.close();
        },
      ),
      { numRuns: 150 },
    );
  });

  it('puts every event into exactly one Z, keeps closed Zs unchanged, and every report reconciles', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const store = openNodeStore(':memory:');
        const { ledger } = store;
        interface Made { id: string; cents: number; card: number; cash: number; currency: string; ruid: string | undefined; tid: string; online: boolean; cardLeft: number; cashLeft: number; refunded: boolean }
        const made: Made[] = [];
        const unsynced: Made[] = [];
        // event key -> signed money, and the part of it paid or given back by link
        const events = new Map<string, { currency: string; cents: number; online: number }>();
        const closedReports = new Map<number, ZReport>();
        let closes = 0;
        const book = async (sale: Made) =>
          ledger.putSale({ ...ledgerSale(sale.id, sale.cents, { cardCents: sale.card, paymentRuid: sale.ruid, tid: sale.ruid ? sale.tid : undefined, transport: sale.ruid && sale.online ? 'online' : undefined, currency: sale.currency }) });

        for (const [index, s] of steps.entries()) {
          if (s.op === 'sale') {
            const card = s.currency === 'EUR' ? Math.floor((s.cents * s.cardBp) / 10_000) : s.cents;
            const tid = s.online ? 'ONLINE01' : index % 2 === 0 ? '90000015' : '90000016';
            const sale: Made = { id: `S${index}`, cents: s.cents, card, cash: s.cents - card, currency: s.currency, ruid: card > 0 ? `P${index}` : undefined, tid, online: s.online, cardLeft: card, cashLeft: s.cents - card, refunded: false };
            if (sale.ruid) await approvedPayment(store, sale.ruid, 'purchase', tid, card, s.currency, undefined, s.online ? 'online' : 'cloud');
            made.push(sale);
            events.set(`sale:${sale.id}`, { currency: s.currency, cents: s.cents, online: s.online ? card : 0 });
            if (s.late) unsynced.push(sale);
            else expect((await book(sale)).kind).toBe('created');
          } else if (s.op === 'sync') {
            for (const sale of unsynced.splice(0)) expect((await book(sale)).kind).toBe('created');
          } else if (s.op === 'close') {
            const close = await ledger.closeDay({ closedAt: `2026-12-02T1${closes}:00:00.000Z`, closedBy: 'test', openingFloatCents: 10_000, countedCashCents: 0, shopCurrency: 'EUR' });
            closes += 1;
            closedReports.set(close.no, close.report);
          } else {
            const sale = made.length > 0 ? made[s.of % made.length] : undefined;
            if (!sale) continue;
            if (s.op === 'card_refund' && sale.ruid && sale.cardLeft > 0) {
              const amount = Math.max(1, Math.floor((sale.cardLeft * s.bp) / 10_000));
              await approvedPayment(store, `R${index}`, 'refund', sale.tid, amount, sale.currency, sale.ruid, sale.online ? 'online' : undefined);
              sale.cardLeft -= amount;
              sale.refunded = true;
              events.set(`card_refund:R${index}`, { currency: sale.currency, cents: -amount, online: sale.online ? -amount : 0 });
            } else if (s.op === 'void' && sale.ruid && !sale.online && !sale.refunded && sale.cardLeft === sale.card) {
              const found = await store.getPayment(sale.ruid);
              if (found) await store.savePayment({ payment: { ...found.payment, state: 'voided' }, machine: found.machine }, true);
              sale.cardLeft = 0;
              events.set(`void:${sale.ruid}`, { currency: sale.currency, cents: -sale.card, online: 0 });
            } else if (s.op === 'cash_refund' && sale.cashLeft > 0 && !unsynced.includes(sale)) {
              const amount = Math.max(1, Math.floor((sale.cashLeft * s.bp) / 10_000));
              expect((await ledger.addCashRefund({ id: `K${index}`, saleId: sale.id, cents: amount, currency: sale.currency, at: AT, actor: 'test' }, undefined)).kind).toBe('created');
              sale.cashLeft -= amount;
              events.set(`cash_refund:K${index}`, { currency: sale.currency, cents: -amount, online: 0 });
            }
          }
        }
        for (const sale of unsynced.splice(0)) await book(sale);

        // Each event in exactly one period: a closed one or the open one.
        const seen = new Map<string, number>();
        const periods = [...Array.from({ length: closes }, (_, i) => i + 1), undefined];
        const totals = new Map<string, number>();
        const onlineTotals = new Map<string, number>();
        for (const no of periods) {
          const period = await ledger.period(no);
          for (const sale of period.sales) seen.set(`sale:${sale.id}`, (seen.get(`sale:${sale.id}`) ?? 0) + 1);
          for (const back of period.giveBacks) {
            const key = back.kind === 'void' ? `void:${back.id}` : `${back.kind}:${back.id}`;
            seen.set(key, (seen.get(key) ?? 0) + 1);
          }
          const report = no === undefined ? reportOf(period, { shopCurrency: 'EUR', openingFloatCents: 0, countedCashCents: undefined, to: AT }) : (await ledger.getDayClose(no))?.report;
          if (!report) throw new Error(`no close ${String(no)}`);
          expectReportReconciled(report);
          for (const [currency, f] of Object.entries(report.byCurrency)) {
            totals.set(currency, (totals.get(currency) ?? 0) + cents(f.net));
            onlineTotals.set(currency, (onlineTotals.get(currency) ?? 0) + cents(f.online ?? 'x'));
            // The link's pseudo-terminal keeps its own row, and it is the online tender.
            const row = f.byTerminal.find((r) => r.terminal === 'ONLINE01');
            expect(row ? cents(row.net) : 0).toBe(cents(f.online ?? 'x'));
          }
          if (no !== undefined) {
            // A closed Z never changes: as stored when it was closed, and as rebuilt from its events now.
            expect(report).toEqual(closedReports.get(no));
            expect(reportOf(period, { shopCurrency: 'EUR', openingFloatCents: 10_000, countedCashCents: 0, to: '' })).toEqual(report);
          }
        }
        expect(new Set(seen.keys())).toEqual(new Set(events.keys()));
        for (const [key, count] of seen) expect([key, count]).toEqual([key, 1]);
        // Together, the reports hold every event's money once, per currency.
        for (const currency of ['EUR', 'BGN']) {
          const expected = sum([...events.values()].filter((e) => e.currency === currency).map((e) => e.cents));
          expect([currency, totals.get(currency) ?? 0]).toEqual([currency, expected]);
          const byLink = sum([...events.values()].filter((e) => e.currency === currency).map((e) => e.online));
          expect([currency, onlineTotals.get(currency) ?? 0]).toEqual([currency, byLink]);
        }
        store.close();
      }),
      { numRuns: 120 },
    );
  });
});

describe('link payments in the books', () => {
  /** A link sale of 10.00 with 2.50 refunded, a terminal's card sale of 4.00 with 1.00 refunded, and a cash sale of 5.00. */
  async function day(store: SqlStore): Promise<void> {
    await approvedPayment(store, 'PL', 'purchase', 'ONLINE01', 1000, 'EUR', undefined, 'online');
    await approvedPayment(store, 'PC', 'purchase', '90000015', 400, 'EUR', undefined, 'cloud');
    await store.ledger.putSale(ledgerSale('link', 1000, { cardCents: 1000, paymentRuid: 'PL', tid: 'ONLINE01', transport: 'online' }));
    await store.ledger.putSale(ledgerSale('card', 400, { cardCents: 400, paymentRuid: 'PC', tid: '90000015', transport: 'cloud' }));
    await store.ledger.putSale(ledgerSale('cash', 500));
    await approvedPayment(store, 'RL', 'refund', 'ONLINE01', 250, 'EUR', 'PL', 'online');
    await approvedPayment(store, 'RC', 'refund', '90000015', 100, 'EUR', 'PC', 'cloud');
  }

  it('books a link sale and its refund as the online tender, on the ONLINE01 row; card is the terminal\'s only', async () => {
    const store = openNodeStore(':memory:');
    await day(store);
    const period = await store.ledger.period();
    expect(period.giveBacks.map((g) => [g.id, g.transport])).toEqual(expect.arrayContaining([['RL', 'online'], ['RC', 'cloud']]));
    const eur = reportOf(period, { shopCurrency: 'EUR', openingFloatCents: 0, countedCashCents: undefined, to: AT }).byCurrency.EUR;
    expect(eur).toMatchObject({ gross: '19.00', net: '15.50', cash: '5.00', card: '3.00', online: '7.50', cardRefunds: '1.00', onlineRefunds: '2.50', refunds: '3.50' });
    expect(eur?.byTerminal).toEqual([
      { terminal: null, net: '5.00' },
      { terminal: '90000015', net: '3.00' },
      { terminal: 'ONLINE01', net: '7.50' },
    ]);
    store.close();
  });

  it('keeps a Z closed before link payments were their own tender as it was: its card holds the link, and it still rebuilds the same', async () => {
    const db = openNodeDatabase(':memory:');
    const store = openSqlStore(db);
    await day(store);
    const close = await store.ledger.closeDay({ closedAt: AT, closedBy: 'test', openingFloatCents: 0, countedCashCents: 500, shopCurrency: 'EUR' });
    // What an older edge stored: no online figures, the link's money in card (its figures otherwise in the same order).
    const asBefore = (f: ZCurrencyFigures): ZCurrencyFigures => {
      const { online, onlineRefunds, ...rest } = f;
      return { ...rest, cardRefunds: formatCents(cents(rest.cardRefunds) + cents(onlineRefunds ?? 'x')), card: formatCents(cents(rest.card) + cents(online ?? 'x')) };
    };
    const legacy: ZReport = { ...close.report, byCurrency: Object.fromEntries(Object.entries(close.report.byCurrency).map(([currency, f]) => [currency, asBefore(f)])) };
    expect(legacy.byCurrency.EUR).toMatchObject({ card: '10.50', cardRefunds: '3.50' });
    expect(legacy.byCurrency.EUR).not.toHaveProperty('online');
    db.prepare('UPDATE day_closes SET record = ? WHERE no = ?').run(JSON.stringify({ ...close, report: legacy }), close.no);

    const stored = await store.ledger.getDayClose(close.no);
    expect(stored?.report).toEqual(legacy);
    // The day-closes route compares the two as JSON: the same figures in the same order.
    if (!stored) throw new Error('no close');
    expect(JSON.stringify(rebuiltReport(stored, await store.ledger.period(close.no), 'EUR'))).toBe(JSON.stringify(legacy));
    // A close made now has the online tender, and rebuilds to it.
    expect(JSON.stringify(rebuiltReport(close, await store.ledger.period(close.no), 'EUR'))).toBe(JSON.stringify(close.report));
    store.close();
  });
});

describe('receipt numbers after a restore (property-based)', () => {
  it('a sale sent again keeps its printed number unless a new sale took it first; new sales go on after the highest given or printed; numbers stay unique', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.nat(),
        // The order the lost sales come back in and where new sales fall between them.
        fc.array(fc.oneof(fc.constant('new' as const), fc.nat({ max: 11 })), { maxLength: 30 }),
        // Whether a till said first how far it printed (POST /api/sales/printed), as the tills do.
        fc.boolean(),
        async (made, keptSeed, moves, told) => {
          const kept = keptSeed % (made + 1);
          const store = openNodeStore(':memory:');
          try {
            // The restored books hold the first `kept` sales, numbered 1..kept as before.
            for (let i = 1; i <= kept; i++) await store.ledger.putSale(ledgerSale(`S${i}`, 100 * i));
            const lost = Array.from({ length: made - kept }, (_, i) => kept + i + 1);
            const given = new Map<number, string>(Array.from({ length: kept }, (_, i) => [i + 1, `S${i + 1}`]));
            let news = 0;
            if (told) {
              await store.ledger.notePrintedUpTo(made, 'device:till');
              // It only grows.
              await store.ledger.notePrintedUpTo(1, 'device:till');
            }
            const after = () => Math.max(0, told ? made : 0, ...given.keys()) + 1;
            const sendAgain = async (printed: number) => {
              const result = await store.ledger.putSale(ledgerSale(`S${printed}`, 100 * printed), printed);
              const takenBefore = given.get(printed);
              if (result.kind === 'created') {
                expect(result.sale.receiptNo).toBe(takenBefore === undefined ? printed : after());
                given.set(result.sale.receiptNo, `S${printed}`);
              } else {
                // Sent again twice: answered as booked, under the number it got the first time.
                expect(result.kind).toBe('same');
                expect(given.get(result.sale.receiptNo)).toBe(`S${printed}`);
              }
            };
            for (const move of moves) {
              if (move === 'new') {
                const result = await store.ledger.putSale(ledgerSale(`N${++news}`, 7));
                expect(result.sale.receiptNo).toBe(after());
                given.set(result.sale.receiptNo, `N${news}`);
              } else if (lost.length > 0) {
                await sendAgain(lost[move % lost.length] ?? 1);
              }
            }
            for (const printed of lost) await sendAgain(printed);
            const numbers = (await store.ledger.listSales()).map((sale) => sale.receiptNo);
            expect(new Set(numbers).size).toBe(numbers.length);
            expect(numbers.length).toBe(made + news);
            // Told first, no sale coming back lost its printed number.
            if (told) for (let i = 1; i <= made; i++) expect((await store.ledger.getSale(`S${i}`))?.receiptNo).toBe(i);
          } finally {
            store.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
