import type { NewSale } from '../../edge/core/ports.js';

/** A sale as the edge books it: one line of `cents` at 20 % VAT, paid as given (cash by default). */
export function ledgerSale(id: string, cents: number, paid: Partial<Pick<NewSale, 'cashKeptCents' | 'cardCents' | 'paymentRuid' | 'tid' | 'transport' | 'currency' | 'bookedBy' | 'bookedFor'>> = {}): NewSale {
  const cardCents = paid.cardCents ?? 0;
  const cashKeptCents = paid.cashKeptCents ?? cents - cardCents;
  return {
    id,
    lines: [{ name: 'Item', unitPriceCents: cents, quantity: 1, vatRateBp: 2000 }],
    discount: undefined,
    note: undefined,
    totalCents: cents,
    currency: paid.currency ?? 'EUR',
    cashKeptCents,
    cashTenderedCents: cashKeptCents,
    cardCents,
    paymentRuid: paid.paymentRuid,
    reference: undefined,
    createdAt: '2026-11-22T10:00:00.000Z',
    completedAt: '2026-11-22T10:00:00.000Z',
    receivedAt: '2026-11-22T10:00:01.000Z',
    tid: paid.tid,
    ...(paid.transport ? { transport: paid.transport } : {}),
    bookedBy: paid.bookedBy ?? 'admin',
    bookedFor: paid.bookedFor ?? ['*'],
  };
}
