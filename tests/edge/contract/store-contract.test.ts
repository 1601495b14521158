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

describe('the store contract on Node (node:sqlite)', () => {
  let node: SqlStore;
  beforeAll(() => {
    node = openNodeStore(':memory:');
  });
  afterAll(() => node.close());
  storeContract(() => ({ store: node, access: node, ledger: node.ledger }));
  refillContract(() => ({ store: node, access: node, ledger: node.ledger }));
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
});
