/// <reference types="svelte" />
// (receipt-text.ts reaches the till's reactive state, a .svelte.ts module: its runes typed here; mocked below at run time.)
import { describe, expect, it, vi } from 'vitest';
import type { SaleView } from '../../web/src/lib/api.js';
import type { LocalSale } from '../../web/src/lib/db/schema.js';
import { localFromLedger } from '../../web/src/lib/ledger-sale.js';
import { bg } from '../../web/src/lib/messages/bg.js';
import { en } from '../../web/src/lib/messages/en.js';
import { cardTender, receiptModel, receiptText } from '../../web/src/lib/receipt-text.js';

// A sale whose card part was paid by link (myPOS Online Checkout) says so on its receipt, as the
// day's books count it (the online tender), in both languages; a terminal's card stays "Card".
// Another till's link sale, opened from the edge, reads the same.

// The formats read the reactive language state (a .svelte.ts module, for the browser): plain ones here.
vi.mock('../../web/src/lib/format.js', () => ({
  formatMoney: (cents: number, currency: string) => `${(cents / 100).toFixed(2)} ${currency}`,
  formatDay: (value: string) => value,
  formatRate: (rateBp: number) => String(rateBp / 100),
  formatWhen: (value: string) => value,
}));

const AT = '2026-12-02T10:00:00.000Z';
const sale = (extra: Partial<LocalSale> = {}): LocalSale => ({
  id: 'S-1',
  tender: 'card',
  tid: 'ONLINE01',
  currency: 'EUR',
  amountCents: 1230,
  lines: [{ name: 'Espresso', unitPriceCents: 1230, quantity: 1, vatRateBp: 2000 }],
  cashKeptCents: 0,
  cashTenderedCents: 0,
  cardCents: 1230,
  reference: undefined,
  createdAt: AT,
  completedAt: AT,
  paymentState: 'approved',
  sync: 'synced',
  message: undefined,
  ...extra,
});

describe('the card part of a receipt', () => {
  it('reads "Paid by link" for a link sale, in English and Bulgarian', () => {
    const model = receiptModel(sale({ channel: 'checkout' }), undefined);
    expect(model.byLink).toBe(true);
    expect([cardTender(model, en), cardTender(model, bg)]).toEqual(['Paid by link', 'Платено с линк']);
    const text = receiptText(model, en);
    expect(text).toContain('Paid by link: 12.30 EUR');
    expect(text).not.toContain('Card:');
  });

  it('reads "Card" for a terminal\'s card, alone or beside cash', () => {
    const model = receiptModel(sale({ tid: '90000015', cashKeptCents: 500, cashTenderedCents: 500, cardCents: 730 }), undefined);
    expect(model.byLink).toBe(false);
    const text = receiptText(model, en);
    expect(text).toContain('Card: 7.30 EUR');
    expect(text).toContain('Cash: 5.00 EUR');
    expect(text).not.toContain('Paid by link');
  });
});

describe('another till\'s sale, from the edge', () => {
  const booked = (transport: 'online' | 'cloud' | undefined): SaleView['sale'] => ({
    id: 'S-2',
    lines: [{ name: 'Espresso', unitPriceCents: 1230, quantity: 1, vatRateBp: 2000 }],
    discount: undefined,
    note: undefined,
    totalCents: 1230,
    currency: 'EUR',
    cashKeptCents: 0,
    cashTenderedCents: 0,
    cardCents: 1230,
    paymentRuid: 'S-2',
    reference: undefined,
    createdAt: AT,
    completedAt: AT,
    receiptNo: 7,
    tid: transport === 'online' ? 'ONLINE01' : '90000015',
    ...(transport ? { transport } : {}),
  });

  it('is a link sale when its card payment went by link, and a terminal\'s otherwise (or when the edge did not record it)', () => {
    expect(localFromLedger(booked('online')).channel).toBe('checkout');
    expect(localFromLedger(booked('cloud')).channel).toBeUndefined();
    expect(localFromLedger(booked(undefined)).channel).toBeUndefined();
    expect(receiptText(receiptModel(localFromLedger(booked('online')), undefined), bg)).toContain('Платено с линк: 12.30 EUR');
  });
});
