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

const rates = new Map<string, Intl.NumberFormat>();

/** A VAT rate in basis points (950) as every screen writes it: "9.5" in English, "9,5" in Bulgarian. */
export function formatRate(bp: number): string {
  let formatter = rates.get(t.locale);
  if (!formatter) {
    formatter = new Intl.NumberFormat(t.locale, { maximumFractionDigits: 2 });
    rates.set(t.locale, formatter);
  }
  return formatter.format(bp / 100);
}

/** A wire amount ("23.45", "-1.00") on the screen. */
export function formatWireMoney(amount: string, currency: string): string {
  const cents = parseSignedAmount(amount);
  return cents.ok ? formatMoney(cents.value, currency) : amount;
}

const dateTimes = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const cacheKey = `${t.locale}|${key}`;
  let format = dateTimes.get(cacheKey);
  if (!format) {
    format = new Intl.DateTimeFormat(t.locale, options);
    dateTimes.set(cacheKey, format);
  }
  return format;
}

/** A date and time as every screen of the till writes it (receipts too). */
export function formatWhen(iso: string): string {
  return dateTimeFormat('when', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** A calendar day ("2026-11-22", as myPOS and <input type=date> spell it) as every screen writes it; anything else as it is. */
export function formatDay(day: string): string {
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(day);
  if (!match) return day;
  return dateTimeFormat('day', { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}

/** A time of today as every screen writes it ("14:05"): when a payment started, until when a code is valid. */
export function formatTime(iso: string): string {
  return dateTimeFormat('time', { timeStyle: 'short' }).format(new Date(iso));
}

/** The shop's one currency (the edge's EDGE_SHOP_CURRENCY): the catalogue's prices are in it. Kept for offline use. */
export function storeCurrency(): string {
  return stored.shopCurrency.get() ?? 'EUR';
}

export function rememberStoreCurrency(currency: string): void {
  if (/^[A-Z]{3}$/.test(currency)) stored.shopCurrency.set(currency);
}
