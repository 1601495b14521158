import { afterAll, beforeAll, describe } from 'vitest';
import { openNodeStore } from '../../../edge/adapters/node/node-sqlite.js';
import type { SqlStore } from '../../../edge/adapters/sql/sql-store.js';
import { STORE_METHODS, type StorePort } from '../../../edge/adapters/cloudflare/store-methods.js';
import { startWorkerHarness, type WorkerHarness } from '../../helpers/worker-harness.js';
import { storeContract, type ContractStores } from './store-contract.js';

describe('the store contract on Node (node:sqlite)', () => {
  let node: SqlStore;
  beforeAll(() => {
    node = openNodeStore(':memory:');
  });
  afterAll(() => node.close());
  storeContract(() => ({ store: node, access: node, ledger: node.ledger }));
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
});
