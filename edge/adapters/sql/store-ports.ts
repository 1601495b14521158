import type { AccessStore, CatalogueStore, LedgerStore, PaymentStore, ProtocolProfileStore } from '../../core/ports.js';
import { AccessRepository } from './access-repository.js';
import { CatalogueRepository } from './catalogue-repository.js';
import { LedgerRepository } from './ledger-repository.js';
import { migrate } from './migrations.js';
import { PaymentRepository } from './payment-repository.js';
import { ProtocolRepository } from './protocol-repository.js';
import type { SqlDatabase } from './sql-database.js';

// The store as a table: each port (by the name edge/core gives it) and the repository that serves
// it, with the methods a caller may reach through it. The Node facade (sql-store.ts) and the
// Workers store object (edge/adapters/cloudflare/store-object.ts) both read this one table, so
// neither picks a repository by special case.

/** The store ports by name, as the app takes them (createApp's store, access, catalogue, ledger). */
export interface StorePorts {
  readonly store: PaymentStore;
  readonly access: AccessStore;
  readonly catalogue: CatalogueStore;
  readonly ledger: LedgerStore;
  readonly protocol: ProtocolProfileStore;
}

export type StorePort = keyof StorePorts;

type Methods<T> = { readonly [K in keyof T]-?: true };

/**
 * The methods of each port, checked against the port interfaces by the compiler: a method a port
 * gains must be listed here, or the compiler says so (the Workers store object calls only these).
 */
export const STORE_METHODS = {
  store: {
    insertPayment: true, getPayment: true, savePayment: true, eventsAfter: true, lastEvent: true, inFlight: true, lastSettledOnTerminal: true,
    refundedCents: true, linkedPayments: true, recordExchange: true, listTerminals: true, getTerminal: true, saveTerminal: true, ping: true,
  } satisfies Methods<PaymentStore>,
  access: {
    savePairingCode: true, redeemPairingCode: true, deviceByTokenHash: true, getDevice: true, listDevices: true, saveDevice: true,
    lastAuditLine: true, insertAuditLine: true, auditLines: true,
  } satisfies Methods<AccessStore>,
  catalogue: { saveProduct: true, listProducts: true, getShop: true, saveShop: true } satisfies Methods<CatalogueStore>,
  protocol: { loadProtocolProfile: true, saveProtocolProfile: true } satisfies Methods<ProtocolProfileStore>,
  ledger: {
    putSale: true, getSale: true, saleForPayment: true, saleByReceiptNo: true, hasSales: true, claimGiveBack: true, releaseGiveBack: true, limitLeft: true, listSales: true, saleIdsSince: true, salesBetween: true, ledgerGeneration: true, notePrintedUpTo: true, mustTellPrinted: true, noteUnconfirmedLost: true, forgetLost: true, unconfirmedLost: true, addCashRefund: true, cashRefunds: true, period: true, closeDay: true, listDayCloses: true, getDayClose: true,
  } satisfies Methods<LedgerStore>,
} as const satisfies Record<StorePort, object>;

export function isStoreMethod(port: string, method: string): port is StorePort {
  return Object.hasOwn(STORE_METHODS, port) && Object.hasOwn(STORE_METHODS[port as StorePort], method);
}

/** Brings the database to the latest schema, then serves each port from its repository. */
export function openStorePorts(db: SqlDatabase): StorePorts {
  migrate(db);
  return { store: new PaymentRepository(db), access: new AccessRepository(db), catalogue: new CatalogueRepository(db), ledger: new LedgerRepository(db), protocol: new ProtocolRepository(db) };
}

type PortMethod = (...args: unknown[]) => Promise<unknown>;

/** port.method bound to the port's repository; undefined unless STORE_METHODS lists it (a name from the wire is not trusted). */
export function storeMethod(ports: StorePorts, port: string, method: string): PortMethod | undefined {
  if (!isStoreMethod(port, method)) return undefined;
  const repository = ports[port] as unknown as Readonly<Record<string, PortMethod>>;
  return repository[method]?.bind(repository);
}
