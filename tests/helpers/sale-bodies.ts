import type { SaleBody } from '../../shared/sale-check.js';

const AT = '2026-11-22T10:00:00.000Z';

/** One line of `amount` at 20 % VAT, paid in cash. */
export function cashSale(amount = '12.00', tendered = amount): SaleBody {
  return { lines: [{ name: 'Item', unitPrice: amount, quantity: 1, vatRate: '20' }], total: amount, currency: 'EUR', cash: { kept: amount, tendered }, createdAt: AT, completedAt: AT };
}

/** One line of `amount`, `cardAmount` of it by the card payment `ruid`, the rest in cash. */
export function cardSale(amount: string, ruid: string, cardAmount = amount): SaleBody {
  const cash = Math.round(Number(amount) * 100) - Math.round(Number(cardAmount) * 100);
  const kept = `${Math.trunc(cash / 100)}.${String(cash % 100).padStart(2, '0')}`;
  return {
    lines: [{ name: 'Item', unitPrice: amount, quantity: 1, vatRate: '20' }],
    total: amount,
    currency: 'EUR',
    ...(cash > 0 ? { cash: { kept, tendered: kept } } : {}),
    card: { amount: cardAmount, ruid },
    createdAt: AT,
    completedAt: AT,
  };
}
