import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { KeyedMutex } from '../../edge/core/keyed-mutex.js';
import { formatCents } from '../../shared/money.js';
import { newRuid } from '../../shared/ruid.js';
import { recordCashSale, recordPaidCardSale, taskId } from '../../web/src/lib/db/outbox.js';
import { openTillDb, type LocalSale, type TillDb } from '../../web/src/lib/db/schema.js';
import { refillLedger } from '../../web/src/lib/sync/refill.js';
import { OutboxRunner } from '../../web/src/lib/sync/runner.js';
import { restorableEdge, RESTORABLE_TID } from '../helpers/restorable-edge.js';

// Tills refill a restored ledger: two tills sell, a backup is taken (npm run backup), more sales are
// booked, the edge's books are restored from the backup (npm run restore) and the edge started
// again on them; each till sees the new ledger generation, sends again the sales the edge lacks —
// a card sale once myPOS confirms its payment to the edge — and the ledger then holds every sale
// made, each once. IndexedDB through idb over fake-indexeddb; the edge, the backup, the restore and
// myPOS (the simulator, apart from the edge: it keeps its payments across the edge's restart) are
// the real ones.

const books = restorableEdge('refill-');
const TID = RESTORABLE_TID;

interface Till {
  readonly db: TillDb;
  readonly token: string;
  readonly generation: Map<string, string>;
}

let dbCount = 0;
async function newTill(): Promise<Till> {
  const { token } = await books.edge.pairDevice();
  return { db: await openTillDb(`till-refill-${++dbCount}`), token, generation: new Map() };
}

const tillFetch = (till: Till): typeof fetch => (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${till.token}` } });

const locks = new KeyedMutex();
async function drain(till: Till): Promise<void> {
  const runner = new OutboxRunner({ db: till.db, baseUrl: books.edge.url, fetch: tillFetch(till), withLock: (work) => locks.run(`outbox-${till.token}`, work), now: () => Date.now(), random: () => 0.5, online: () => true, onSaleChanged: () => undefined, baseDelayMs: 20, maxDelayMs: 200 });
  await runner.kick();
  runner.stop();
}

async function sell(till: Till, cents: number): Promise<string> {
  const now = new Date().toISOString();
  const sale: LocalSale = { id: newRuid(), tender: 'cash', tid: undefined, currency: 'EUR', amountCents: cents, cashKeptCents: cents, cashTenderedCents: cents, cardCents: 0, reference: undefined, createdAt: now, completedAt: now, paymentState: undefined, sync: 'none', message: undefined };
  await recordCashSale(till.db, sale, Date.now());
  return sale.id;
}

/** A card sale: the payment approved by myPOS through the edge, then the sale recorded on the till. */
async function sellByCard(till: Till, cents: number): Promise<string> {
  const ruid = newRuid();
  const amount = (cents / 100).toFixed(2);
  expect((await books.edge.api('POST', '/api/payments', { ruid, tid: TID, amount }, { authorization: `Bearer ${till.token}` })).status).toBe(202);
  await books.edge.waitFor(ruid, ['approved']);
  const now = new Date().toISOString();
  const sale: LocalSale = { id: ruid, tender: 'card', tid: TID, currency: 'EUR', amountCents: cents, cardCents: cents, reference: undefined, createdAt: now, completedAt: now, paymentState: 'approved', sync: 'none', message: undefined };
  await recordPaidCardSale(till.db, sale, Date.now());
  return ruid;
}

const refill = (till: Till) =>
  refillLedger({ db: till.db, baseUrl: books.edge.url, fetch: tillFetch(till), now: () => Date.now(), generation: { get: () => till.generation.get('g'), set: (value) => till.generation.set('g', value) }, taskId, formatCents });

async function ledgerIds(): Promise<string[]> {
  return (await books.edge.api<{ sales: Array<{ id: string }> }>('GET', '/api/sales')).body.sales.map((sale) => sale.id);
}

async function receiptNumbers(): Promise<Record<string, number>> {
  return Object.fromEntries((await books.edge.api<{ sales: Array<{ id: string; receiptNo: number }> }>('GET', '/api/sales')).body.sales.map((sale) => [sale.id, sale.receiptNo]));
}

describe('tills refill a restored ledger', () => {
  it('two tills sell; after a restore from an older backup each sends what the edge lacks, and the ledger holds every sale once', async () => {
    const tills = [await newTill(), await newTill()];
    const before = [await sell(tills[0]!, 300), await sell(tills[1]!, 450)];
    for (const till of tills) await drain(till);
    for (const till of tills) expect(await refill(till)).toMatchObject({ kind: 'compared', requeued: [] });
    for (const till of tills) expect(await refill(till)).toEqual({ kind: 'same' });

    const file = books.backup();

    const after = [await sell(tills[0]!, 120), await sell(tills[0]!, 80), await sell(tills[1]!, 990)];
    // A card sale made after the backup: its payment is lost with the books, myPOS still has it.
    const paidByCard = await sellByCard(tills[1]!, 700);
    for (const till of tills) await drain(till);
    expect((await ledgerIds()).sort()).toEqual([...before, ...after, paidByCard].sort());
    const printed = await receiptNumbers();
    expect([...before, ...after, paidByCard].map((id) => printed[id])).toEqual([1, 2, 3, 4, 5, 6]);
    // A card sale this till holds as booked whose payment myPOS never made: it is never sent again.
    const never: LocalSale = { id: newRuid(), tender: 'card', tid: TID, currency: 'EUR', amountCents: 500, cardCents: 500, reference: undefined, createdAt: new Date().toISOString(), completedAt: new Date().toISOString(), paymentState: 'approved', sync: 'synced', message: undefined };
    await tills[1]!.db.put('sales', never);

    await books.restoreFrom(file);
    expect((await ledgerIds()).sort()).toEqual([...before].sort());
    expect((await books.edge.api('GET', `/api/payments/${paidByCard}`)).status).toBe(404);

    // A till that sells before it compared: its new sale waits (409 ledger_restored), since it could
    // take a number this till printed; it goes once the till has said what it printed.
    const waited = await sell(tills[1]!, 60);
    await drain(tills[1]!);
    expect(await tills[1]!.db.get('sales', waited)).toMatchObject({ sync: 'pending' });
    expect((await tills[1]!.db.getAll('outbox')).find((task) => task.saleId === waited)?.lastError).toBe('HTTP 503');
    expect(await ledgerIds()).not.toContain(waited);
    // A sale made meanwhile by a new till (it printed nothing, and says so first): the restored
    // books give it the next number, 3 — the number printed for after[0], which will take another.
    const newcomer = await newTill();
    expect(await refill(newcomer)).toMatchObject({ kind: 'compared', requeued: [], unconfirmed: [] });
    const meanwhile = await sell(newcomer, 50);
    await drain(newcomer);
    expect((await receiptNumbers())[meanwhile]).toBe(3);

    const first = await refill(tills[0]!);
    expect(first.kind).toBe('compared');
    expect(first.kind === 'compared' && first.requeued.map((sale) => sale.id).sort()).toEqual([after[0], after[1]].sort());
    const second = await refill(tills[1]!);
    expect(second).toMatchObject({ kind: 'compared', unconfirmed: [never.id] });
    expect(second.kind === 'compared' && second.requeued.map((sale) => sale.id).sort()).toEqual([after[2], paidByCard].sort());
    expect((await books.edge.payment(paidByCard))).toMatchObject({ state: 'approved', amount: '7.00' });
    // Left on the till, marked as not in the books (History says so); the ones sent again are not.
    expect(await tills[1]!.db.get('sales', never.id)).toMatchObject({ sync: 'synced', notInBooks: true });
    expect((await tills[1]!.db.get('sales', paidByCard))?.notInBooks).toBeUndefined();

    await drain(tills[0]!);
    await expect.poll(async () => {
      await drain(tills[1]!);
      return (await tills[1]!.db.getAll('outbox')).length;
    }).toBe(0);
    const ids = await ledgerIds();
    expect(ids.sort()).toEqual([...before, ...after, paidByCard, meanwhile, waited].sort());
    expect(new Set(ids).size).toBe(ids.length);
    // Each sale sent again keeps its printed number, but the one the sale made meanwhile took: it
    // goes after the highest number the tills printed (6), not onto another printed one; so does
    // the sale that waited.
    const numbers = await receiptNumbers();
    expect({ ...numbers, [waited]: undefined }).toEqual({ ...printed, [meanwhile]: 3, [after[0] ?? '']: 7, [waited]: undefined });
    expect(numbers[waited]).toBe(8);
    // The till keeps both: the number in the books, and the one on the paper receipt.
    expect(await tills[0]!.db.get('sales', after[0] ?? '')).toMatchObject({ receiptNo: 7, printedNo: 3 });
    expect((await tills[0]!.db.get('sales', after[1] ?? ''))?.printedNo).toBeUndefined();
    // The X report of the restored books counts them all: 3.00 + 4.50 + 1.20 + 0.80 + 9.90 + 0.50 + 0.60 in cash, 7.00 by card.
    const report = await books.edge.api<{ report: { byCurrency: Record<string, { count: number; gross: string; cash: string; card: string }> } }>('GET', '/api/day-closes/current');
    expect(report.body.report.byCurrency.EUR).toMatchObject({ count: 8, gross: '27.50', cash: '20.50', card: '7.00' });
    // Compared once: nothing more to send until the books change again.
    for (const till of [...tills, newcomer]) expect(await refill(till)).toEqual({ kind: 'same' });
  }, 60_000);

  it('asks myPOS again about a lost card payment it could not answer for, and sends the sale once it confirms', async () => {
    // A new till on books restored before: it says what it printed (nothing) before it sells.
    const till = await newTill();
    expect(await refill(till)).toMatchObject({ kind: 'compared', requeued: [] });
    const file = books.backup();
    const lostCard = await sellByCard(till, 1230);
    await drain(till);
    await books.restoreFrom(file);

    // myPOS does not answer the edge's MPRGetTxnStatus: not in the books for now, compared again.
    const before = till.generation.get('g');
    const faults = `${books.sim.url}/sim/faults`;
    await fetch(faults, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'http_500', method: 'MPRGetTxnStatus', count: 100 }) });
    try {
      expect(await refill(till)).toMatchObject({ kind: 'compared', requeued: [], unconfirmed: [] });
      expect(await till.db.get('sales', lostCard)).toMatchObject({ sync: 'synced', notInBooks: true });
      expect(till.generation.get('g')).toBe(before);
    } finally {
      await fetch(faults, { method: 'DELETE' });
    }
    const again = await refill(till);
    expect(again.kind === 'compared' && again.requeued.map((sale) => sale.id)).toEqual([lostCard]);
    expect((await till.db.get('sales', lostCard))?.notInBooks).toBeUndefined();
    expect(till.generation.get('g')).not.toBe(before);
    await drain(till);
    expect(await ledgerIds()).toContain(lostCard);
    expect(await refill(till)).toEqual({ kind: 'same' });
  }, 60_000);
});
