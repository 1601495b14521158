import type { Discount } from '../../../../shared/cart.js';
import { priceCart } from '../../../../shared/cart.js';
import type { SaleLine } from '../../../../shared/sale.js';
import { splitTender } from '../../../../shared/tenders.js';
import type { PaymentReference } from '../../../../shared/validation.js';
import type { LocalSale } from '../db/schema.js';
import { saleParts } from '../sale-parts.js';

// A cart becoming a sale record: the record is made here, once, with its id (the RUID of its card
// payment), and stored on the device before any request. Pure: the caller gives the id and the time.

export interface SaleDraft {
  readonly lines: readonly SaleLine[];
  readonly discount: Discount | undefined;
  readonly note: string;
  /** The cash received, when the cashier typed it (a card sale's cash part; a cash sale's change). */
  readonly cashReceivedCents: number | undefined;
  readonly reference: PaymentReference | undefined;
}

export interface Made {
  readonly id: string;
  /** ISO time of the sale. */
  readonly now: string;
  readonly currency: string;
}

function record(draft: SaleDraft, tender: 'card' | 'cash', made: Made, tid: string | undefined, channel?: 'checkout'): LocalSale {
  const total = priceCart(draft.lines, draft.discount).totalCents;
  const paid = splitTender(total, draft.cashReceivedCents, tender);
  return {
    id: made.id,
    tender,
    tid,
    currency: made.currency,
    amountCents: total,
    // Plain copies: IndexedDB cannot store reactive proxies.
    lines: draft.lines.map((line) => ({ ...line })),
    discount: draft.discount ? { ...draft.discount } : undefined,
    note: draft.note.trim() || undefined,
    cashKeptCents: paid.cashKeptCents,
    cashTenderedCents: paid.cashTenderedCents,
    cardCents: paid.cardCents,
    ...(channel ? { channel } : {}),
    reference: draft.reference,
    createdAt: made.now,
    completedAt: tender === 'cash' ? made.now : undefined,
    paymentState: undefined,
    sync: 'none',
    message: undefined,
  };
}

/**
 * A card sale about to be charged on `tid`: the cash received pays first, the card the rest. With
 * channel 'checkout' the customer pays the card part on their own phone (a QR code or a link).
 */
export function startPayment(draft: SaleDraft, made: Made & { readonly tid: string; readonly channel?: 'checkout' | undefined }): LocalSale {
  return record(draft, 'card', made, made.tid, made.channel);
}

/** A sale paid in cash, complete at once (the change is what was received above the total). */
export function completeSale(draft: SaleDraft, made: Made): LocalSale {
  if (draft.cashReceivedCents !== undefined && draft.cashReceivedCents < priceCart(draft.lines, draft.discount).totalCents) throw new RangeError('the cash received is less than the total');
  return record(draft, 'cash', made, undefined);
}

/** The cart of a sale that was stored, to pay it again another way. */
export function draftOf(sale: LocalSale, freeAmountVatBp: number): SaleDraft {
  const parts = saleParts(sale, freeAmountVatBp);
  return { lines: parts.lines, discount: parts.discount, note: parts.note ?? '', cashReceivedCents: undefined, reference: sale.reference };
}

/** The card did not pay: the same cart, all of it in cash (exact, or what was handed over: the rest is change), as a new sale. */
export function cashInstead(unpaid: LocalSale, freeAmountVatBp: number, made: Made, cashReceivedCents?: number): LocalSale {
  return completeSale({ ...draftOf(unpaid, freeAmountVatBp), cashReceivedCents }, made);
}

/** The card did not pay: the same cart and split on the same terminal (or a new link), as a new payment with a new RUID. */
export function cardAgain(unpaid: LocalSale, freeAmountVatBp: number, made: Omit<Made, 'currency'>): LocalSale {
  const parts = saleParts(unpaid, freeAmountVatBp);
  const draft = { ...draftOf(unpaid, freeAmountVatBp), cashReceivedCents: parts.cashKeptCents > 0 ? parts.cashTenderedCents : undefined };
  return startPayment(draft, { ...made, currency: unpaid.currency, tid: unpaid.tid ?? '', channel: unpaid.channel });
}

/** Whether a sale's card part did not pay and the sale can be paid again another way. */
export function canPayAgain(sale: LocalSale | undefined): sale is LocalSale {
  if (!sale || sale.tender !== 'card' || sale.lines === undefined) return false;
  return ['declined', 'failed', 'cancelled', 'expired', 'withdrawn', 'rejected'].includes(sale.paymentState ?? '');
}
