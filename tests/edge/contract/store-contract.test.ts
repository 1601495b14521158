import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeStore } from '../../../edge/adapters/node/node-sqlite.js';
import type { SqlStore } from '../../../edge/adapters/sql/sql-store.js';
import { STORE_METHODS, type StorePort } from '../../../edge/adapters/cloudflare/store-methods.js';
import { startWorkerHarness, type WorkerHarness } from '../../helpers/worker-harness.js';
import { ledgerSale } from '../../helpers/ledger-fixtures.js';
import { storeContract, type ContractStores } from './store-contract.js';

/** The ledger's answers to a till refilling it after a restore: its generation, and the ids it holds since a time. */
function refillContract(stores: () => ContractStores): void {
  it('answers one ledger generation, and the ids of the sales completed since a time, by whom booked, within a limit', async () => {
    const { ledger } = stores();
    const generation = await ledger.ledgerGeneration();
    expect(generation).toMatch(/^[0-9a-f]{32}$/);
    expect(await ledger.ledgerGeneration()).toBe(generation);
    const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`.toUpperCase();
    const at = (completedAt: string, id: string, bookedBy: string) => ({ ...ledgerSale(`${run}${id}`, 100, { bookedBy }), completedAt });
    await ledger.putSale(at('2099-03-03T10:00:02.000Z', 'C', 'device:a'));
    await ledger.putSale(at('2099-03-03T12:00:00+02:00', 'B', 'device:b'));
    await ledger.putSale(at('2099-03-03T10:00:00.000Z', 'A', 'device:a'));
    await ledger.putSale(at('2099-03-03T09:59:59.999Z', 'D', 'device:a'));
    const sinceMs = Date.parse('2099-03-03T10:00:00.000Z');
    expect(await ledger.saleIdsSince(sinceMs, undefined, 100)).toEqual({ ids: [`${run}A`, `${run}B`, `${run}C`], more: false });
    expect(await ledger.saleIdsSince(sinceMs, 'device:a', 100)).toEqual({ ids: [`${run}A`, `${run}C`], more: false });
    expect(await ledger.saleIdsSince(sinceMs, undefined, 2)).toEqual({ ids: [`${run}A`, `${run}B`], more: true });
    expect(await ledger.saleIdsSince(sinceMs, 'device:nobody', 100)).toEqual({ ids: [], more: false });
  });
}

/** The admin's export of the books: the sales completed in [from, to), the earliest first, whole, within a limit. */
function exportContract(stores: () => ContractStores): void {
  it('lists the sales completed in [from, to), the earliest first, each whole, within a limit', async () => {
    const { ledger } = stores();
    const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`.toUpperCase();
    const at = (completedAt: string, id: string) => ({ ...ledgerSale(`${run}${id}`, 250, { bookedBy: 'device:x' }), completedAt });
    await ledger.putSale(at('2097-07-07T10:00:00.000Z', 'C'));
    await ledger.putSale(at('2097-07-07T11:00:00+02:00', 'B'));
    await ledger.putSale(at('2097-07-07T08:59:59.999Z', 'D'));
    await ledger.putSale(at('2097-07-07T09:00:00.000Z', 'A'));
    await ledger.putSale(at('2097-07-07T11:00:00.000Z', 'E'));
    const from = Date.parse('2097-07-07T09:00:00.000Z');
    const to = Date.parse('2097-07-07T11:00:00.000Z');
    const found = await ledger.salesBetween(from, to, 100);
    // 11:00+02:00 is 09:00 Z: with A, at from, ordered by the id; E at to is out.
    expect(found.more).toBe(false);
    expect(found.sales.map((sale) => sale.id)).toEqual([`${run}A`, `${run}B`, `${run}C`]);
    const [first] = found.sales;
    expect(first).toEqual(await ledger.getSale(`${run}A`));
    expect(first?.receiptNo).toBeGreaterThan(0);
    expect(first?.totalCents).toBe(250);
    expect(await ledger.salesBetween(from, to, 2)).toEqual({ sales: found.sales.slice(0, 2), more: true });
    expect(await ledger.salesBetween(to, to + 1, 100)).toEqual({ sales: [await ledger.getSale(`${run}E`)], more: false });
    expect(await ledger.salesBetween(Date.parse('2097-07-08T00:00:00Z'), Date.parse('2097-07-09T00:00:00Z'), 100)).toEqual({ sales: [], more: false });
  });
}

describe('the store contract on Node (node:sqlite)', () => {
  let node: SqlStore;
  beforeAll(() => {
    node = openNodeStore(':memory:');
  });
  afterAll(() => node.close());
  storeContract(() => ({ store: node, access: node, ledger: node.ledger }));
  refillContract(() => ({ store: node, access: node, ledger: node.ledger }));
  exportContract(() => ({ store: node, access: node, ledger: node.ledger }));
});

describe('the store contract on Workers (the store Durable Object in workerd, over RPC)', () => {
  let w: WorkerHarness;
  let stores: ContractStores;
  beforeAll(async () => {
    w = await startWorkerHarness();
    const namespace = await w.miniflare.getDurableObjectNamespace('STORE');
    // The store object's one RPC method (edge/adapters/cloudflare/store-object.ts).
    const stub = namespace.get(namespace.idFromName('store')) as unknown as { call(port: StorePort, method: string, args: unknown[]): Promise<unknown> };
    const proxy = <T>(port: StorePort): T => Object.fromEntries(Object.keys(STORE_METHODS[port]).map((method) => [method, (...args: unknown[]) => stub.call(port, method, args)])) as T;
    stores = { store: proxy('store'), access: proxy('access'), ledger: proxy('ledger') };
  }, 60_000);
  afterAll(async () => {
    await w?.close();
  });
  storeContract(() => stores);
  refillContract(() => stores);
  exportContract(() => stores);
});
