import type { Discount } from '../../../shared/cart.js';
import { priceCart } from '../../../shared/cart.js';
import type { Payment } from '../../../shared/payments.js';
import type { SaleLine } from '../../../shared/sale.js';
import type { LocalSale } from './db/schema.js';
import { amountLine } from './sale-parts.js';
import { storedPer } from './platform/storage.js';
import { freeAmountVatBp } from './till-settings.js';

// A pre-authorisation holds money for a basket that is paid later. The basket is kept on this
// device with the hold, so that its completion is booked with its lines (or, when a different
// amount is charged, as one amount line).

export interface PreauthBasket {
  readonly lines: readonly SaleLine[];
  readonly discount: Discount | undefined;
  readonly note: string;
}

export function keepBasket(preauthRuid: string, basket: PreauthBasket): void {
  storedPer.preauthBasket(preauthRuid).set(basket);
}

function basketOf(preauthRuid: string): PreauthBasket | undefined {
  return storedPer.preauthBasket(preauthRuid).get();
}

/** The ledger sale of an approved completion: the held basket if the whole of it was charged. */
export function completionSale(completion: Payment, lineName: string): LocalSale {
  const basket = completion.originalRuid ? basketOf(completion.originalRuid) : undefined;
  const whole = basket !== undefined && priceCart(basket.lines, basket.discount).totalCents === completion.amountCents;
  return {
    id: completion.ruid,
    tender: 'card',
    tid: completion.tid,
    currency: completion.currency,
    amountCents: completion.amountCents,
    lines: whole ? basket.lines : [amountLine(completion.amountCents, freeAmountVatBp(), lineName)],
    discount: whole ? basket.discount : undefined,
    note: whole ? basket.note || undefined : undefined,
    cashKeptCents: 0,
    cashTenderedCents: 0,
    cardCents: completion.amountCents,
    // A plain copy: the payment on the screen is reactive state, which IndexedDB cannot clone.
    reference: completion.reference ? { number: completion.reference.number, type: completion.reference.type } : undefined,
    createdAt: completion.createdAt,
    completedAt: completion.updatedAt,
    paymentState: 'approved',
    sync: 'pending',
    message: undefined,
  };
}
