import { STORE_METHODS, type StorePort, type StorePorts } from '../sql/store-ports.js';
import type { StoreObject } from './store-object.js';

// The store ports as the worker and the terminal objects see them: each call is an RPC to the one
// store object (named "store"), where it runs against SQLite.

export type { StorePorts } from '../sql/store-ports.js';

// A stub is an I/O object of the request that made it: a new one per call, so one app (kept for the
// isolate's or the object's life) serves every request.
function proxy<P extends StorePort>(stub: () => DurableObjectStub<StoreObject>, port: P): StorePorts[P] {
  const methods: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of Object.keys(STORE_METHODS[port])) methods[method] = (...args: unknown[]) => stub().call(port, method, args) as Promise<unknown>;
  return methods as unknown as StorePorts[P];
}

export function storePorts(namespace: DurableObjectNamespace<StoreObject>): StorePorts {
  const id = namespace.idFromName('store');
  const stub = () => namespace.get(id);
  return { store: proxy(stub, 'store'), access: proxy(stub, 'access'), catalogue: proxy(stub, 'catalogue'), ledger: proxy(stub, 'ledger'), protocol: proxy(stub, 'protocol') };
}
