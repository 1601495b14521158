import type { AccessStore, CatalogueStore, LedgerStore, PaymentStore, ProtocolProfileStore } from '../../core/ports.js';

// The methods of each store port that may be called on the store object, checked against the
// port interfaces by the compiler (a new port method must be listed here to work on Workers).

type Methods<T> = { readonly [K in keyof T]-?: true };

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
    putSale: true, getSale: true, saleForPayment: true, saleByReceiptNo: true, hasSales: true, claimGiveBack: true, releaseGiveBack: true, limitLeft: true, listSales: true, addCashRefund: true, cashRefunds: true, period: true, closeDay: true, listDayCloses: true, getDayClose: true,
  } satisfies Methods<LedgerStore>,
} as const;

export type StorePort = keyof typeof STORE_METHODS;

export function isStoreMethod(port: string, method: string): port is StorePort {
  return port in STORE_METHODS && Object.hasOwn(STORE_METHODS[port as StorePort], method);
}
