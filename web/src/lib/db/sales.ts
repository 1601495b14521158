import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { PaymentReference } from '../../../../shared/validation.js';

// Sales on this device, written before any request: the RUID is born here, with the sale.

export interface StoredSale {
  readonly ruid: string;
  readonly tid: string;
  readonly currency: string;
  readonly amountCents: number;
  readonly reference: PaymentReference | undefined;
  readonly createdAt: string;
  /** The last payment state this device saw. */
  readonly state: string;
}

interface TillDb extends DBSchema {
  sales: { key: string; value: StoredSale; indexes: { createdAt: string } };
}

let db: Promise<IDBPDatabase<TillDb>> | undefined;

function open(): Promise<IDBPDatabase<TillDb>> {
  db ??= openDB<TillDb>('till', 1, {
    upgrade(database) {
      const sales = database.createObjectStore('sales', { keyPath: 'ruid' });
      sales.createIndex('createdAt', 'createdAt');
    },
    // Another tab holds an older version open: ours waits; we close ours when asked to upgrade.
    blocking() {
      void db?.then((open) => open.close());
      db = undefined;
    },
  });
  return db;
}

export async function saveSale(sale: StoredSale): Promise<void> {
  await (await open()).put('sales', sale);
}

export async function getSale(ruid: string): Promise<StoredSale | undefined> {
  return (await open()).get('sales', ruid);
}

export async function setSaleState(ruid: string, state: string): Promise<void> {
  const database = await open();
  const transaction = database.transaction('sales', 'readwrite');
  const sale = await transaction.store.get(ruid);
  if (sale && sale.state !== state) await transaction.store.put({ ...sale, state });
  await transaction.done;
}
