import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openNodeStore } from '../../edge/adapters/node/node-sqlite.js';
import { reportOf } from '../../edge/core/day-close.js';
import type { StoredSale } from '../../edge/core/ports.js';

// The ledger in SQLite, driven by generated sequences: refunds never exceed what was paid, and a
// day close takes each sale once, whatever the order of sales and closes.

function cashSale(id: string, cents: number): StoredSale {
  return {
    id,
    lines: [{ name: 'Item', unitPriceCents: cents, quantity: 1, vatRateBp: 2000 }],
    discount: undefined,
    note: undefined,
    totalCents: cents,
    currency: 'EUR',
    cashKeptCents: cents,
    cashTenderedCents: cents,
    cardCents: 0,
    paymentRuid: undefined,
    reference: undefined,
    createdAt: '2026-11-22T10:00:00.000Z',
    completedAt: '2026-11-22T10:00:00.000Z',
    receivedAt: '2026-11-22T10:00:01.000Z',
    tid: undefined,
  };
}

describe('the SQLite ledger (property-based)', () => {
  it('never refunds more cash than a sale took, whatever the refunds asked and repeated', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 50_000 }),
        fc.array(fc.record({ id: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'), cents: fc.integer({ min: 1, max: 30_000 }) }), { maxLength: 12 }),
        async (paid, attempts) => {
          const store = openNodeStore(':memory:');
          await store.ledger.putSale(cashSale('S', paid));
          for (const attempt of attempts) {
            const before = (await store.ledger.cashRefunds('S')).reduce((sum, r) => sum + r.cents, 0);
            const result = await store.ledger.addCashRefund({ id: attempt.id, saleId: 'S', cents: attempt.cents, at: '2026-11-22T11:00:00.000Z', actor: 'test' });
            if (result.kind === 'over') expect(result.refundableCents).toBe(paid - before);
            const after = (await store.ledger.cashRefunds('S')).reduce((sum, r) => sum + r.cents, 0);
            expect(after).toBeLessThanOrEqual(paid);
            expect(after - before).toBe(result.kind === 'created' ? attempt.cents : 0);
          }
          store.close();
        },
      ),
      { numRuns: 150 },
    );
  });

  it('puts every sale into exactly one day close, in any order of sales and closes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.integer({ min: 1, max: 9_999 }), fc.constant('close' as const)), { maxLength: 40 }), async (steps) => {
        const store = openNodeStore(':memory:');
        let total = 0;
        let count = 0;
        for (const [index, step] of steps.entries()) {
          if (step === 'close') await store.ledger.closeDay({ closedAt: '2026-11-22T12:00:00.000Z', closedBy: 'test', openingFloatCents: 0, countedCashCents: 0 });
          else {
            await store.ledger.putSale(cashSale(`S${index}`, step));
            total += step;
            count += 1;
          }
        }
        const closes = await store.ledger.listDayCloses();
        const open = reportOf(await store.ledger.period(), 0, undefined);
        expect(closes.reduce((sum, close) => sum + close.report.salesCount, 0) + open.salesCount).toBe(count);
        expect(closes.reduce((sum, close) => sum + close.report.grossCents, 0) + open.grossCents).toBe(total);
        for (const close of closes) expect(reportOf(await store.ledger.period(close.no), 0, 0)).toEqual(close.report);
        store.close();
      }),
      { numRuns: 100 },
    );
  });
});
