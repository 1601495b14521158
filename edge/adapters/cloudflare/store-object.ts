import { DurableObject } from 'cloudflare:workers';
import { openStorePorts, storeMethod, type StorePort, type StorePorts } from '../sql/store-ports.js';
import { DurableObjectSqlDatabase } from './do-sqlite.js';
import type { WorkerEnv } from './env.js';

// The edge's data in one Durable Object's SQLite, with the same schema, migrations and queries as
// the Node adapter (edge/adapters/sql). Payments, devices, the audit log, the catalogue and the
// ledger live here; its one-in-flight-per-terminal unique index is the guarantee that a terminal
// takes one payment at a time, whichever object or isolate asks.

export class StoreObject extends DurableObject<WorkerEnv> {
  private readonly ports: StorePorts;

  constructor(ctx: DurableObjectState, env: WorkerEnv) {
    super(ctx, env);
    // Synchronous, so no request reaches the object before its schema is migrated.
    this.ports = openStorePorts(new DurableObjectSqlDatabase(ctx.storage));
  }

  /** One RPC for every port method: the arguments and results are plain data (structured clone). */
  async call(port: StorePort, method: string, args: unknown[]): Promise<unknown> {
    // The port names its repository in the store's table; only the port's listed methods answer.
    const fn = storeMethod(this.ports, port, method);
    if (!fn) throw new Error(`no store method ${port}.${method}`);
    return fn(...args);
  }
}
