import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPayment, dueTasks, listSales, noteReceiptNumbers, pendingTasks, recordCardSale, recordCashSale, recordPaidCardSale, taskId, withdrawQueuedPayment } from '../../web/src/lib/db/outbox.js';
import { cacheCatalogue, cachedCatalogue } from '../../web/src/lib/db/catalogue.js';
import { openTillDb, type LocalSale, type TillDb } from '../../web/src/lib/db/schema.js';
import { OutboxRunner, type RunnerDeps } from '../../web/src/lib/sync/runner.js';
import { KeyedMutex } from '../../edge/core/keyed-mutex.js';
import type { Payment } from '../../shared/payments.js';
import { newRuid } from '../../shared/ruid.js';
import { startEdgeHarness, type EdgeHarness } from '../helpers/edge-harness.js';
import { cardSale } from '../helpers/sale-bodies.js';

// The outbox and its runner with the real idb library over fake-indexeddb, talking HTTP to the
// real edge and simulator.

let h: EdgeHarness;
/** The runner speaks as a paired till device (in the browser, its cookie does this). */
let deviceFetch: typeof fetch;
beforeAll(async () => {
  h = await startEdgeHarness();
  const { token } = await h.pairDevice();
  deviceFetch = (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${token}` } });
});
afterAll(async () => {
  await h.close();
});

let dbCount = 0;
const freshDb = () => openTillDb(`till-test-${++dbCount}`);

function sale(tender: 'card' | 'cash', cents = 1234, extra: Partial<LocalSale> = {}): LocalSale {
  const now = new Date().toISOString();
  return { id: newRuid(), tender, tid: tender === 'card' ? '90000015' : undefined, currency: 'EUR', amountCents: cents, reference: undefined, createdAt: now, completedAt: tender === 'cash' ? now : undefined, paymentState: undefined, sync: 'none', message: undefined, ...extra };
}

const locks = new KeyedMutex();
function runner(db: TillDb, overrides: Partial<RunnerDeps> = {}): OutboxRunner {
  return new OutboxRunner({
    db,
    baseUrl: h.url,
    fetch: (input, init) => deviceFetch(input, init),
    withLock: (work) => locks.run('outbox', work),
    now: () => Date.now(),
    random: () => 0.5,
    online: () => true,
    onSaleChanged: () => undefined,
    baseDelayMs: 20,
    maxDelayMs: 200,
    ...overrides,
  });
}

type LedgerSale = { id: string; totalCents: number; cardCents: number; cashKeptCents: number; cashTenderedCents: number; paymentRuid?: string; tid?: string; lines: Array<{ name: string; vatRateBp: number }> };
async function ledger(): Promise<LedgerSale[]> {
  return (await h.api<{ sales: LedgerSale[] }>('GET', '/api/sales')).body.sales;
}

describe('the outbox in IndexedDB', () => {
  it('upgrades a version 1 database, keeping its sales', async () => {
    const name = `till-upgrade-${++dbCount}`;
    const v1 = await openDB(name, 1, {
      upgrade(database) {
        database.createObjectStore('sales', { keyPath: 'ruid' }).createIndex('createdAt', 'createdAt');
      },
    });
    await v1.put('sales', { ruid: 'OLD-1', tid: '90000015', currency: 'EUR', amountCents: 500, reference: undefined, createdAt: '2026-01-01T00:00:00.000Z', state: 'approved' });
    v1.close();
    const db = await openTillDb(name);
    expect(db.version).toBe(3);
    expect([...db.objectStoreNames].sort()).toEqual(['outbox', 'products', 'sales']);
    expect(await db.get('sales', 'OLD-1')).toMatchObject({ id: 'OLD-1', tender: 'card', amountCents: 500, paymentState: 'approved', sync: 'none' });
    expect(await db.count('outbox')).toBe(0);
    db.close();
  });

  it('writes a sale and its task in one step; an approval queues the ledger task once', async () => {
    const db = await freshDb();
    const card = sale('card');
    await recordCardSale(db, card, 1000, 120_000);
    expect(await db.get('sales', card.id)).toMatchObject({ paymentState: 'queued' });
    expect(await db.get('outbox', taskId('create_payment', card.id))).toMatchObject({ kind: 'create_payment', deadlineAt: 121_000, attempts: 0 });
    const approved = { ruid: card.id, state: 'approved', reason: 'approved', updatedAt: '2026-01-01T00:00:01.000Z' } as Payment;
    await applyPayment(db, approved, 2000);
    await applyPayment(db, approved, 3000);
    expect((await pendingTasks(db)).filter((task) => task.kind === 'put_sale')).toHaveLength(1);
    expect(await db.get('sales', card.id)).toMatchObject({ paymentState: 'approved', sync: 'pending', completedAt: '2026-01-01T00:00:01.000Z' });
    db.close();
  });

  it('withdraws a queued card request, but not one on the wire', async () => {
    const db = await freshDb();
    const first = sale('card');
    await recordCardSale(db, first, 0, 1000);
    expect(await withdrawQueuedPayment(db, first.id)).toBe('withdrawn');
    expect(await db.get('sales', first.id)).toMatchObject({ paymentState: 'withdrawn' });
    expect(await withdrawQueuedPayment(db, first.id)).toBe('gone');
    const second = sale('card');
    await recordCardSale(db, second, 0, 1000);
    const task = await db.get('outbox', taskId('create_payment', second.id));
    if (!task) throw new Error('no task');
    await db.put('outbox', { ...task, sendingSince: 5 });
    expect(await withdrawQueuedPayment(db, second.id)).toBe('sending');
    db.close();
  });
});

describe('the runner against the edge', () => {
  it('sends 50 cash sales once each, and sending again changes nothing', async () => {
    const db = await freshDb();
    const sales = Array.from({ length: 50 }, (_, i) => sale('cash', 100 + i));
    for (const item of sales) await recordCashSale(db, item, Date.now());
    const progress: number[] = [];
    await runner(db, { onProgress: ({ done }) => progress.push(done) }).kick();
    expect(await db.count('outbox')).toBe(0);
    expect((await listSales(db)).every((item) => item.sync === 'synced')).toBe(true);
    const ids = new Set(sales.map((item) => item.id));
    expect((await ledger()).filter((entry) => ids.has(entry.id))).toHaveLength(50);
    expect(progress.at(-1)).toBe(50);
    // The same sales again (as after a crash before the local update): the edge answers 200, no duplicate.
    for (const item of sales.slice(0, 5)) await recordCashSale(db, item, Date.now());
    await runner(db).kick();
    expect((await ledger()).filter((entry) => ids.has(entry.id))).toHaveLength(50);
    db.close();
  });

  it('backs off with jitter while the edge is unreachable, then delivers', async () => {
    const db = await freshDb();
    const item = sale('cash');
    await recordCashSale(db, item, Date.now());
    let reachable = false;
    const run = runner(db, {
      fetch: (input, init) => (reachable ? deviceFetch(input, init) : Promise.reject(new TypeError('Failed to fetch'))),
      random: () => 0,
      baseDelayMs: 1_000,
      maxDelayMs: 30_000,
    });
    const before = Date.now();
    await run.kick();
    const task = await db.get('outbox', taskId('put_sale', item.id));
    expect(task).toMatchObject({ attempts: 1, lastError: 'network', sendingSince: undefined });
    // Attempt 1: 1000 ms x (0.5 + 0 x 0.5) = 500 ms.
    expect((task?.nextAttemptAt ?? 0) - before).toBeGreaterThanOrEqual(500);
    expect((task?.nextAttemptAt ?? 0) - before).toBeLessThan(700);
    reachable = true;
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(await db.get('sales', item.id)).toMatchObject({ sync: 'synced' });
    run.stop();
    db.close();
  });

  it('never sends a card request after its deadline: the sale expires', async () => {
    const db = await freshDb();
    const item = sale('card');
    await recordCardSale(db, item, Date.now() - 10_000, 5_000);
    await runner(db).kick();
    expect(await db.get('sales', item.id)).toMatchObject({ paymentState: 'expired' });
    expect(await db.count('outbox')).toBe(0);
    expect((await h.api('GET', `/api/payments/${item.id}`)).status).toBe(404);
    db.close();
  });

  it('sends a card payment, and once approved, books the card sale in the ledger', async () => {
    const db = await freshDb();
    const item = sale('card', 4200);
    await recordCardSale(db, item, Date.now(), 120_000);
    const run = runner(db);
    await run.kick();
    expect((await db.get('sales', item.id))?.paymentState).toBe('accepted');
    const payment = await h.waitFor(item.id, ['approved']);
    await applyPayment(db, payment, Date.now());
    await run.kick();
    expect(await db.get('sales', item.id)).toMatchObject({ paymentState: 'approved', sync: 'synced' });
    // A sale stored before the cart: booked as one amount line at the free-amount VAT rate.
    expect((await ledger()).find((entry) => entry.id === item.id)).toMatchObject({ totalCents: 4200, cardCents: 4200, paymentRuid: item.id, tid: '90000015', lines: [{ name: 'Amount', vatRateBp: 2000 }] });
    run.stop();
    db.close();
  });

  it('pays the card part of a split sale, then books its lines, cash and change', async () => {
    const db = await freshDb();
    const lines = [
      { name: 'Espresso', unitPriceCents: 240, quantity: 2, vatRateBp: 2000 },
      { name: 'Book', unitPriceCents: 1500, quantity: 1, vatRateBp: 900, discount: { kind: 'percent' as const, bp: 1000 } },
    ];
    // 4.80 + 13.50 = 18.30: 10.00 in cash (a 20.00 note handed over is not all kept), 8.30 by card.
    const item = sale('card', 1830, { lines, cashKeptCents: 1000, cashTenderedCents: 1000, cardCents: 830 });
    await recordCardSale(db, item, Date.now(), 120_000);
    const run = runner(db);
    await run.kick();
    const payment = await h.waitFor(item.id, ['approved']);
    expect(payment.amountCents).toBe(830);
    await applyPayment(db, payment, Date.now());
    await run.kick();
    expect(await db.get('sales', item.id)).toMatchObject({ sync: 'synced' });
    expect((await ledger()).find((entry) => entry.id === item.id)).toMatchObject({ totalCents: 1830, cardCents: 830, cashKeptCents: 1000, lines: [{ name: 'Espresso' }, { name: 'Book', vatRateBp: 900 }] });
    run.stop();
    db.close();
  });

  it('two tabs draining one outbox at once: every sale arrives once', async () => {
    const db = await freshDb();
    const sales = Array.from({ length: 30 }, (_, i) => sale('cash', 700 + i));
    for (const item of sales) await recordCashSale(db, item, Date.now());
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests += 1;
      return deviceFetch(input, init);
    };
    await Promise.all([runner(db, { fetch: counting }).kick(), runner(db, { fetch: counting }).kick()]);
    const ids = new Set(sales.map((item) => item.id));
    expect((await ledger()).filter((entry) => ids.has(entry.id))).toHaveLength(30);
    // The lock makes the second tab find an empty outbox: no request was sent twice.
    expect(requests).toBe(30);
    db.close();
  });

  it('resends a request cut by a reload (left marked "sending"): the edge keeps one', async () => {
    const db = await freshDb();
    const item = sale('cash', 999);
    await recordCashSale(db, item, Date.now());
    await h.api('PUT', `/api/sales/${item.id}`, { tender: 'cash', amount: '9.99', currency: 'EUR', createdAt: item.createdAt, completedAt: item.completedAt });
    const task = await db.get('outbox', taskId('put_sale', item.id));
    if (!task) throw new Error('no task');
    await db.put('outbox', { ...task, sendingSince: Date.now() - 1000 });
    await runner(db).kick();
    expect(await db.get('sales', item.id)).toMatchObject({ sync: 'synced' });
    expect((await ledger()).filter((entry) => entry.id === item.id)).toHaveLength(1);
    expect(await dueTasks(db, Date.now())).toEqual([]);
    db.close();
  });
});

describe('the catalogue cache', () => {
  it('keeps the edge catalogue for offline use, active products only, in the admin\'s order (sortOrder, then name)', async () => {
    const db = await freshDb();
    const product = (id: string, name: string, sortOrder: number, active = true) => ({ id, name, priceCents: 100, vatRateBp: 2000, category: 'Drinks', barcode: undefined, active, sortOrder, updatedAt: '' });
    await cacheCatalogue(db, [product('1', 'Tea', 20), product('2', 'Bread', 30), product('3', 'Coffee', 10), product('4', 'Old', 5, false), product('6', 'Apple', 20)]);
    expect((await cachedCatalogue(db)).map((p) => p.name)).toEqual(['Coffee', 'Apple', 'Tea', 'Bread']);
    await cacheCatalogue(db, [product('5', 'Water', 0)]);
    expect((await cachedCatalogue(db)).map((p) => p.name)).toEqual(['Water']);
    db.close();
  });

  it('upgrades a version 2 database without losing its sales or outbox', async () => {
    const name = `till-v2-${++dbCount}`;
    const v2 = await openDB(name, 2, {
      upgrade(database) {
        database.createObjectStore('sales', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
        database.createObjectStore('outbox', { keyPath: 'id' }).createIndex('nextAttemptAt', 'nextAttemptAt');
      },
    });
    await v2.put('sales', sale('cash', 250, { id: 'KEEP' }));
    v2.close();
    const db = await openTillDb(name);
    expect((await db.get('sales', 'KEEP'))?.amountCents).toBe(250);
    expect(await db.count('products')).toBe(0);
    db.close();
  });
});

describe('expiry without a network', () => {
  it('expires an overdue card request even while offline', async () => {
    const db = await freshDb();
    const item = sale('card');
    await recordCardSale(db, item, Date.now() - 10_000, 5_000);
    const changed: string[] = [];
    await runner(db, { online: () => false, onSaleChanged: (s) => changed.push(`${s.id}:${s.paymentState}`) }).kick();
    expect(changed).toEqual([`${item.id}:expired`]);
    expect(await db.count('outbox')).toBe(0);
    db.close();
  });
});

describe('a device that is not (or no longer) paired', () => {
  it('keeps its sales queued on 401 and sends them once paired again', async () => {
    const db = await freshDb();
    const item = sale('cash', 4321);
    await recordCashSale(db, item, Date.now());
    let token = 'not-a-device-token';
    const run = runner(db, { fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${token}` } }) });
    await run.kick();
    expect(await db.get('outbox', taskId('put_sale', item.id))).toMatchObject({ attempts: 1, lastError: 'HTTP 401' });
    expect(await db.get('sales', item.id)).toMatchObject({ sync: 'pending' });
    token = (await h.pairDevice()).token;
    await new Promise((resolve) => setTimeout(resolve, 60));
    await run.kick();
    expect(await db.get('sales', item.id)).toMatchObject({ sync: 'synced' });
    run.stop();
    db.close();
  });
});

describe('a terminal busy with another payment', () => {
  const BUSY_TID = '90000016';

  it('is never queued or resent: the sale is marked busy at once, and the edge never gets it', async () => {
    await h.sim(`/terminals/${BUSY_TID}/mode`, { mode: 'manual' });
    try {
      // Payment A waits on the terminal for the cardholder.
      const first = newRuid();
      expect((await h.api('POST', '/api/payments', { ruid: first, tid: BUSY_TID, amount: '23.45' })).status).toBe(202);
      const inFlight = await h.waitFor(first, ['sent']);
      // Sale B on the same terminal, through the outbox.
      const db = await freshDb();
      const item = sale('card', 1500, { tid: BUSY_TID });
      await recordCardSale(db, item, Date.now(), 120_000);
      const changed: string[] = [];
      const run = runner(db, { onSaleChanged: (s) => changed.push(`${s.id}:${s.paymentState}`) });
      await run.kick();
      expect(await db.get('outbox', taskId('create_payment', item.id))).toBeUndefined();
      expect(await db.count('outbox')).toBe(0);
      expect(changed).toEqual([`${item.id}:busy`]);
      expect(await db.get('sales', item.id)).toMatchObject({
        paymentState: 'busy',
        busyWith: { ruid: first, amountCents: 2345, currency: 'EUR', createdAt: inFlight.createdAt },
      });
      // A ends; then more kicks, a "reload" (a new runner on the same database) and a second tab.
      await h.sim(`/terminals/${BUSY_TID}/press-o`, {});
      await h.sim(`/terminals/${BUSY_TID}/card`, { outcome: 'approve' });
      await h.waitFor(first, ['approved']);
      await run.kick();
      await run.kick();
      await Promise.all([runner(db).kick(), runner(db).kick()]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await h.api('GET', `/api/payments/${item.id}`)).status).toBe(404);
      expect((await h.sim<Array<{ ruid: string }>>('/ledger')).some((entry) => entry.ruid === item.id)).toBe(false);
      expect(await db.get('sales', item.id)).toMatchObject({ paymentState: 'busy' });
      run.stop();
      db.close();
    } finally {
      await h.sim(`/terminals/${BUSY_TID}/mode`, { mode: 'auto' });
    }
  });

  it('only "no connection" waits: a network failure and a 503 keep the card request queued, then it is sent', async () => {
    const db = await freshDb();
    const item = sale('card', 1600);
    await recordCardSale(db, item, Date.now(), 120_000);
    const answers: Array<'network' | 503 | 'edge'> = ['network', 503];
    const run = runner(db, {
      fetch: (input, init) => {
        const next = answers.shift() ?? 'edge';
        if (next === 'network') return Promise.reject(new TypeError('Failed to fetch'));
        if (next === 503) return Promise.resolve(new Response('{}', { status: 503 }));
        return deviceFetch(input, init);
      },
      baseDelayMs: 20,
      maxDelayMs: 40,
    });
    await run.kick();
    expect(await db.get('outbox', taskId('create_payment', item.id))).toMatchObject({ attempts: 1, lastError: 'network' });
    expect(await db.get('sales', item.id)).toMatchObject({ paymentState: 'queued' });
    await new Promise((resolve) => setTimeout(resolve, 60));
    await run.kick();
    expect(await db.get('outbox', taskId('create_payment', item.id))).toMatchObject({ attempts: 2, lastError: 'HTTP 503' });
    expect(await db.get('sales', item.id)).toMatchObject({ paymentState: 'queued' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await run.kick();
    expect(await db.get('outbox', taskId('create_payment', item.id))).toBeUndefined();
    expect((await h.waitFor(item.id, ['approved'])).amountCents).toBe(1600);
    run.stop();
    db.close();
  });
});

describe('numbers: the local one at once, the edge receipt number once booked', () => {
  it('numbers the sales of the device 1, 2, 3…, and a sale stored again keeps its number', async () => {
    const db = await freshDb();
    const [first, second, third] = [sale('cash', 100), sale('cash', 200), sale('card', 300)];
    await recordCashSale(db, first, Date.now());
    await recordCashSale(db, second, Date.now());
    await recordCardSale(db, third, Date.now(), 120_000);
    await recordCashSale(db, second, Date.now());
    expect((await db.get('sales', first.id))?.localNo).toBe(1);
    expect((await db.get('sales', second.id))?.localNo).toBe(2);
    expect((await db.get('sales', third.id))?.localNo).toBe(3);
    // Two tabs storing at once: every sale gets its own number, no gap.
    const many = Array.from({ length: 10 }, (_, i) => sale('cash', 400 + i));
    await Promise.all(many.map((item) => recordCashSale(db, item, Date.now())));
    const numbers = (await listSales(db)).map((item) => item.localNo).sort((a, b) => (a ?? 0) - (b ?? 0));
    expect(numbers).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    db.close();
  });

  it("keeps the edge's receipt number from the PUT's answer", async () => {
    const db = await freshDb();
    const [first, second] = [sale('cash', 510), sale('cash', 520)];
    await recordCashSale(db, first, Date.now());
    await recordCashSale(db, second, Date.now());
    await runner(db).kick();
    const stored = await Promise.all([first, second].map((item) => db.get('sales', item.id)));
    for (const item of stored) {
      const { body } = await h.api<{ sale: { receiptNo: number } }>('GET', `/api/sales/${item?.id}`);
      expect(item).toMatchObject({ sync: 'synced', receiptNo: body.sale.receiptNo });
    }
    expect((stored[1]?.receiptNo ?? 0) - (stored[0]?.receiptNo ?? 0)).toBe(1);
    db.close();
  });

  it('keeps receipt numbers learnt later only on the sales that lack one', async () => {
    const db = await freshDb();
    const [old, known] = [sale('cash', 530, { sync: 'synced' }), sale('cash', 540, { sync: 'synced', receiptNo: 9 })];
    await db.put('sales', old);
    await db.put('sales', known);
    const changed = await noteReceiptNumbers(db, new Map([[old.id, 41], [known.id, 42], ['NOT-HERE', 43]]));
    expect(changed.map((item) => item.id)).toEqual([old.id]);
    expect((await db.get('sales', old.id))?.receiptNo).toBe(41);
    expect((await db.get('sales', known.id))?.receiptNo).toBe(9);
    db.close();
  });
});

describe('a card payment the edge already booked in another sale', () => {
  it('is not resent: the local sale is kept, marked with the receipt number that holds the payment', async () => {
    // The payment is approved, and booked by someone else under another sale id.
    const ruid = newRuid();
    expect((await h.api('POST', '/api/payments', { ruid, tid: '90000015', amount: '6.50' })).status).toBe(202);
    await h.waitFor(ruid, ['approved']);
    const otherId = newRuid();
    const other = await h.api<{ sale: { receiptNo: number } }>('PUT', `/api/sales/${otherId}`, cardSale('6.50', ruid));
    expect(other.status).toBe(201);
    // This device's sale of that payment (its id is the payment's RUID, as the till makes it).
    const db = await freshDb();
    const item = sale('card', 650, { id: ruid, paymentState: 'approved', completedAt: new Date().toISOString() });
    expect(await recordPaidCardSale(db, item, Date.now())).toBe(true);
    let puts = 0;
    const counting: typeof fetch = (input, init) => {
      if (init?.method === 'PUT') puts += 1;
      return deviceFetch(input, init);
    };
    const changed: string[] = [];
    const run = runner(db, { fetch: counting, onSaleChanged: (s) => changed.push(`${s.id}:${s.sync}`) });
    await run.kick();
    expect(await db.get('sales', ruid)).toMatchObject({ sync: 'booked_elsewhere', bookedAs: { saleId: otherId, receiptNo: other.body.sale.receiptNo }, amountCents: 650, localNo: 1 });
    expect(changed).toEqual([`${ruid}:booked_elsewhere`]);
    expect(await db.count('outbox')).toBe(0);
    // More kicks, a reload (a new runner) and a second tab: never sent again.
    await run.kick();
    await Promise.all([runner(db, { fetch: counting }).kick(), runner(db, { fetch: counting }).kick()]);
    expect(puts).toBe(1);
    expect((await h.api('GET', `/api/sales/${ruid}`)).status).toBe(404);
    run.stop();
    db.close();
  });

  it('a sale the edge refuses (400) is kept too, marked refused, and not resent', async () => {
    const db = await freshDb();
    // A card part without an approved payment of it: the edge answers 400 approved_payment.
    const item = sale('card', 700, { paymentState: 'approved', completedAt: new Date().toISOString() });
    await recordPaidCardSale(db, item, Date.now());
    const run = runner(db);
    await run.kick();
    await run.kick();
    expect(await db.get('sales', item.id)).toMatchObject({ sync: 'failed', amountCents: 700 });
    // Kept as the edge's code and data, worded by the till when shown (the message is for developers).
    expect((await db.get('sales', item.id))?.problem).toEqual({ code: 'invalid', field: 'card.ruid', rule: 'approved_payment' });
    expect(await db.count('outbox')).toBe(0);
    run.stop();
    db.close();
  });
});
