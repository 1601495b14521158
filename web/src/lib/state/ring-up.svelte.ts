import { newRuid } from '../../../../shared/ruid.js';
import { cardAgain, cashInstead } from '../checkout/sale.js';
import type { LocalSale } from '../db/schema.js';
import { formatMoney } from '../format.js';
import { t } from '../messages/index.svelte.js';
import { ringUpCard, ringUpCash } from '../sync/till-sync.svelte.js';
import { freeAmountVatBp } from '../till-settings.js';
import { askRepeat } from './repeat-prompt.svelte.js';
import { navigate } from './route.svelte.js';
import { checkRepeat, rememberTerminal } from './terminals.svelte.js';

// The two ways a sale leaves the till, shared by the sale screen and the payment screen (which
// pays a declined sale again): each stores the sale on the device first, then the outbox sends it.

/** What the sale screen shows once a sale is done: the cash recorded and the change to give. */
export const lastSale = $state<{ notice: string; change: { cents: number; tenderedCents: number; currency: string } | undefined; cashSaleId: string | undefined }>({
  notice: '',
  change: undefined,
  cashSaleId: undefined,
});

export type Outcome = 'sent' | 'not_sent';

/**
 * Charges a card sale: asks first when the same amount was approved on that terminal moments ago,
 * stores it, then opens its payment screen. Throws when the device could not store it.
 */
export async function chargeCard(sale: LocalSale): Promise<Outcome> {
  const tid = sale.tid ?? '';
  const warning = await checkRepeat(tid, sale.cardCents ?? sale.amountCents);
  if (warning && !(await askRepeat(warning, sale.currency))) return 'not_sent';
  rememberTerminal(tid);
  await ringUpCard(sale);
  navigate({ name: 'payment', ruid: sale.id });
  return 'sent';
}

/**
 * A sale the customer pays on their own phone (channel 'checkout'): stored and queued exactly as a
 * card sale (its RUID before any request), then its screen shows the QR code and the link. No
 * "charge again?": each link is its own payment, paid once by whoever opens it.
 */
export async function payByLink(sale: LocalSale): Promise<Outcome> {
  await ringUpCard(sale);
  navigate({ name: 'payment', ruid: sale.id });
  return 'sent';
}

/** Records a cash sale (complete at once); the sale screen shows the change, full screen. */
export async function recordCash(sale: LocalSale): Promise<void> {
  await ringUpCash(sale);
  const given = (sale.cashTenderedCents ?? sale.amountCents) - sale.amountCents;
  lastSale.notice = t.sale.cashRecorded(formatMoney(sale.amountCents, sale.currency));
  lastSale.change = given > 0 ? { cents: given, tenderedCents: sale.cashTenderedCents ?? 0, currency: sale.currency } : undefined;
  lastSale.cashSaleId = sale.id;
}

/** The card did not pay: the same cart as cash (exact, or what was handed over), then the sale screen (with the change, if any). */
export async function takeCashInstead(unpaid: LocalSale, shopCurrency: string, cashReceivedCents?: number): Promise<void> {
  await recordCash(cashInstead(unpaid, freeAmountVatBp(), { id: newRuid(), now: new Date().toISOString(), currency: shopCurrency }, cashReceivedCents));
  navigate({ name: 'sale' });
}

/** The card did not pay: the same cart on the same terminal (or a new link), a new payment with a new RUID. */
export function tryCardAgain(unpaid: LocalSale): Promise<Outcome> {
  const again = cardAgain(unpaid, freeAmountVatBp(), { id: newRuid(), now: new Date().toISOString() });
  return again.channel === 'checkout' ? payByLink(again) : chargeCard(again);
}

export function clearLastSale(): void {
  lastSale.notice = '';
  lastSale.change = undefined;
  lastSale.cashSaleId = undefined;
}
