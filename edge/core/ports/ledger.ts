import type { LostPaymentReason } from '../payments/channel.js';
import type { TerminalTransport } from '../../../shared/payments.js';
import type { SaleInput } from '../../../shared/sale.js';
import type { GiveBackKind, ZReport } from '../../../shared/z-report.js';

// The ledger port (see ../ports.ts): booked sales, what is given back against them, and the day
// closes, with the records the store takes and returns.

/** A completed sale as the edge books it: the till's sale, its card part's terminal, and who booked it. */
export interface NewSale extends SaleInput {
  readonly receivedAt: string;
  /** The terminal of the card part, from its payment. */
  readonly tid: string | undefined;
  /**
   * The channel the card part went by, from its payment (a link is booked as the online tender).
   * Absent on a cash sale, and on sales booked before it was recorded: a terminal's card.
   */
  readonly transport?: TerminalTransport;
  /** The principal that booked it ("admin" or "device:<id>"): the sale belongs to it... */
  readonly bookedBy: string;
  /** ...and to the terminals that device was bound to then (['*'] for all). */
  readonly bookedFor: readonly string[];
}

/** A sale in the ledger, with its receipt number: per shop, gapless, given at booking. */
export interface StoredSale extends NewSale {
  readonly receiptNo: number;
}

export type PutSaleResult =
  | { readonly kind: 'created' | 'same'; readonly sale: StoredSale }
  | { readonly kind: 'conflict'; readonly sale: StoredSale }
  /** Its card payment is already booked, in another sale. */
  | { readonly kind: 'payment_booked'; readonly sale: StoredSale };

/** Cash handed back to a customer against a sale. */
export interface CashRefundRecord {
  readonly id: string;
  readonly saleId: string;
  readonly cents: number;
  /** The sale's currency. */
  readonly currency: string;
  readonly at: string;
  readonly actor: string;
}

/** Over a give-back limit: which one, and what is left under it. */
export interface LimitExceeded {
  readonly kind: 'limit';
  readonly scope: 'sale' | 'device_day';
  readonly leftCents: number;
}

export type CashRefundResult =
  | { readonly kind: 'created' | 'same'; readonly refund: CashRefundRecord }
  | { readonly kind: 'conflict'; readonly refund: CashRefundRecord }
  | { readonly kind: 'no_sale' }
  | { readonly kind: 'over'; readonly refundableCents: number }
  | LimitExceeded;

/**
 * What a device that is not an admin may give back: per original sale (card refunds, cash refunds
 * and voids together) and per device over the last 24 hours. Undefined for admins.
 */
export interface GiveBackLimits {
  readonly perSaleCents: number;
  readonly perDayCents: number;
  readonly nowMs: number;
}

/** Money about to be given back (counted from the moment it is asked, released if it did not happen). */
export interface GiveBackClaim {
  /** The refund's RUID, the cash refund's id, or "void:<purchase ruid>". */
  readonly id: string;
  readonly kind: GiveBackKind;
  readonly saleId: string | undefined;
  /** The purchase given back against (card refunds and voids). */
  readonly paymentRuid: string | undefined;
  readonly actor: string;
  readonly cents: number;
  /** Limits are amounts in each currency: claims of different currencies never add up. */
  readonly currency: string;
  readonly atMs: number;
}

export type GiveBackResult = { readonly kind: 'ok' } | LimitExceeded;

/** A give-back as a report counts it, with the sale it belongs to. */
export interface LedgerGiveBack {
  readonly id: string;
  readonly kind: GiveBackKind;
  readonly cents: number;
  readonly currency: string;
  readonly sale: StoredSale | undefined;
  readonly tid: string | undefined;
  /** A card refund or void: the channel of its payment (absent: a cash refund, or a payment stored before transports were). */
  readonly transport: TerminalTransport | undefined;
}

/** The events of one period: the open one (since the last close) or a closed one. */
export interface LedgerPeriod {
  readonly sales: readonly StoredSale[];
  readonly giveBacks: readonly LedgerGiveBack[];
  /** When the previous close was made (undefined before the first). */
  readonly from: string | undefined;
  /** When this period was closed; undefined for the open one. */
  readonly to: string | undefined;
}

/** The ids of booked sales completed at or after a time: a till compares them with its own (after a restore). */
export interface SaleIdsSince {
  /** Ordered by completedAt, then id: the earliest first, so a cut answer goes on from its last sale's time. */
  readonly ids: string[];
  /** More sales matched than the limit: ids holds the earliest. */
  readonly more: boolean;
}

/** Booked sales completed in a time range (the admin's export of the books). */
export interface SalesBetween {
  /** Ordered by completedAt, then id: the earliest first; at most the limit asked. */
  readonly sales: StoredSale[];
  /** More sales matched than the limit: sales holds the earliest. */
  readonly more: boolean;
}

export interface DayCloseInput {
  readonly closedAt: string;
  readonly closedBy: string;
  readonly openingFloatCents: number;
  readonly countedCashCents: number;
  readonly shopCurrency: string;
}

export interface DayCloseRecord {
  readonly no: number;
  readonly closedAt: string;
  readonly closedBy: string;
  readonly openingFloatCents: number;
  readonly countedCashCents: number;
  readonly report: ZReport;
}

/** A card payment a till says was approved, that restored books lost and myPOS did not confirm. */
export interface UnconfirmedLostPayment {
  readonly ruid: string;
  readonly tid: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly reason: LostPaymentReason;
  /** The device that asked (the till holding the sale). */
  readonly askedBy: string;
  readonly askedAt: string;
}

/**
 * The ledger: completed sales, give-backs and day closes. A close takes every event not yet
 * closed, in one transaction, so each sale, void and refund is in exactly one Z report.
 */
export interface LedgerStore {
  /**
   * Stores a sale once (the same sale again is 'same', a different one under its id 'conflict'; a
   * card payment is booked once) under the next receipt number, or under `printedNo` (its number
   * before a restore) when no sale has that one.
   */
  putSale(sale: NewSale, printedNo?: number): Promise<PutSaleResult>;
  getSale(id: string): Promise<StoredSale | undefined>;
  /** The sale with this receipt number. */
  saleByReceiptNo(no: number): Promise<StoredSale | undefined>;
  /** The sale that booked this card payment. */
  saleForPayment(ruid: string): Promise<StoredSale | undefined>;
  listSales(): Promise<StoredSale[]>;
  /**
   * The ids of the sales completed (the till's completedAt) at or after sinceMs, booked by bookedBy
   * (undefined: by anyone), at most limit of them.
   */
  saleIdsSince(sinceMs: number, bookedBy: string | undefined, limit: number): Promise<SaleIdsSince>;
  /** The sales completed (their completedAt) at or after fromMs and before toMs, at most limit of them. */
  salesBetween(fromMs: number, toMs: number, limit: number): Promise<SalesBetween>;
  /**
   * A till comparing its sales with restored books says the highest receipt number it printed (0:
   * none): new sales are numbered after it (never the number of a sale still to come back). Only grows.
   */
  notePrintedUpTo(no: number, by: string): Promise<void>;
  /** Restored books, and `by` (a device) has not said yet what it printed in this generation: its new sales wait. */
  mustTellPrinted(by: string): Promise<boolean>;
  /** A lost card payment myPOS did not confirm (POST /api/payments/lost), for the owner's day close; asked again, it is updated. */
  noteUnconfirmedLost(lost: UnconfirmedLostPayment): Promise<void>;
  /** A lost card payment myPOS confirmed after all: no longer listed. */
  forgetLost(ruid: string): Promise<void>;
  /** The lost card payments myPOS did not confirm, asked since the last day close. */
  unconfirmedLost(): Promise<UnconfirmedLostPayment[]>;
  /** The ledger's generation: it changes when the ledger is replaced by an older copy (npm run restore). */
  ledgerGeneration(): Promise<string>;
  /** Whether any sale is booked (the shop's currency is fixed from then on). */
  hasSales(): Promise<boolean>;
  /** Records a cash refund unless it would take more than the sale's cash part or a limit (checked in the same transaction). */
  addCashRefund(refund: CashRefundRecord, limits: GiveBackLimits | undefined): Promise<CashRefundResult>;
  cashRefunds(saleId: string): Promise<CashRefundRecord[]>;
  /** Claims a card refund or a void against the limits, in one transaction; the same id again is 'ok'. */
  claimGiveBack(claim: GiveBackClaim, limits: GiveBackLimits | undefined): Promise<GiveBackResult>;
  /** The give-back did not happen (refused, declined, not voided): it no longer counts. */
  releaseGiveBack(id: string): Promise<void>;
  /** What a device may still give back against this sale and today, under its limits. */
  limitLeft(saleId: string | undefined, paymentRuid: string | undefined, actor: string, currency: string, limits: GiveBackLimits): Promise<{ saleCents: number; dayCents: number }>;
  /** The open period (no) or closed period no. */
  period(no?: number): Promise<LedgerPeriod>;
  /**
   * Closes the open period: its Z report (edge/core/day-close.ts) and the events it took are stored
   * together. Plain data in, so a store in another object (a Durable Object) can do it in one transaction.
   */
  closeDay(close: DayCloseInput): Promise<DayCloseRecord>;
  listDayCloses(): Promise<DayCloseRecord[]>;
  getDayClose(no: number): Promise<DayCloseRecord | undefined>;
}
