import { describe, expect, it } from 'vitest';
import type { Product } from '../../shared/api.js';
import { detectDelimiter, importBody, importTarget, readProductCsv, splitCsv, type CsvRow } from '../../web/src/lib/catalogue-csv.js';
import { en } from '../../web/src/lib/messages/en.js';
import { bg } from '../../web/src/lib/messages/bg.js';

// The catalogue's CSV import, read in the browser before anything is sent: each bad row named with
// its line and field, the good ones as the bodies PUT /api/products/:id takes.

function rows(text: string): readonly CsvRow[] {
  const reading = readProductCsv(text);
  if (!reading.ok) throw new Error(`not read: ${reading.error}`);
  return reading.rows;
}

const product = (extra: Partial<Product>): Product => ({
  id: 'X',
  name: 'X',
  priceCents: 100,
  vatRateBp: 2000,
  category: '',
  barcode: undefined,
  active: true,
  sortOrder: 1,
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

describe('reading a CSV of products', () => {
  it('reads a header in any order, quotes, commas and quotes in names, and a CRLF file with a BOM', () => {
    const text = '\uFEFFbarcode,Name,Price,VAT,Category\r\n4006381333931,"Coffee, large",3.5,20,Drinks\r\n,"The ""Best"" Cake",4,9%,\r\n';
    const read = rows(text);
    expect(read.map((row) => [row.line, row.problems, row.body])).toEqual([
      [2, [], { name: 'Coffee, large', price: '3.50', vatRate: '20', category: 'Drinks', barcode: '4006381333931' }],
      [3, [], { name: 'The "Best" Cake', price: '4.00', vatRate: '9', category: '' }],
    ]);
  });

  it('reads a file without a header in the order name, price, VAT, category, barcode; blank lines are skipped', () => {
    const read = rows('Espresso,2.40,20,Drinks\n\nAtlas of Bulgaria,15.00,9,Books,9789543651234\n');
    expect(read.map((row) => row.body?.name)).toEqual(['Espresso', 'Atlas of Bulgaria']);
    expect(read[1]?.line).toBe(3);
    expect(read[1]?.body?.barcode).toBe('9789543651234');
  });

  it('takes a line break inside quotes as part of the name and counts lines right after it', () => {
    const read = rows('name,price,vat\n"Two\nlines",1.00,20\nTea,2.00,20\n');
    expect(read.map((row) => [row.line, row.values.name])).toEqual([
      [2, 'Two\nlines'],
      [4, 'Tea'],
    ]);
  });

  it('refuses a decimal comma with a clear message: split by the comma, quoted, or in a semicolon file', () => {
    const [split] = rows('name,price,vat\nEspresso,2,40,20\n');
    expect(split?.problems).toEqual([{ code: 'decimal_comma', field: 'price', value: '2,40' }]);
    expect(split?.body).toBeUndefined();
    // The same number of fields as columns: the row read as written is wrong, joined again it is right.
    const [shifted] = rows('name,price,vat,category,barcode\nLemonade,2,50,20,Drinks\n');
    expect(shifted?.problems).toEqual([{ code: 'decimal_comma', field: 'price', value: '2,50' }]);
    const [quoted] = rows('name,price,vat\nEspresso,"2,40",20\n');
    expect(quoted?.problems).toEqual([{ code: 'decimal_comma', field: 'price', value: '2,40' }]);
    const [semicolon] = rows('name;price;vat\nEspresso;2,40;9,5\n');
    expect(semicolon?.problems.map((problem) => [problem.code, problem.field])).toEqual([
      ['decimal_comma', 'price'],
      ['decimal_comma', 'vat'],
    ]);
    expect(en.csvImport.problem(semicolon!.problems[0]!)).toBe('price: “2,40” has a decimal comma — use a dot, like 2.40.');
    expect(bg.csvImport.problem(semicolon!.problems[0]!)).toContain('2.40');
  });

  it('names a bad VAT, a bad price, a missing name and a bad barcode, each with its field', () => {
    const read = rows('name,price,vat,category,barcode\nTea,2.00,120\nCake,abc,9\n,1.00,20\nWater,1.00,20,,12AB\nJuice,1.00,\n');
    expect(read.map((row) => row.problems.map((problem) => `${problem.field}:${problem.code}`))).toEqual([['vat:vat'], ['price:price'], ['name:required'], ['barcode:barcode'], ['vat:required']]);
    expect(en.csvImport.problem(read[0]!.problems[0]!)).toBe('VAT: “120” is not a rate from 0 to 99.99, like 20 or 9.5.');
    expect(read.every((row) => row.body === undefined)).toBe(true);
  });

  it('refuses a barcode (or, without one, a name) that appears twice, naming the first line', () => {
    const read = rows('name,price,vat,category,barcode\nCoffee,3.00,20,,4006381333931\nTea,2.00,20,,4006381333931\nCake,4.00,9\ncake,4.50,9\n');
    expect(read[0]?.problems).toEqual([]);
    expect(read[1]?.problems).toEqual([{ code: 'duplicate_barcode', field: 'barcode', value: '4006381333931', firstLine: 2 }]);
    expect(read[3]?.problems).toEqual([{ code: 'duplicate_name', field: 'name', value: 'cake', firstLine: 4 }]);
    expect(en.csvImport.problem(read[1]!.problems[0]!)).toBe('barcode: 4006381333931 is already on line 2.');
  });

  it('names a row with too many fields, an unclosed quote and an empty file', () => {
    expect(rows('name,price,vat\nTea,2.00,20,Drinks,x\n')[0]?.problems).toEqual([{ code: 'columns', field: 'row', count: 5, expected: 3 }]);
    expect(readProductCsv('name,price,vat\n"Tea,2.00,20\n')).toEqual({ ok: false, error: 'quote' });
    expect(readProductCsv('name,price,vat\n')).toEqual({ ok: false, error: 'empty' });
    expect(readProductCsv('\n\n')).toEqual({ ok: false, error: 'empty' });
  });

  it('splits fields and finds the delimiter', () => {
    expect(splitCsv('a, b ,"c,d"\n', ',')).toEqual({ records: [{ line: 1, fields: ['a', 'b', 'c,d'] }] });
    expect(detectDelimiter('name;price;vat\n')).toBe(';');
    expect(detectDelimiter('name\tprice\tvat\n')).toBe('\t');
    expect(detectDelimiter('"a;b",price,vat\n')).toBe(',');
  });
});

describe('the ids of imported products', () => {
  const existing = [product({ id: 'P-manual', name: 'Coffee', barcode: '4006381333931', sortOrder: 4, color: 'teal' }), product({ id: 'P-tea', name: 'Tea', sortOrder: 2 })];

  it('updates the product with the same barcode, else the one of the same name, else makes an id from the barcode or name', () => {
    expect(importTarget({ name: 'Coffee large', price: '3.00', vatRate: '20', barcode: '4006381333931' }, existing).id).toBe('P-manual');
    expect(importTarget({ name: 'tea', price: '2.00', vatRate: '20' }, existing).id).toBe('P-tea');
    expect(importTarget({ name: 'Water', price: '1.00', vatRate: '20', barcode: '5901234123457' }, existing).id).toBe('P-5901234123457');
    const cake = importTarget({ name: 'Торта', price: '4.00', vatRate: '9' }, existing).id;
    expect(cake).toMatch(/^P-N-[0-9a-f]{16}$/);
    expect(importTarget({ name: ' торта ', price: '4.00', vatRate: '9' }, existing).id).toBe(cake);
  });

  it('keeps an existing product\'s place and colour', () => {
    const target = importTarget({ name: 'Coffee', price: '3.00', vatRate: '20', barcode: '4006381333931' }, existing);
    expect(importBody({ name: 'Coffee', price: '3.00', vatRate: '20' }, target.existing)).toEqual({ name: 'Coffee', price: '3.00', vatRate: '20', sortOrder: 4, color: 'teal' });
    expect(importBody({ name: 'New', price: '1.00', vatRate: '20' }, undefined)).toEqual({ name: 'New', price: '1.00', vatRate: '20' });
  });
});
