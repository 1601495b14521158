import type { LearnedProfile } from './mypos/profile-sources.js';
import type { Product, ShopProfile } from '../../shared/api.js';
import type { Payment, PaymentEvent, PaymentState, TerminalTransport } from '../../shared/payments.js';
import type { Exchange } from './mypos/client.js';
import type { PaymentRecord } from './payments/machine.js';

// What edge/core needs from its runtime. The Node adapter implements these with SQLite and
// timers; the Workers adapter will with Durable Objects.
// The ledger and access ports, with their records, are in ports/; importers take them from here.

export type {
  CashRefundRecord,
  CashRefundResult,
  DayCloseInput,
  DayCloseRecord,
  GiveBackClaim,
  GiveBackLimits,
  GiveBackResult,
  LedgerGiveBack,
  LedgerPeriod,
  LedgerStore,
  LimitExceeded,
  NewSale,
  PutSaleResult,
  StoredSale,
} from './ports/ledger.js';
export type { AccessStore, DeviceRecord, DeviceRole, PairingCodeRecord } from './ports/access.js';

export type InsertResult =
  | { readonly kind: 'created'; readonly event: PaymentEvent }
  | { readonly kind: 'exists'; readonly record: PaymentRecord }
  | { readonly kind: 'busy'; readonly inFlightRuid: string };

export type TerminalState = 'pending_code' | 'active' | 'unsubscribing' | 'not_subscribed';

export interface TerminalRecord {
  readonly tid: string;
  readonly currency: string;
  /** How the edge reaches it: the myPOS cloud, or the iqom Payment Interface in the store. */
  readonly transport: TerminalTransport;
  /** For a LAN terminal: host:port of its Payment Interface app. */
  readonly address: string | undefined;
  readonly state: TerminalState;
  /** The code to type on the device, while a subscription or its cancellation waits for it. */
  readonly code: string | undefined;
  readonly updatedAt: string;
}

export interface StoredExchange extends Exchange {
  /** 'sending' is written before the call, 'answered' after each attempt. */
  readonly phase: 'sending' | 'answered';
}

export interface PaymentStore {
  /**
   * Stores a new payment and its first event in one transaction, unless its RUID exists or its
   * lane already has a payment in flight (enforced by the store itself, not only in memory). The
   * lane is its terminal's TID by default: a terminal does one payment at a time; a checkout link
   * (the customer's own phone) is a lane of its own.
   */
  insertPayment(record: PaymentRecord, lane?: string): Promise<InsertResult>;
  getPayment(ruid: string): Promise<PaymentRecord | undefined>;
  /** Saves the record; with withEvent, appends the event in the same transaction and returns it. */
  savePayment(record: PaymentRecord, withEvent: boolean): Promise<PaymentEvent | undefined>;
  eventsAfter(ruid: string, afterId: number): Promise<PaymentEvent[]>;
  lastEvent(ruid: string): Promise<PaymentEvent | undefined>;
  inFlight(): Promise<PaymentRecord[]>;
  /** The RUID of the last approved or voided transaction on a terminal, latest settled first. */
  lastSettledOnTerminal(tid: string): Promise<{ ruid: string; state: PaymentState } | undefined>;
  /** Cents refunded or being refunded against a purchase. */
  refundedCents(originalRuid: string): Promise<number>;
  /** The payments that refer to this one (refunds of a purchase; the completion or release of a preauth). */
  linkedPayments(originalRuid: string): Promise<Payment[]>;
  recordExchange(exchange: StoredExchange): Promise<void>;
  listTerminals(): Promise<TerminalRecord[]>;
  getTerminal(tid: string): Promise<TerminalRecord | undefined>;
  saveTerminal(terminal: TerminalRecord): Promise<void>;
  /** Answers whether the store works, for /healthz. */
  ping(): Promise<boolean>;
}


/** The shop's products, managed by an admin, read by every till (and cached offline there). */
export interface CatalogueStore {
  saveProduct(product: Product): Promise<void>;
  listProducts(): Promise<Product[]>;
  /** The shop's profile as an admin saved it (undefined: never saved). */
  getShop(): Promise<ShopProfile | undefined>;
  saveShop(profile: ShopProfile): Promise<void>;
}

export interface EventBus {
  publish(event: PaymentEvent): void;
  subscribe(ruid: string, listener: (event: PaymentEvent) => void): () => void;
}

export interface Scheduler {
  /** Runs task after delayMs; a new schedule for the same key replaces the old one. */
  schedule(key: string, delayMs: number, task: () => Promise<void>): void;
  cancel(key: string): void;
  close(): void;
}

export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** The protocol profile the doctor learned, kept by the edge and used from then on. */
export interface ProtocolProfileStore {
  loadProtocolProfile(): Promise<LearnedProfile | undefined>;
  saveProtocolProfile(profile: LearnedProfile): Promise<void>;
}

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface Clock {
  now(): number;
}
