import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyedMutex } from '../../edge/core/keyed-mutex.js';
import { newRuid } from '../../shared/ruid.js';
import { recordCashSale, taskId } from '../../web/src/lib/db/outbox.js';
import { openTillDb, type LocalSale, type TillDb } from '../../web/src/lib/db/schema.js';
import { refillLedger } from '../../web/src/lib/sync/refill.js';
import { OutboxRunner } from '../../web/src/lib/sync/runner.js';
import { startEdgeHarness, type EdgeHarness } from '../helpers/edge-harness.js';
import { runEdgeTool } from '../helpers/edge-tool.js';

// Tills refill a restored ledger: two tills sell, a backup is taken (npm run backup), more sales are
// booked, the edge's books are restored from the backup (npm run restore) and the edge started
// again on them; each till sees the new ledger generation, sends again the sales the edge lacks,
// and the ledger then holds every sale made, each once. IndexedDB through idb over fake-indexeddb;
// the edge, the backup and the restore are the real ones.

const dataDir = join(mkdtempSync(join(tmpdir(), 'refill-')), 'data');
let h: EdgeHarness;

const edgeEnv = { EDGE_DATA_DIR: dataDir, EDGE_BACKUP_EVERY: 'off' };

beforeAll(async () => {
  h = await startEdgeHarness(edgeEnv);
});
afterAll(async () => {
  await h?.close();
  rmSync(resolve(dataDir, '..'), { recursive: true, force: true });
});

interface Till {
  readonly db: TillDb;
  readonly token: string;
  readonly generation: Map<string, string>;
}

let dbCount = 0;
async function newTill(): Promise<Till> {
  const { token } = await h.pairDevice();
  return { db: await openTillDb(`till-refill-${++dbCount}`), token, generation: new Map() };
}

const tillFetch = (till: Till): typeof fetch => (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${till.token}` } });

const locks = new KeyedMutex();
async function drain(till: Till): Promise<void> {
  const runner = new OutboxRunner({ db: till.db, baseUrl: h.url, fetch: tillFetch(till), withLock: (work) => locks.run(`outbox-${till.token}`, work), now: () => Date.now(), random: () => 0.5, online: () => true, onSaleChanged: () => undefined, baseDelayMs: 20, maxDelayMs: 200 });
  await runner.kick();
  runner.stop();
}

async function sell(till: Till, cents: number): Promise<string> {
  const now = new Date().toISOString();
  const sale: LocalSale = { id: newRuid(), tender: 'cash', tid: undefined, currency: 'EUR', amountCents: cents, cashKeptCents: cents, cashTenderedCents: cents, cardCents: 0, reference: undefined, createdAt: now, completedAt: now, paymentState: undefined, sync: 'none', message: undefined };
  await recordCashSale(till.db, sale, Date.now());
  return sale.id;
}

const refill = (till: Till) =>
  refillLedger({ db: till.db, baseUrl: h.url, fetch: tillFetch(till), now: () => Date.now(), generation: { get: () => till.generation.get('g'), set: (value) => till.generation.set('g', value) }, taskId });

async function ledgerIds(): Promise<string[]> {
  return (await h.api<{ sales: Array<{ id: string }> }>('GET', '/api/sales')).body.sales.map((sale) => sale.id);
}

describe('tills refill a restored ledger', () => {
  it('two tills sell; after a restore from an older backup each sends what the edge lacks, and the ledger holds every sale once', async () => {
    const tills = [await newTill(), await newTill()];
    const before = [await sell(tills[0]!, 300), await sell(tills[1]!, 450)];
    for (const till of tills) await drain(till);
    for (const till of tills) expect(await refill(till)).toMatchObject({ kind: 'compared', requeued: [] });
    for (const till of tills) expect(await refill(till)).toEqual({ kind: 'same' });

    const backup = runEdgeTool('backup', dataDir);
    expect(backup.status, backup.stderr).toBe(0);
    const file = /backup kept: (\S+)/.exec(backup.stdout)?.[1] ?? '';

    const after = [await sell(tills[0]!, 120), await sell(tills[0]!, 80), await sell(tills[1]!, 990)];
    for (const till of tills) await drain(till);
    expect((await ledgerIds()).sort()).toEqual([...before, ...after].sort());
    // A card sale this till had booked, whose payment the restored books will not know either.
    const card: LocalSale = { id: newRuid(), tender: 'card', tid: '90000015', currency: 'EUR', amountCents: 700, cardCents: 700, reference: undefined, createdAt: new Date().toISOString(), completedAt: new Date().toISOString(), paymentState: 'approved', sync: 'synced', message: undefined };
    await tills[1]!.db.put('sales', card);

    await h.close();
    const restored = runEdgeTool('restore', dataDir, [file]);
    expect(restored.status, restored.stderr).toBe(0);
    h = await startEdgeHarness(edgeEnv);
    expect((await ledgerIds()).sort()).toEqual([...before].sort());

    const first = await refill(tills[0]!);
    expect(first.kind).toBe('compared');
    expect(first.kind === 'compared' && first.requeued.map((sale) => sale.id).sort()).toEqual([after[0], after[1]].sort());
    const second = await refill(tills[1]!);
    expect(second).toMatchObject({ kind: 'compared', unconfirmed: [card.id] });
    expect(second.kind === 'compared' && second.requeued.map((sale) => sale.id)).toEqual([after[2]]);
    expect((await tills[1]!.db.get('sales', card.id))?.sync).toBe('synced');

    for (const till of tills) await drain(till);
    const ids = await ledgerIds();
    expect(ids.sort()).toEqual([...before, ...after].sort());
    expect(new Set(ids).size).toBe(ids.length);
    // The X report of the restored books counts them all: 3.00 + 4.50 + 1.20 + 0.80 + 9.90.
    const report = await h.api<{ report: { byCurrency: Record<string, { count: number; gross: string; cash: string }> } }>('GET', '/api/day-closes/current');
    expect(report.body.report.byCurrency.EUR).toMatchObject({ count: 5, gross: '19.40', cash: '19.40' });
    // Compared once: nothing more to send until the books change again.
    for (const till of tills) expect(await refill(till)).toEqual({ kind: 'same' });
  }, 60_000);
});
