import { accept, refuse, type Checked } from './result.js';

/** Money in code is always an integer number of minor units (cents). */
export type Cents = number;

/** N(6,2) in the myPOS method tables: at most 9999.99. */
export const DEFAULT_AMOUNT_CAP_CENTS: Cents = 999_999;

// Exactly two decimals and a dot: the wire format of every myPOS amount. No sign, no exponent,
// no thousands separator, no leading zeros ("007.00" is refused so that one amount has one spelling).
const WIRE_AMOUNT = /^(0|[1-9][0-9]{0,11})\.([0-9]{2})$/;

/** Parses "23.45" into 2345. Syntax only; limits are checked by {@link checkAmountCents}. */
export function parseAmount(text: string, field = 'amount'): Checked<Cents> {
  const match = WIRE_AMOUNT.exec(text);
  if (!match) {
    return refuse(field, 'format', `${field} must be a number with a dot and exactly two decimals, like 23.45 (got "${printable(text)}")`);
  }
  return accept(Number(match[1]) * 100 + Number(match[2]));
}

/** Checks a cents value against the positive-amount rule and the configured cap. */
export function checkAmountCents(cents: Cents, capCents: Cents = DEFAULT_AMOUNT_CAP_CENTS, field = 'amount'): Checked<Cents> {
  if (!Number.isSafeInteger(cents)) return refuse(field, 'integer_cents', `${field} must be a whole number of cents`);
  if (cents <= 0) return refuse(field, 'positive', `${field} must be greater than 0.00`);
  if (cents > capCents) return refuse(field, 'max', `${field} must be at most ${formatCents(capCents)}`);
  return accept(cents);
}

/** Parses and checks an amount as it arrives from a person or a client. */
export function parseAmountWithinCap(text: string, capCents: Cents = DEFAULT_AMOUNT_CAP_CENTS, field = 'amount'): Checked<Cents> {
  const parsed = parseAmount(text, field);
  return parsed.ok ? checkAmountCents(parsed.value, capCents, field) : parsed;
}

/** "-23.45" or "23.45" -> cents: report figures may be negative (a day whose give-backs outweigh its sales). */
export function parseSignedAmount(text: string, field = 'amount'): Checked<Cents> {
  const negative = text.startsWith('-');
  const parsed = parseAmount(negative ? text.slice(1) : text, field);
  return parsed.ok && negative ? accept(-parsed.value) : parsed;
}

/** 2345 -> "23.45": the wire format. Screens use Intl.NumberFormat on top of this. */
export function formatCents(cents: Cents): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError('formatCents needs an integer number of cents');
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function printable(text: string): string {
  return text.length > 20 ? `${text.slice(0, 20)}…` : text;
}
