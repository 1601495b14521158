import { DurableObject } from 'cloudflare:workers';
import { SqlStore } from '../sql/sql-store.js';
import { DurableObjectSqlDatabase } from './do-sqlite.js';
import type { WorkerEnv } from './env.js';
import { isStoreMethod, type StorePort } from './store-methods.js';

// The edge's data in one Durable Object's SQLite, with the same schema and queries as the Node
// adapter (edge/adapters/sql). Payments, devices, the audit log, the catalogue and the ledger live
// here; its one-in-flight-per-terminal unique index is the guarantee that a terminal takes one
// payment at a time, whichever object or isolate asks.

export class StoreObject extends DurableObject<WorkerEnv> {
  private readonly sql: SqlStore;

  constructor(ctx: DurableObjectState, env: WorkerEnv) {
    super(ctx, env);
    this.sql = new SqlStore(new DurableObjectSqlDatabase(ctx.storage));
  }

  /** One RPC for every port method: the arguments and results are plain data (structured clone). */
  async call(port: StorePort, method: string, args: unknown[]): Promise<unknown> {
    if (!isStoreMethod(port, method)) throw new Error(`no store method ${port}.${method}`);
    const target: object = port === 'ledger' ? this.sql.ledger : this.sql;
    const fn = (target as Record<string, unknown>)[method] as (...values: unknown[]) => Promise<unknown>;
    return fn.apply(target, args);
  }
}
