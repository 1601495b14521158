import type { AccessStore, CatalogueStore, LedgerStore, PaymentStore, ProtocolProfileStore } from '../../core/ports.js';
import type { SqlDatabase } from './sql-database.js';
import { openStorePorts, STORE_METHODS, storeMethod, type StorePort, type StorePorts } from './store-ports.js';

// The edge's store in SQLite as one object, the way the Node adapter hands it to the app: the
// payment, access, catalogue and protocol ports in one, the ledger beside them. It holds no logic
// of its own: each method is its port's repository's, found in the table of store-ports.ts.

export { readAuditLines } from './access-repository.js';
export type { StorePort, StorePorts } from './store-ports.js';

export interface SqlStore extends PaymentStore, AccessStore, CatalogueStore, ProtocolProfileStore {
  readonly ledger: LedgerStore;
  /** The same repositories by port name. */
  readonly ports: StorePorts;
  close(): void;
}

/** A port's methods, bound to its repository: STORE_METHODS lists them all (the compiler checks it), so this is the whole port. */
function methodsOf<P extends StorePort>(ports: StorePorts, port: P): StorePorts[P] {
  return Object.fromEntries(Object.keys(STORE_METHODS[port]).map((method) => [method, storeMethod(ports, port, method)])) as unknown as StorePorts[P];
}

/** Migrates the database to the latest schema and opens the store on it. */
export function openSqlStore(db: SqlDatabase): SqlStore {
  let ports: StorePorts;
  try {
    ports = openStorePorts(db);
  } catch (error) {
    // A database that cannot be migrated (a newer edge's, a failed migration) is not held open.
    db.close();
    throw error;
  }
  return {
    ...methodsOf(ports, 'store'),
    ...methodsOf(ports, 'access'),
    ...methodsOf(ports, 'catalogue'),
    ...methodsOf(ports, 'protocol'),
    ledger: ports.ledger,
    ports,
    close: () => db.close(),
  };
}
