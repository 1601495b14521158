import { describe, expect, it } from 'vitest';
import { BarcodeWedge } from '../../web/src/lib/barcode-wedge.js';
import { parseMoneyInput, parsePercentInput } from '../../web/src/lib/money-input.js';

describe('the barcode scanner as keyboard', () => {
  it('takes a fast burst of digits ended by Enter as a scan, even after a person typed digits', () => {
    const wedge = new BarcodeWedge();
    wedge.key('1', 0);
    wedge.key('2', 400);
    const results = [...'4006381333931'].map((digit, index) => wedge.key(digit, 1000 + index * 5));
    expect(results.every((result) => result.kind === 'digit')).toBe(true);
    expect(wedge.key('Enter', 1070)).toEqual({ kind: 'scan', code: '4006381333931' });
  });

  it('does not take a person typing an amount, or a short code, as a scan', () => {
    const slow = new BarcodeWedge();
    [...'12345678'].forEach((digit, index) => slow.key(digit, index * 200));
    expect(slow.key('Enter', 1_600)).toEqual({ kind: 'other' });
    const short = new BarcodeWedge();
    [...'1234'].forEach((digit, index) => short.key(digit, index * 5));
    expect(short.key('Enter', 25)).toEqual({ kind: 'other' });
    const late = new BarcodeWedge();
    [...'40063813'].forEach((digit, index) => late.key(digit, index * 5));
    expect(late.key('Enter', 500)).toEqual({ kind: 'other' });
  });
});

describe('money and percent as typed', () => {
  it.each([
    ['20', 2000],
    ['20.5', 2050],
    ['20,50', 2050],
    [' 0.07 ', 7],
    ['', undefined],
    ['1.234', undefined],
    ['-1', undefined],
    ['1e3', undefined],
  ])('money %j -> %j', (text, cents) => expect(parseMoneyInput(text)).toBe(cents));

  it.each([
    ['10', 1000],
    ['12,5', 1250],
    ['100%', 10_000],
    ['100.01', undefined],
    ['x', undefined],
  ])('percent %j -> %j', (text, bp) => expect(parsePercentInput(text)).toBe(bp));
});
