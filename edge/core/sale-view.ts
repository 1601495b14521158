import { formatCents } from '../../shared/money.js';
import { paymentOperations } from '../../shared/operations.js';
import { isInFlight } from '../../shared/payments.js';
import { saleStatus, type SaleStatus, type SaleViewFields, type VoidRefusal } from '../../shared/sale-status.js';
import type { GiveBackLimits, LedgerStore, PaymentStore, StoredSale } from './ports.js';

// A sale as History and the sale view show it: what happened to it, what is left to give back of
// each tender, and whether a void of its card payment can succeed now. Codes and data only: the
// till owns the words.

export interface SaleView extends SaleViewFields {
  readonly sale: StoredSale;
}

export interface SaleSummary {
  readonly id: string;
  readonly receiptNo: number;
  readonly status: SaleStatus;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

async function settled(ledger: LedgerStore, payments: PaymentStore, sale: StoredSale) {
  const cashRefundedCents = sum((await ledger.cashRefunds(sale.id)).map((r) => r.cents));
  const payment = sale.paymentRuid ? (await payments.getPayment(sale.paymentRuid))?.payment : undefined;
  const linked = sale.paymentRuid ? await payments.linkedPayments(sale.paymentRuid) : [];
  const cardRefundedCents = sum(linked.filter((p) => p.kind === 'refund' && p.state === 'approved').map((p) => p.amountCents));
  const voidedCents = payment?.state === 'voided' ? sale.cardCents : 0;
  // Refunds being asked count too (as PaymentStore.refundedCents counts them): what no refund holds yet is left.
  const cardHeldCents = sum(linked.filter((p) => p.kind === 'refund' && (p.state === 'approved' || isInFlight(p.state))).map((p) => p.amountCents));
  return { payment, linked, cashRefundedCents, cardRefundedCents, cardHeldCents, voidedCents };
}

export async function saleSummary(ledger: LedgerStore, payments: PaymentStore, sale: StoredSale): Promise<SaleSummary> {
  const given = await settled(ledger, payments, sale);
  return { id: sale.id, receiptNo: sale.receiptNo, status: saleStatus(sale.totalCents, given) };
}

export async function saleView(ledger: LedgerStore, payments: PaymentStore, sale: StoredSale, actor: string, limits: GiveBackLimits | undefined): Promise<SaleView> {
  const given = await settled(ledger, payments, sale);
  const { payment } = given;
  const cashLeft = Math.max(sale.cashKeptCents - given.cashRefundedCents, 0);
  const cardLeft = payment?.state === 'approved' ? Math.max(sale.cardCents - given.cardHeldCents, 0) : 0;
  const left = limits ? await ledger.limitLeft(sale.id, sale.paymentRuid, actor, sale.currency, limits) : undefined;
  const limitLeftCents = left ? Math.max(Math.min(left.saleCents, left.dayCents), 0) : undefined;

  let voidRefusal: VoidRefusal | undefined;
  if (!payment || sale.cardCents === 0) voidRefusal = 'no_card';
  // A channel that does not void (a LAN terminal, a payment link): refunded instead.
  else if (!paymentOperations(payment).includes('void')) voidRefusal = 'not_supported';
  else if (payment.state !== 'approved') voidRefusal = 'not_approved';
  else if (given.cashRefundedCents > 0 || given.cardHeldCents > 0) voidRefusal = 'refunded';
  else if ((await payments.lastSettledOnTerminal(payment.tid))?.ruid !== payment.ruid) voidRefusal = 'not_last';
  else if (limitLeftCents !== undefined && payment.amountCents > limitLeftCents) voidRefusal = 'limit';

  return {
    sale,
    status: saleStatus(sale.totalCents, given),
    given: { cash: formatCents(given.cashRefundedCents), card: formatCents(given.cardRefundedCents), void: formatCents(given.voidedCents) },
    refundable: { cash: formatCents(cashLeft), card: formatCents(cardLeft) },
    voidable: voidRefusal === undefined,
    ...(voidRefusal ? { voidRefusal } : {}),
    ...(limitLeftCents !== undefined ? { limitLeft: formatCents(limitLeftCents) } : {}),
    cardRefunds: given.linked.filter((p) => p.kind === 'refund').map((p) => ({ ruid: p.ruid, amount: p.amount, state: p.state, at: p.updatedAt })),
  };
}
