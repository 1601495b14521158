import { expect } from 'vitest';
import { parseSignedAmount } from '../../shared/money.js';
import type { ZCurrencyFigures, ZReport } from '../../shared/z-report.js';

/** A report's wire amount in cents (negative allowed). */
export function cents(amount: string): number {
  const parsed = parseSignedAmount(amount);
  if (!parsed.ok) throw new Error(`not an amount: ${amount}`);
  return parsed.value;
}

export const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/**
 * net = gross − refunds − voids = cash + card + online = Σ terminals = Σ VAT rows, and each VAT row
 * adds up. A report zReport makes always has the online figures (only a Z closed before them lacks them).
 */
export function expectReconciled(f: ZCurrencyFigures): void {
  const net = cents(f.net);
  expect(f.online).toBeDefined();
  expect(f.onlineRefunds).toBeDefined();
  expect(net).toBe(cents(f.gross) - cents(f.refunds) - cents(f.voids));
  expect(cents(f.cash) + cents(f.card) + cents(f.online ?? 'x')).toBe(net);
  expect(cents(f.refunds)).toBe(cents(f.cashRefunds) + cents(f.cardRefunds) + cents(f.onlineRefunds ?? 'x'));
  expect(sum(f.byTerminal.map((row) => cents(row.net)))).toBe(net);
  expect(sum(f.byVatRate.map((row) => cents(row.gross)))).toBe(net);
  for (const row of f.byVatRate) expect(cents(row.vat) + cents(row.net)).toBe(cents(row.gross));
}

export function expectReportReconciled(report: ZReport): void {
  for (const figures of Object.values(report.byCurrency)) expectReconciled(figures);
}
