import { accept, refuse, type Checked } from './result.js';
import { RUID_MAX_LENGTH } from './ruid.js';

// Each rule of DECISIONS.md "Values" lives here once; the edge, the PWA and the simulator call these.

const TID = /^[A-Za-z0-9]{8}$/;
const CURRENCY = /^[A-Z]{3}$/;
const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;
// Refused although printable: the acceptance list asks for it, because how myPOS signs an
// escaped value cannot be checked without their test endpoint (see the issue note).
const XML_MARKUP = /[<>&]/;
// ";" joins the values of a signed string (DECISIONS.md "What the documents leave open"): a value a
// person types must not carry one, or two different requests could sign the same.
const SIGNED_SEPARATOR = ';';

export const REFERENCE_MAX_LENGTH = 50;

export const REFERENCE_TYPES = { reference: '1', invoice: '2', productId: '3', reservation: '4' } as const;
export type ReferenceType = (typeof REFERENCE_TYPES)[keyof typeof REFERENCE_TYPES];

export interface PaymentReference {
  readonly number: string;
  readonly type: ReferenceType;
}

/**
 * Characters no name or free text may hold, wherever it is typed (device, product, category, sale
 * line, note, shop): control characters (C0, DEL, C1: they break receipts, logs and CSV), the
 * bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F, U+202A-U+202E,
 * U+2066-U+2069: they make a name read differently from what it holds), zero-width characters
 * (U+200B-U+200D, U+2060, U+FEFF: two names that look the same would differ), the line and paragraph
 * separators, and half a surrogate pair (not text). Multi-line text (an address) may hold line feeds.
 */
const UNSAFE_TEXT = /[\u0000-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060\u2066-\u2069\uFEFF\uD800-\uDFFF]/u;
const UNSAFE_TEXT_MULTILINE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060\u2066-\u2069\uFEFF\uD800-\uDFFF]/u;

/** The first character a name or free text must not hold, as U+XXXX, or undefined when it holds none. */
export function unsafeCharacter(value: string, multiline = false): string | undefined {
  const found = (multiline ? UNSAFE_TEXT_MULTILINE : UNSAFE_TEXT).exec(value);
  return found ? `U+${(found[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

/**
 * The one check of a name or free text a person typed (rule plain_text): no control character, no
 * bidirectional mark or override, no zero-width character; multiline lets an address keep its line
 * feeds. Its length is the caller's rule.
 */
export function checkPlainText(value: string, field: string, options: { readonly multiline?: boolean } = {}): Checked<string> {
  const unsafe = unsafeCharacter(value, options.multiline === true);
  return unsafe === undefined
    ? accept(value)
    : refuse(field, 'plain_text', `${field} must not contain control characters, direction marks or zero-width characters (found ${unsafe})`);
}

export function checkTid(value: string, field = 'tid'): Checked<string> {
  return TID.test(value) ? accept(value) : refuse(field, 'an8', `${field} must be exactly 8 letters or digits`);
}

export function checkCurrency(value: string, field = 'currency'): Checked<string> {
  return CURRENCY.test(value) ? accept(value) : refuse(field, 'iso4217', `${field} must be 3 uppercase letters, like EUR`);
}

export function checkRuid(value: string, field = 'ruid'): Checked<string> {
  if (value.length === 0 || value.length > RUID_MAX_LENGTH) {
    return refuse(field, 'length', `${field} must be 1 to ${RUID_MAX_LENGTH} characters`);
  }
  if (!PRINTABLE_ASCII.test(value) || XML_MARKUP.test(value) || value.includes(SIGNED_SEPARATOR)) {
    return refuse(field, 'charset', `${field} must be printable ASCII without < > & or ;`);
  }
  return accept(value);
}

export function checkReferenceNumber(value: string, field = 'reference.number'): Checked<string> {
  if (value.length === 0 || value.length > REFERENCE_MAX_LENGTH) {
    return refuse(field, 'length', `${field} must be 1 to ${REFERENCE_MAX_LENGTH} characters`);
  }
  if (!PRINTABLE_ASCII.test(value)) return refuse(field, 'ascii', `${field} must use Latin letters, digits, spaces and printable ASCII symbols only`);
  if (XML_MARKUP.test(value) || value.includes(SIGNED_SEPARATOR)) return refuse(field, 'no_markup', `${field} must not contain <, >, & or ;`);
  return accept(value);
}

export function checkReferenceType(value: string, field = 'reference.type'): Checked<ReferenceType> {
  const types: readonly string[] = Object.values(REFERENCE_TYPES);
  return types.includes(value)
    ? accept(value as ReferenceType)
    : refuse(field, 'enum', `${field} must be 1 (reference), 2 (invoice), 3 (product id) or 4 (reservation)`);
}

export function checkReference(reference: { number: string; type: string }, field = 'reference'): Checked<PaymentReference> {
  const number = checkReferenceNumber(reference.number, `${field}.number`);
  if (!number.ok) return number;
  const type = checkReferenceType(reference.type, `${field}.type`);
  if (!type.ok) return type;
  return accept({ number: number.value, type: type.value });
}
