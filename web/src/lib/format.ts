import { parseSignedAmount } from '../../../shared/money.js';
import { t } from './messages/index.svelte.js';
import { stored } from './platform/storage.js';

const formatters = new Map<string, Intl.NumberFormat>();

/** Integer cents to "€12.34" in the till's locale; the currency decides symbol and placement. */
export function formatMoney(cents: number, currency: string): string {
  const key = `${t.locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(t.locale, { style: 'currency', currency });
    formatters.set(key, formatter);
  }
  return formatter.format(cents / 100);
}

/** A wire amount ("23.45", "-1.00") on the screen. */
export function formatWireMoney(amount: string, currency: string): string {
  const cents = parseSignedAmount(amount);
  return cents.ok ? formatMoney(cents.value, currency) : amount;
}

/** A date and time as every screen of the till writes it. */
export function formatWhen(iso: string): string {
  return new Date(iso).toLocaleString(t.locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The shop's one currency (the edge's EDGE_SHOP_CURRENCY): the catalogue's prices are in it. Kept for offline use. */
export function storeCurrency(): string {
  return stored.shopCurrency.get() ?? 'EUR';
}

export function rememberStoreCurrency(currency: string): void {
  if (/^[A-Z]{3}$/.test(currency)) stored.shopCurrency.set(currency);
}
