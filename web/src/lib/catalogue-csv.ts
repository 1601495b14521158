import { checkProductInput, type Product, type ProductBody } from '../../../shared/api.js';
import { DEFAULT_AMOUNT_CAP_CENTS } from '../../../shared/money.js';
import { checkVatRate } from '../../../shared/sale-check.js';

// CSV import of the catalogue, read in the browser: name, price, VAT, category, barcode. Each row is
// checked by the same rules as the edge before anything is sent, and a bad row is named with its
// line and field. Ids come from the barcode (or the name), so importing the same file twice
// updates the same products instead of adding them again.

export const CSV_COLUMNS = ['name', 'price', 'vat', 'category', 'barcode'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export type CsvProblem =
  | { readonly code: 'decimal_comma'; readonly field: 'price' | 'vat'; readonly value: string }
  | { readonly code: 'required'; readonly field: 'name' | 'price' | 'vat' }
  | { readonly code: 'name_length' | 'category_length'; readonly field: 'name' | 'category' }
  | { readonly code: 'price' | 'price_max'; readonly field: 'price'; readonly value: string }
  | { readonly code: 'vat'; readonly field: 'vat'; readonly value: string }
  | { readonly code: 'barcode'; readonly field: 'barcode'; readonly value: string }
  | { readonly code: 'duplicate_barcode' | 'duplicate_name'; readonly field: 'barcode' | 'name'; readonly value: string; readonly firstLine: number }
  | { readonly code: 'columns'; readonly field: 'row'; readonly count: number; readonly expected: number };

export interface CsvRow {
  /** The line of the file the row starts on (1 = the first line). */
  readonly line: number;
  readonly values: Readonly<Record<CsvColumn, string>>;
  /** What is sent (PUT /api/products/:id) when the row is good. */
  readonly body: ProductBody | undefined;
  readonly problems: readonly CsvProblem[];
}

export type CsvReading = { readonly ok: true; readonly rows: readonly CsvRow[]; readonly header: boolean } | { readonly ok: false; readonly error: 'empty' | 'quote' };

/** Header names understood, in English and Bulgarian. */
const HEADER_NAMES: Readonly<Record<string, CsvColumn>> = {
  name: 'name',
  product: 'name',
  име: 'name',
  продукт: 'name',
  price: 'price',
  цена: 'price',
  vat: 'vat',
  'vat %': 'vat',
  'vat rate': 'vat',
  ддс: 'vat',
  'ддс %': 'vat',
  category: 'category',
  категория: 'category',
  barcode: 'barcode',
  ean: 'barcode',
  баркод: 'barcode',
};

/** Splits CSV text into records of fields (RFC 4180: quotes, "" inside quotes, line breaks inside quotes). */
export function splitCsv(text: string, delimiter: string): { records: Array<{ line: number; fields: string[] }> } | { error: 'quote' } {
  const records: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  let line = 1;
  let recordLine = 1;
  const endField = () => {
    fields.push(wasQuoted ? field : field.trim());
    field = '';
    wasQuoted = false;
  };
  const endRecord = () => {
    endField();
    if (fields.some((value) => value !== '')) records.push({ line: recordLine, fields });
    fields = [];
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        field += char;
      }
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
      wasQuoted = true;
      field = '';
    } else if (char === delimiter) endField();
    else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += char;
  }
  if (quoted) return { error: 'quote' };
  endRecord();
  return { records };
}

/** The delimiter of the first line: a comma, unless it has more semicolons or tabs. */
export function detectDelimiter(text: string): string {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  const outside = first.replace(/"[^"]*"/g, '');
  const count = (char: string) => outside.split(char).length - 1;
  const best = [',', ';', '\t'].reduce((a, b) => (count(b) > count(a) ? b : a));
  return best;
}

function headerColumns(fields: readonly string[]): CsvColumn[] | undefined {
  const columns = fields.map((value) => HEADER_NAMES[value.trim().toLocaleLowerCase()]);
  if (columns.some((column) => column === undefined)) return undefined;
  const named = columns as CsvColumn[];
  if (!named.includes('name') || !named.includes('price') || new Set(named).size !== named.length) return undefined;
  return named;
}

const PRICE = /^([0-9]{1,7})(?:\.([0-9]{1,2}))?$/;
const DECIMAL_COMMA = /^[0-9]+,[0-9]{1,2}$/;

/** "3", "3.5" or "3.50" as the wire's "3.50"; undefined otherwise. */
function wirePrice(text: string): string | undefined {
  const match = PRICE.exec(text);
  if (!match) return undefined;
  return `${Number(match[1])}.${(match[2] ?? '').padEnd(2, '0')}`;
}

function checkRow(line: number, values: Record<CsvColumn, string>): { body: ProductBody | undefined; problems: CsvProblem[] } {
  const problems: CsvProblem[] = [];
  if (values.name === '') problems.push({ code: 'required', field: 'name' });
  else if (values.name.length > 60) problems.push({ code: 'name_length', field: 'name' });
  const price = wirePrice(values.price);
  if (values.price === '') problems.push({ code: 'required', field: 'price' });
  else if (DECIMAL_COMMA.test(values.price)) problems.push({ code: 'decimal_comma', field: 'price', value: values.price });
  else if (price === undefined) problems.push({ code: 'price', field: 'price', value: values.price });
  else if (Math.round(Number(price) * 100) > DEFAULT_AMOUNT_CAP_CENTS) problems.push({ code: 'price_max', field: 'price', value: values.price });
  const vat = values.vat.replace(/\s*%$/, '');
  if (vat === '') problems.push({ code: 'required', field: 'vat' });
  else if (DECIMAL_COMMA.test(vat)) problems.push({ code: 'decimal_comma', field: 'vat', value: values.vat });
  else if (!checkVatRate(vat).ok) problems.push({ code: 'vat', field: 'vat', value: values.vat });
  if (values.category.length > 40) problems.push({ code: 'category_length', field: 'category' });
  if (values.barcode !== '' && !/^[0-9]{8,14}$/.test(values.barcode)) problems.push({ code: 'barcode', field: 'barcode', value: values.barcode });
  if (problems.length > 0 || price === undefined) return { body: undefined, problems };
  const body: ProductBody = { name: values.name, price, vatRate: vat, category: values.category, ...(values.barcode ? { barcode: values.barcode } : {}) };
  // The edge's own rules, once more: a row that passes here is not refused there.
  const checked = checkProductInput(`csv-${line}`, body, '');
  if (!checked.ok) problems.push({ code: 'columns', field: 'row', count: 0, expected: CSV_COLUMNS.length });
  return { body: checked.ok ? body : undefined, problems };
}

/**
 * Reads a CSV of products. The first line may name the columns (English or Bulgarian, any order);
 * otherwise the columns are name, price, VAT, category, barcode. Prices and VAT use a dot.
 */
export function readProductCsv(text: string): CsvReading {
  const clean = text.replace(/^\uFEFF/, '');
  const split = splitCsv(clean, detectDelimiter(clean));
  if ('error' in split) return { ok: false, error: split.error };
  const [first, ...rest] = split.records;
  if (!first) return { ok: false, error: 'empty' };
  const named = headerColumns(first.fields);
  const columns: readonly CsvColumn[] = named ?? CSV_COLUMNS;
  const records = named ? rest : split.records;
  if (records.length === 0) return { ok: false, error: 'empty' };
  const barcodes = new Map<string, number>();
  const names = new Map<string, number>();
  const valuesOf = (fields: readonly string[]): Record<CsvColumn, string> => {
    const values: Record<CsvColumn, string> = { name: '', price: '', vat: '', category: '', barcode: '' };
    columns.forEach((column, index) => (values[column] = fields[index] ?? ''));
    return values;
  };
  const priceAt = columns.indexOf('price');
  /** "Espresso,2,40,20": a decimal comma split the price in two; joined again, is the row right? */
  const splitPrice = (fields: readonly string[]): string | undefined => {
    const [whole, cents] = [fields[priceAt] ?? '', fields[priceAt + 1] ?? ''];
    if (priceAt < 0 || !/^[0-9]+$/.test(whole) || !/^[0-9]{1,2}$/.test(cents)) return undefined;
    const joined = [...fields.slice(0, priceAt), `${whole},${cents}`, ...fields.slice(priceAt + 2)];
    if (joined.length > columns.length) return undefined;
    const again = checkRow(0, valuesOf(joined)).problems;
    return again.every((problem) => problem.code === 'decimal_comma') ? `${whole},${cents}` : undefined;
  };
  const rows = records.map(({ line, fields }): CsvRow => {
    const values = valuesOf(fields);
    const checked = fields.length > columns.length ? undefined : checkRow(line, values);
    if (!checked || checked.problems.length > 0) {
      const split = splitPrice(fields);
      if (split !== undefined) return { line, values, body: undefined, problems: [{ code: 'decimal_comma', field: 'price', value: split }] };
      if (!checked) return { line, values, body: undefined, problems: [{ code: 'columns', field: 'row', count: fields.length, expected: columns.length }] };
    }
    const { body, problems } = checked;
    const checkTwice = (map: Map<string, number>, key: string, field: 'barcode' | 'name', value: string) => {
      const firstLine = map.get(key);
      if (firstLine !== undefined) problems.push({ code: field === 'barcode' ? 'duplicate_barcode' : 'duplicate_name', field, value, firstLine });
      else map.set(key, line);
    };
    if (values.barcode !== '') checkTwice(barcodes, values.barcode, 'barcode', values.barcode);
    else if (values.name !== '') checkTwice(names, values.name.toLocaleLowerCase(), 'name', values.name);
    return { line, values, body: problems.length === 0 ? body : undefined, problems };
  });
  return { ok: true, rows, header: named !== undefined };
}

/** 32-bit FNV-1a of the text, twice with two seeds: 16 hex digits. */
function nameHash(text: string): string {
  const hash = (seed: number) => {
    let h = seed >>> 0;
    for (const char of text) {
      h ^= char.codePointAt(0) ?? 0;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(16).padStart(8, '0');
  };
  return hash(0x811c9dc5) + hash(0x050c5d1f);
}

/**
 * The id a row is saved under: the product that already has its barcode, else the one of the same
 * name (without a barcode), else an id made from the barcode or the name — the same file imported
 * twice updates the same products.
 */
export function importTarget(body: ProductBody, existing: readonly Product[]): { id: string; existing: Product | undefined } {
  const byBarcode = body.barcode ? existing.find((product) => product.barcode === body.barcode) : undefined;
  const key = body.name.trim().toLocaleLowerCase();
  const byName = byBarcode ?? existing.find((product) => product.name.trim().toLocaleLowerCase() === key && (!body.barcode || !product.barcode));
  if (byName) return { id: byName.id, existing: byName };
  return { id: body.barcode ? `P-${body.barcode}` : `P-N-${nameHash(key)}`, existing: undefined };
}

/** The body sent for a row: an existing product keeps its place and colour (and shows again if hidden). */
export function importBody(body: ProductBody, existing: Product | undefined): ProductBody {
  if (!existing) return body;
  return { ...body, sortOrder: existing.sortOrder, ...(existing.color ? { color: existing.color } : {}) };
}
