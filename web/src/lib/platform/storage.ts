import type { ShopProfile } from '../../../../shared/api.js';
import type { Terminal } from '../api.js';
import type { CartDraft } from '../checkout/cart.js';
import type { PreauthBasket } from '../preauth-basket.js';

// Everything the till keeps on the device, in one place: each localStorage key with the type of its
// value, and the IndexedDB database. No other module names a key. A value that cannot be read
// (missing, damaged, or from another version) reads as undefined, and the caller's default applies.

/** The IndexedDB database of sales, outbox and catalogue (web/src/lib/db/schema.ts has its stores). */
export const INDEXED_DB = { name: 'till', version: 3 } as const;

interface Codec<T> {
  read(text: string): T | undefined;
  write(value: T): string;
}

const text: Codec<string> = { read: (value) => value, write: (value) => value };
const integer: Codec<number> = {
  read: (value) => (/^-?[0-9]+$/.test(value.trim()) ? Number(value) : undefined),
  write: (value) => String(value),
};
const oneOf = <T extends string>(...values: readonly T[]): Codec<T> => ({
  read: (value) => (values as readonly string[]).includes(value) ? (value as T) : undefined,
  write: (value) => value,
});
/** JSON, checked by `valid` when read (a damaged value reads as undefined). */
const json = <T>(valid: (value: unknown) => boolean): Codec<T> => ({
  read: (value) => {
    try {
      const parsed: unknown = JSON.parse(value);
      return valid(parsed) ? (parsed as T) : undefined;
    } catch {
      return undefined;
    }
  },
  write: (value) => JSON.stringify(value),
});
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** A key and the type of what it holds. */
export interface Slot<T> {
  readonly key: string;
  get(): T | undefined;
  set(value: T): void;
  remove(): void;
}

/** localStorage, or memory where there is none (tests in Node, a browser that refuses storage). */
function backend(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  try {
    if (typeof localStorage !== 'undefined') return localStorage;
  } catch {
    // Storage denied (a privacy setting): fall through to memory.
  }
  return memory;
}
const kept = new Map<string, string>();
const memory = {
  getItem: (key: string) => kept.get(key) ?? null,
  setItem: (key: string, value: string) => void kept.set(key, value),
  removeItem: (key: string) => void kept.delete(key),
};

function slot<T>(key: string, codec: Codec<T>): Slot<T> {
  return {
    key,
    get() {
      const value = backend().getItem(key);
      return value === null ? undefined : codec.read(value);
    },
    set(value) {
      try {
        backend().setItem(key, codec.write(value));
      } catch {
        // Storage full or denied: the till keeps working; the value is simply not kept.
      }
    },
    remove() {
      backend().removeItem(key);
    },
  };
}

/** The sales a till sent again to restored books, and the card sales myPOS did not confirm (their ids). */
export interface RestoredBooks {
  readonly sent: number;
  readonly unconfirmed: readonly string[];
  /** The sales sent again (absent in notices kept before it was): those renumbered are listed. */
  readonly sentIds?: readonly string[];
}

/** Every localStorage key of the till. */
export const stored = {
  /** The cart being rung up: survives a reload (state/cart.svelte.ts). */
  cart: slot<CartDraft>('till.cart', json((value) => isObject(value) && Array.isArray(value.lines))),
  /** The terminals last listed by the edge: the sale screen works offline (state/terminals.svelte.ts). */
  terminals: slot<Terminal[]>('till.terminals', json(Array.isArray)),
  /** The terminal last charged on, chosen again next time. */
  lastTerminal: slot('till.lastTerminal', text),
  /** Products or Keypad on the sale screen, as the cashier left it. */
  saleTab: slot('till.saleTab', oneOf('products', 'keypad')),
  /** Receipt paper width in mm (Settings). */
  paper: slot('till.paper', oneOf('80', '58')),
  /** The day close's opening float, as last typed. */
  openingFloat: slot('till.openingFloat', text),
  /** The shop's currency, as the edge last said (format.ts). */
  shopCurrency: slot('till.shopCurrency', text),
  /** The language of the till (messages/index.svelte.ts). */
  language: slot('till.language', text),
  /** Set once the edge accepted this device; the credential itself is an HttpOnly cookie. */
  paired: slot('till.paired', text),
  /** The name this till was paired under. */
  deviceName: slot('till.name', text),
  /** The shop's profile as the edge last gave it (till-settings.ts). */
  shop: slot<ShopProfile>('till.shop', json(isObject)),
  /** Before the shop profile: the VAT of an amount typed on the keypad, in basis points (till-settings.ts). */
  freeAmountVatBp: slot('till.freeAmountVatBp', integer),
  /** Before the shop profile: the shop's name and address for receipts (till-settings.ts). */
  shopHeader: slot('till.shopHeader', text),
  /** The owner hid the setup checklist on this device (setup-status.ts). */
  setupDismissed: slot('till.setupDismissed', oneOf('1')),
  /** The edge's ledger generation this till last compared its sales against (sync/refill.ts). */
  ledgerGeneration: slot('till.ledgerGeneration', text),
  /** After the edge's books were restored: what this till sent again and what myPOS did not confirm, until dismissed. */
  restoredBooks: slot<RestoredBooks>('till.restoredBooks', json(isObject)),
  /** How long a card request may wait for the network (tests shorten it). */
  cardDeadlineMs: slot('till.cardDeadlineMs', integer),
} as const;

/** Keys made per payment: the basket held by a pre-authorisation, until it is completed. */
export const storedPer = {
  preauthBasket: (ruid: string) => slot<PreauthBasket>(`till.preauth.${ruid}`, json(isObject)),
} as const;
