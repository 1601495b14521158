import { t } from './messages/index.svelte.js';

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

/** The shop's currency: the first terminal's (products carry no currency of their own). */
export function storeCurrency(): string {
  try {
    const terminals = JSON.parse(localStorage.getItem('till.terminals') ?? '[]') as Array<{ currency?: string }>;
    return terminals[0]?.currency ?? 'EUR';
  } catch {
    return 'EUR';
  }
}
