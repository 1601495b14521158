import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Product } from '../../../../shared/api.js';
import type { Discount } from '../../../../shared/cart.js';
import type { PaymentState } from '../../../../shared/payments.js';
import type { SaleLine } from '../../../../shared/sale.js';
import type { PaymentReference } from '../../../../shared/validation.js';
import type { CheckoutLink } from '../checkout/online.js';
import type { ApiError } from '../net/http.js';

// The till's IndexedDB: every sale is written here before any network call, with the outbox task
// that will carry it to the edge. Version 2 replaced version 1's `sales` (keyed by ruid, card only);
// version 3 added the catalogue cache, so products show with no network.

export const DB_NAME = 'till';
export const DB_VERSION = 3;

/**
 * Where a card sale's payment stands, as this device knows it. 'busy': the edge refused it because
 * its terminal was on another payment; it is never sent again (the cashier decides what next).
 */
export type LocalPaymentState = PaymentState | 'queued' | 'expired' | 'withdrawn' | 'rejected' | 'busy';

/** The payment a busy terminal was on, as the edge's 409 terminal_busy gave it (amount and time when it had them). */
export interface BusyWith {
  readonly ruid: string;
  readonly amountCents: number | undefined;
  readonly currency: string | undefined;
  readonly createdAt: string | undefined;
}

export interface LocalSale {
  /** The sale's id; for a sale with a card part also the RUID of its payment, made once, here. */
  readonly id: string;
  /** 'card' when part or all of it is paid on the terminal. */
  readonly tender: 'card' | 'cash';
  readonly tid: string | undefined;
  readonly currency: string;
  /** The sale's total, after discounts. */
  readonly amountCents: number;
  // The cart and the split between cash and card. Absent on sales stored before the cart
  // (read them through saleParts(), which fills them in).
  readonly lines?: readonly SaleLine[];
  readonly discount?: Discount | undefined;
  readonly note?: string | undefined;
  /** Cash kept for the sale; cashTenderedCents minus this is the change given. */
  readonly cashKeptCents?: number;
  readonly cashTenderedCents?: number;
  /** The card payment's amount. */
  readonly cardCents?: number;
  /**
   * How the card part is paid. Absent: on the terminal `tid`. 'checkout': by the customer on their
   * own phone (myPOS Online Checkout, POST /api/checkouts; `tid` is the edge's online channel).
   */
  readonly channel?: 'checkout';
  /** For channel 'checkout': the link the customer pays by, as the edge answered it. */
  readonly link?: CheckoutLink;
  readonly reference: PaymentReference | undefined;
  readonly createdAt: string;
  readonly completedAt: string | undefined;
  readonly paymentState: LocalPaymentState | undefined;
  /**
   * The ledger: pending until the edge stored the completed sale. 'booked_elsewhere': the edge
   * already holds its card payment in another sale (bookedAs); this record is kept, never resent.
   */
  readonly sync: 'none' | 'pending' | 'synced' | 'failed' | 'booked_elsewhere';
  /** The edge's refusal, for developers and the log only: the till never shows it (it shows `problem`). */
  readonly message: string | undefined;
  /**
   * Why the edge refused the payment (paymentState 'rejected') or the sale (sync 'failed',
   * 'booked_elsewhere'): its code and data, worded by the till when shown (explain.ts).
   */
  readonly problem?: Omit<ApiError, 'message'>;
  /** Set with paymentState 'busy'. */
  readonly busyWith?: BusyWith;
  /** This device's own number for the sale (1, 2, 3…), given when it is first stored; absent on older records. */
  readonly localNo?: number;
  /** The edge's receipt number (per shop, gapless), once it booked the sale. */
  readonly receiptNo?: number;
  /** Set with sync 'booked_elsewhere': the sale of the edge that holds this sale's card payment. */
  readonly bookedAs?: BookedAs;
  /**
   * After the edge's books were restored from a backup: a synced card sale they lost whose payment
   * myPOS did not confirm (sync/refill.ts), so it is not in the books. Cleared when it goes again.
   */
  readonly notInBooks?: true;
  /**
   * Sent again to restored books, its printed number had been taken by a sale made meanwhile: the
   * number on its paper receipt (receiptNo is the one in the books now).
   */
  readonly printedNo?: number;
}

export interface BookedAs {
  readonly saleId: string;
  readonly receiptNo: number | undefined;
}

export type TaskKind = 'create_payment' | 'put_sale';

export interface OutboxTask {
  /** `${kind}:${saleId}`: one task per step of a sale, so enqueueing twice is harmless. */
  readonly id: string;
  readonly kind: TaskKind;
  readonly saleId: string;
  readonly createdAt: number;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  /** A card request not sent by then is never sent. */
  readonly deadlineAt: number | undefined;
  /** Set while a request is on the wire. */
  readonly sendingSince: number | undefined;
  readonly lastError: string | undefined;
}

export interface TillSchema extends DBSchema {
  sales: { key: string; value: LocalSale; indexes: { createdAt: string } };
  outbox: { key: string; value: OutboxTask; indexes: { nextAttemptAt: number } };
  products: { key: string; value: Product };
}

export type TillDb = IDBPDatabase<TillSchema>;

interface SaleV1 {
  ruid: string;
  tid: string;
  currency: string;
  amountCents: number;
  reference: PaymentReference | undefined;
  createdAt: string;
  state: string;
}

export function openTillDb(name = DB_NAME, onVersionChange: () => void = () => undefined): Promise<TillDb> {
  return openDB<TillSchema>(name, DB_VERSION, {
    async upgrade(database, oldVersion, _newVersion, transaction) {
      let kept: SaleV1[] = [];
      if (oldVersion === 1) {
        // Version 1 keyed sales by ruid: read them, then rebuild the store keyed by id.
        const untyped = transaction as unknown as { objectStore(name: string): { getAll(): Promise<SaleV1[]> } };
        kept = await untyped.objectStore('sales').getAll();
        (database as unknown as IDBPDatabase).deleteObjectStore('sales');
      }
      if (oldVersion < 2) {
        const sales = database.createObjectStore('sales', { keyPath: 'id' });
        sales.createIndex('createdAt', 'createdAt');
        const outbox = database.createObjectStore('outbox', { keyPath: 'id' });
        outbox.createIndex('nextAttemptAt', 'nextAttemptAt');
        for (const old of kept) {
          await sales.put({
            id: old.ruid,
            tender: 'card',
            tid: old.tid,
            currency: old.currency,
            amountCents: old.amountCents,
            reference: old.reference,
            createdAt: old.createdAt,
            completedAt: old.state === 'approved' ? old.createdAt : undefined,
            paymentState: old.state === 'created' ? 'accepted' : (old.state as LocalPaymentState),
            sync: 'none',
            message: undefined,
          });
        }
      }
      if (oldVersion < 3) database.createObjectStore('products', { keyPath: 'id' });
    },
    // An older tab keeps the database open at the old version: this one waits, and says so.
    blocked() {
      console.warn('the till database is open in an older tab; close it to finish the update');
    },
    // A newer tab needs the database: close ours so its upgrade can run, and let the page reload.
    blocking() {
      onVersionChange();
    },
  });
}
