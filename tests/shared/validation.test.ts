import { describe, expect, it } from 'vitest';
import { checkCurrency, checkReference, checkReferenceNumber, checkRuid, checkTid } from '../../shared/validation.js';

describe('validators', () => {
  it('tid: exactly 8 letters or digits', () => {
    expect(checkTid('90000015').ok).toBe(true);
    expect(checkTid('TERM0015').ok).toBe(true);
    for (const bad of ['9000001', '900000155', '9000-015', '', '9000001 ']) {
      const result = checkTid(bad);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatchObject({ field: 'tid', rule: 'an8' });
    }
  });

  it('currency: 3 uppercase letters', () => {
    expect(checkCurrency('EUR').ok).toBe(true);
    for (const bad of ['eur', 'EU', 'EURO', '978']) expect(checkCurrency(bad).ok).toBe(false);
  });

  it('reference number: 1 to 50 printable ASCII characters without markup', () => {
    expect(checkReferenceNumber('Inv 12345/A-7').ok).toBe(true);
    expect(checkReferenceNumber('x'.repeat(50)).ok).toBe(true);
    const long = checkReferenceNumber('x'.repeat(51));
    expect(long.ok ? undefined : long.error).toMatchObject({ field: 'reference.number', rule: 'length' });
    const nonAscii = checkReferenceNumber('Фактура 12');
    expect(nonAscii.ok ? undefined : nonAscii.error).toMatchObject({ rule: 'ascii' });
    for (const markup of ['A&B', 'a<b', 'a>b']) {
      const result = checkReferenceNumber(markup);
      expect(result.ok ? undefined : result.error).toMatchObject({ rule: 'no_markup' });
    }
    expect(checkReferenceNumber('tab\there').ok).toBe(false);
  });

  it('reference type: 1 to 4', () => {
    expect(checkReference({ number: 'Inv1', type: '2' })).toEqual({ ok: true, value: { number: 'Inv1', type: '2' } });
    const zero = checkReference({ number: 'Inv1', type: '0' });
    expect(zero.ok ? undefined : zero.error).toMatchObject({ field: 'reference.type', rule: 'enum' });
  });

  it('ruid: 1 to 255 characters', () => {
    expect(checkRuid('a'.repeat(255)).ok).toBe(true);
    expect(checkRuid('a'.repeat(256)).ok).toBe(false);
    expect(checkRuid('').ok).toBe(false);
  });
});
