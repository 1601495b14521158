import { describe, expect, it } from 'vitest';
import { checkDeviceName, checkProductInput, checkShopInput } from '../../shared/api.js';
import { FIELD_RULES } from '../../shared/reasons.js';
import { checkSaleInput, type SaleBody } from '../../shared/sale-check.js';
import { checkPlainText, unsafeCharacter } from '../../shared/validation.js';

// One validator for names and free text: no control characters, no bidirectional marks or
// overrides, no zero-width characters. Every place a person types a name or a note uses it.

/** Each refused character, by name, inside an otherwise good name. */
const REFUSED: ReadonlyArray<[string, string]> = [
  ['NUL', '\u0000'],
  ['TAB', '\t'],
  ['LF', '\n'],
  ['CR', '\r'],
  ['ESC', '\u001B'],
  ['DEL', '\u007F'],
  ['C1 NEL', '\u0085'],
  ['C1 CSI', '\u009B'],
  ['ARABIC LETTER MARK', '\u061C'],
  ['ZERO WIDTH SPACE', '\u200B'],
  ['ZERO WIDTH NON-JOINER', '\u200C'],
  ['ZERO WIDTH JOINER', '\u200D'],
  ['LEFT-TO-RIGHT MARK', '\u200E'],
  ['RIGHT-TO-LEFT MARK', '\u200F'],
  ['LEFT-TO-RIGHT EMBEDDING', '\u202A'],
  ['RIGHT-TO-LEFT EMBEDDING', '\u202B'],
  ['POP DIRECTIONAL FORMATTING', '\u202C'],
  ['LEFT-TO-RIGHT OVERRIDE', '\u202D'],
  ['RIGHT-TO-LEFT OVERRIDE', '\u202E'],
  ['LINE SEPARATOR', '\u2028'],
  ['PARAGRAPH SEPARATOR', '\u2029'],
  ['WORD JOINER', '\u2060'],
  ['LEFT-TO-RIGHT ISOLATE', '\u2066'],
  ['RIGHT-TO-LEFT ISOLATE', '\u2067'],
  ['FIRST STRONG ISOLATE', '\u2068'],
  ['POP DIRECTIONAL ISOLATE', '\u2069'],
  ['ZERO WIDTH NO-BREAK SPACE (BOM)', '\uFEFF'],
  ['lone high surrogate', '\uD83D'],
  ['lone low surrogate', '\uDE00'],
];

/** What a shop types every day, in its languages: all allowed. */
const ALLOWED = ['Front till', 'Каса 1', 'Café crème', 'Ψωμί & τυρί', 'קפה', 'قهوة', '咖啡 (大)', 'Tom’s №2 – 50%', 'Pâte à choux', 'Coffee 😀', 'non\u00A0breaking'];

describe('checkPlainText', () => {
  it.each(REFUSED)('refuses %s, naming the field, the rule and the character', (_name, char) => {
    const result = checkPlainText(`Coffee${char}Shop`, 'name');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatchObject({ field: 'name', rule: 'plain_text' });
      expect(result.error.message).toContain(`U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`);
    }
  });

  it.each(ALLOWED)('accepts %j', (text) => {
    expect(checkPlainText(text, 'name')).toEqual({ ok: true, value: text });
  });

  it('multi-line text keeps its line feeds, nothing else', () => {
    expect(checkPlainText('1 Main St\nSofia 1000', 'address', { multiline: true }).ok).toBe(true);
    expect(unsafeCharacter('1 Main St\r\nSofia', true)).toBe('U+000D');
    expect(unsafeCharacter('1 Main St\n\u202ESofia', true)).toBe('U+202E');
    expect(unsafeCharacter('a\nb')).toBe('U+000A');
  });

  it('its rule is a field rule the till words', () => {
    expect(FIELD_RULES).toContain('plain_text');
  });
});

const product = { name: 'Coffee', price: '3.50', vatRate: '20' };
const sale = (change: (body: SaleBody) => SaleBody): SaleBody =>
  change({ lines: [{ name: 'Item', unitPrice: '2.00', quantity: 1, vatRate: '20' }], total: '2.00', currency: 'EUR', cash: { kept: '2.00', tendered: '2.00' }, createdAt: '2026-05-01T10:00:00.000Z', completedAt: '2026-05-01T10:00:00.000Z' });
const refusal = (result: { ok: boolean; error?: unknown }) => (result.ok ? undefined : result.error);

describe('every name and free text uses it', () => {
  it('device names (pairing and renaming)', () => {
    expect(checkDeviceName('  Front till  ')).toEqual({ ok: true, value: 'Front till' });
    expect(refusal(checkDeviceName('Till\u202Egnp.exe'))).toMatchObject({ field: 'name', rule: 'plain_text' });
    expect(refusal(checkDeviceName('Admin\u200B'))).toMatchObject({ field: 'name', rule: 'plain_text' });
    expect(refusal(checkDeviceName('Front\ttill'))).toMatchObject({ rule: 'plain_text' });
    expect(refusal(checkDeviceName(''))).toMatchObject({ rule: 'length' });
  });

  it('product names and categories', () => {
    expect(checkProductInput('P-1', { ...product, category: 'Drinks' }, '').ok).toBe(true);
    expect(refusal(checkProductInput('P-1', { ...product, name: 'Cof\u0000fee' }, ''))).toMatchObject({ field: 'name', rule: 'plain_text' });
    expect(refusal(checkProductInput('P-1', { ...product, name: 'Coffee\u2067' }, ''))).toMatchObject({ field: 'name', rule: 'plain_text' });
    expect(refusal(checkProductInput('P-1', { ...product, category: 'Drinks\u200D' }, ''))).toMatchObject({ field: 'category', rule: 'plain_text' });
  });

  it('sale line names, line notes and the sale note', () => {
    expect(checkSaleInput('S-1', sale((body) => body)).ok).toBe(true);
    expect(checkSaleInput('S-1', sale((body) => ({ ...body, note: 'Table 4', lines: body.lines.map((line) => ({ ...line, note: 'no sugar' })) }))).ok).toBe(true);
    expect(refusal(checkSaleInput('S-1', sale((body) => ({ ...body, lines: body.lines.map((line) => ({ ...line, name: 'Item\u001B[31m' })) }))))).toMatchObject({ field: 'lines[0].name', rule: 'plain_text' });
    expect(refusal(checkSaleInput('S-1', sale((body) => ({ ...body, lines: body.lines.map((line) => ({ ...line, note: 'no\u200Bsugar' })) }))))).toMatchObject({ field: 'lines[0].note', rule: 'plain_text' });
    expect(refusal(checkSaleInput('S-1', sale((body) => ({ ...body, note: 'paid\u202Ein full' }))))).toMatchObject({ field: 'note', rule: 'plain_text' });
  });

  it('the shop name and address (an address keeps its line feeds)', () => {
    const shop = { name: 'Corner shop', currency: 'EUR', freeAmountVat: '20' };
    expect(checkShopInput({ ...shop, address: '1 Main St\nSofia' }, '').ok).toBe(true);
    expect(refusal(checkShopInput({ ...shop, name: 'Corner\nshop' }, ''))).toMatchObject({ field: 'name', rule: 'plain_text' });
    expect(refusal(checkShopInput({ ...shop, address: '1 Main St\n\u202ESofia' }, ''))).toMatchObject({ field: 'address', rule: 'plain_text' });
    expect(refusal(checkShopInput({ ...shop, address: '1 Main St\r\nSofia' }, ''))).toMatchObject({ field: 'address', rule: 'plain_text' });
  });
});
