import 'fake-indexeddb/auto';
import { recordCashSale } from '../../web/src/lib/db/outbox.js';
import { openTillDb, type LocalSale } from '../../web/src/lib/db/schema.js';
import { OutboxRunner } from '../../web/src/lib/sync/runner.js';
import { KeyedMutex } from '../../edge/core/keyed-mutex.js';
import { newRuid } from '../../shared/ruid.js';
import { startEdgeHarness } from '../helpers/edge-harness.js';
import { percentile } from './edge-bench.js';

// The till's outbox with its own code (idb) over fake-indexeddb in Node — not a browser's disk, so
// the figures compare versions of our code, not devices: the p95 of storing a sale with its outbox
// task, and the time to sync 1000 stored sales to a real edge.

export interface OutboxBenchResult {
  readonly writes: number;
  readonly writeP50Ms: number;
  readonly writeP95Ms: number;
  readonly syncSales: number;
  readonly syncSeconds: number;
}

export async function outboxBench(count = 1000): Promise<OutboxBenchResult> {
  const h = await startEdgeHarness({ EDGE_DEVICE_RATE_LIMIT: '1000000' });
  try {
    const { token } = await h.pairDevice();
    const db = await openTillDb(`bench-${Date.now()}`);
    const timings: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const now = new Date().toISOString();
      const sale: LocalSale = { id: newRuid(), tender: 'cash', tid: undefined, currency: 'EUR', amountCents: 100 + i, lines: [{ name: 'Item', unitPriceCents: 100 + i, quantity: 1, vatRateBp: 2000 }], cashKeptCents: 100 + i, cashTenderedCents: 100 + i, cardCents: 0, reference: undefined, createdAt: now, completedAt: now, paymentState: undefined, sync: 'none', message: undefined };
      const started = performance.now();
      await recordCashSale(db, sale, Date.now());
      timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    const locks = new KeyedMutex();
    const runner = new OutboxRunner({
      db,
      baseUrl: h.url,
      fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${token}` } }),
      withLock: (work) => locks.run('outbox', work),
      now: () => Date.now(),
      random: () => 0.5,
      online: () => true,
      onSaleChanged: () => undefined,
    });
    const started = performance.now();
    await runner.kick();
    const syncSeconds = (performance.now() - started) / 1000;
    runner.stop();
    const synced = (await db.getAll('sales')).filter((sale) => sale.sync === 'synced').length;
    db.close();
    return { writes: count, writeP50Ms: percentile(timings, 50), writeP95Ms: percentile(timings, 95), syncSales: synced, syncSeconds };
  } finally {
    await h.close();
  }
}
