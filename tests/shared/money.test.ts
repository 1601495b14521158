import { describe, expect, it } from 'vitest';
import { checkAmountCents, formatCents, parseAmount, parseAmountWithinCap } from '../../shared/money.js';

describe('money', () => {
  it('parses the wire format into integer cents', () => {
    expect(parseAmount('23.45')).toEqual({ ok: true, value: 2345 });
    expect(parseAmount('0.01')).toEqual({ ok: true, value: 1 });
    expect(parseAmount('23.40')).toEqual({ ok: true, value: 2340 });
    expect(parseAmount('9999.99')).toEqual({ ok: true, value: 999_999 });
  });

  it.each(['12,50', '-1', '-1.00', '0.001', '12.5', '12', '1e3', ' 1.00', '1.00 ', '01.00', '', '1.0O', '+1.00', '١.٠٠'])('refuses "%s" naming the field and the rule', (text) => {
    const result = parseAmount(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.field).toBe('amount');
      expect(result.error.rule).toBe('format');
      expect(result.error.message).toContain('two decimals');
    }
  });

  it('applies the cap, default 9999.99, and a configured one', () => {
    const over = parseAmountWithinCap('10000.00');
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.error).toMatchObject({ field: 'amount', rule: 'max' });
    expect(parseAmountWithinCap('10000.00', 2_000_000)).toEqual({ ok: true, value: 1_000_000 });
    expect(parseAmountWithinCap('0.00').ok).toBe(false);
  });

  it('refuses cents that are not positive safe integers', () => {
    expect(checkAmountCents(12.5).ok).toBe(false);
    expect(checkAmountCents(-1).ok).toBe(false);
    expect(checkAmountCents(0).ok).toBe(false);
    expect(checkAmountCents(Number.NaN).ok).toBe(false);
  });

  it('formats cents back to the wire format, round-tripping every value', () => {
    expect(formatCents(2345)).toBe('23.45');
    expect(formatCents(5)).toBe('0.05');
    expect(formatCents(100)).toBe('1.00');
    expect(formatCents(-250)).toBe('-2.50');
    for (let cents = 1; cents < 100_000; cents += 97) {
      expect(parseAmount(formatCents(cents))).toEqual({ ok: true, value: cents });
    }
    expect(() => formatCents(1.5)).toThrow(RangeError);
  });
});
