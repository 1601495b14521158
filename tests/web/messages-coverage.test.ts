import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAYMENT_STATES, STATE_REASONS } from '../../shared/payments.js';
import { API_ERROR_CODES, FIELD_RULES, PAYMENT_REASONS } from '../../shared/reasons.js';
import { ISSUER_CODES, issuerReason, STATUS_TABLE } from '../../shared/status-codes.js';
import { DOCTOR_CHECKS, DOCTOR_DIAGNOSES, type CheckResult } from '../../shared/doctor.js';
import { bg } from '../../web/src/lib/messages/bg.js';
import { doctorWords } from '../../web/src/lib/messages/doctor.js';
import { en, type Messages } from '../../web/src/lib/messages/en.js';

// One language end to end: the edge answers codes, the till words every one of them in every
// language. A code added to shared/reasons.ts (or the status table) without words fails here, and
// the compiler already refuses a table that misses one (`satisfies Record<…>`).

const ROOT = resolve(import.meta.dirname, '../..');
const LANGUAGES: ReadonlyArray<[string, Messages]> = [
  ['en', en],
  ['bg', bg],
];
/** Till-only codes: no answer at all, or one it cannot read. */
const TILL_CODES = ['network', 'bad_response'] as const;

const words = (value: unknown): string => (typeof value === 'function' ? String((value as (a: string, b: string) => string)('FIELD', '1.00')) : String(value ?? ''));

describe.each(LANGUAGES)('%s has words for every code', (_language, t) => {
  it.each(PAYMENT_REASONS)('payment reason %s', (reason) => {
    expect(words(t.reasons[reason]).trim().length).toBeGreaterThan(3);
  });

  it('every myPOS status of the tables, every issuer code and every state reads as a reason it words', () => {
    for (const info of STATUS_TABLE) expect(words(t.reasons[info.reason]).length, `status ${info.code}`).toBeGreaterThan(3);
    for (const code of ISSUER_CODES) expect(words(t.reasons[issuerReason(code)]).length, `issuer ${code}`).toBeGreaterThan(3);
    for (const state of PAYMENT_STATES) expect(words(t.reasons[STATE_REASONS[state]]).length, state).toBeGreaterThan(3);
  });

  it.each([...API_ERROR_CODES, ...TILL_CODES])('error code %s', (code) => {
    expect(words(t.problems.codes[code]).trim().length).toBeGreaterThan(3);
  });

  it.each(FIELD_RULES)('field rule %s', (rule) => {
    const text = words(t.problems.rules[rule]);
    expect(text.trim().length).toBeGreaterThan(3);
    // The rules about what is left say how much.
    if (['max_refundable', 'refundable', 'max_held', 'sale_limit', 'device_day_limit'].includes(rule)) expect(text).toContain('1.00');
  });

  it('receipt verdicts for every state, and no table holds a code the edge does not give', () => {
    for (const state of PAYMENT_STATES) expect(t.payment.verdicts[state].length).toBeGreaterThan(1);
    expect(Object.keys(t.reasons).sort()).toEqual([...PAYMENT_REASONS].sort());
    expect(Object.keys(t.problems.codes).sort()).toEqual([...API_ERROR_CODES, ...TILL_CODES].sort());
    expect(Object.keys(t.problems.rules).sort()).toEqual([...FIELD_RULES].sort());
  });
});

describe('Bulgarian is Bulgarian', () => {
  it('every reason, error and rule is in Cyrillic, and none is the English text', () => {
    const pairs: Array<[string, string, string]> = [
      ...PAYMENT_REASONS.map((code): [string, string, string] => [code, words(en.reasons[code]), words(bg.reasons[code])]),
      ...[...API_ERROR_CODES, ...TILL_CODES].map((code): [string, string, string] => [code, words(en.problems.codes[code]), words(bg.problems.codes[code])]),
      ...FIELD_RULES.map((rule): [string, string, string] => [rule, words(en.problems.rules[rule]), words(bg.problems.rules[rule])]),
      ...PAYMENT_STATES.map((state): [string, string, string] => [state, en.payment.verdicts[state], bg.payment.verdicts[state]]),
    ];
    for (const [code, english, bulgarian] of pairs) {
      expect(bulgarian, code).toMatch(/[а-яА-Я]/);
      expect(bulgarian, code).not.toBe(english);
    }
  });

  it('receipt labels: words translated, acronyms kept', () => {
    for (const field of ['merch_name', 'merch_txn_date', 'merch_txn_time', 'masked_pan', 'aid_name', 'auth_code', 'response_code', 'ref']) expect(bg.payment.receiptFields[field], field).toMatch(/[а-яА-Я]/);
    for (const field of ['mid', 'rrn', 'stan', 'aid']) expect(bg.payment.receiptFields[field]).toBe(en.payment.receiptFields[field]);
    expect(bg.payment.tid).toBe('TID');
    expect(bg.payment.verdicts.approved).toBe('ОДОБРЕНО');
  });
});

describe('the myPOS doctor: every check and diagnosis in words, in every language', () => {
  const detail = { status: '7', statusName: 'E_INACTIVE_TID', keyIndex: '1', cause: 'ECONNREFUSED', httpStatus: '404' };
  const data = { host: 'crr.example', cause: 'ENOTFOUND', offsetMs: 7200, certificate: 'mypos', notAfter: '2027-01-31T00:00:00Z', daysLeft: 12, url: 'https://crr.example/?wsdl', operations: 6, reason: 'HTTP 404' };
  const RESULTS: readonly CheckResult[] = ['ok', 'warn', 'fail'];

  it.each(Object.entries(doctorWords))('%s words every code the edge gives, and no other', (_language, words) => {
    for (const code of DOCTOR_DIAGNOSES) expect(words.diagnoses[code]('90000015', 'crr.example', detail).trim().length, code).toBeGreaterThan(10);
    for (const check of DOCTOR_CHECKS) for (const result of RESULTS) expect(words.checks[check](result, data).length, `${check} ${result}`).toBeGreaterThan(5);
    expect(Object.keys(words.diagnoses).sort()).toEqual([...DOCTOR_DIAGNOSES].sort());
    expect(Object.keys(words.checks).sort()).toEqual([...DOCTOR_CHECKS].sort());
    expect(words.diagnoses.terminal_not_subscribed('90000017', 'h', detail)).toContain('90000017');
    expect(words.ok('90000015')).toContain('90000015');
  });

  it('Bulgarian is Bulgarian: every text in Cyrillic, none the English one (identifiers such as SOAPAction kept)', () => {
    const { en: english, bg: bulgarian } = doctorWords;
    const pairs: Array<[string, string, string]> = [
      ...DOCTOR_DIAGNOSES.map((code): [string, string, string] => [code, english.diagnoses[code]('T', 'h', detail), bulgarian.diagnoses[code]('T', 'h', detail)]),
      ...DOCTOR_CHECKS.flatMap((check) => RESULTS.map((result): [string, string, string] => [`${check} ${result}`, english.checks[check](result, data), bulgarian.checks[check](result, data)])),
      ...RESULTS.map((result): [string, string, string] => [result, english.results[result], bulgarian.results[result]]),
      ...Object.keys(english.outcomes).map((kind): [string, string, string] => [kind, english.outcomes[kind] ?? '', bulgarian.outcomes[kind] ?? '']),
      ...(['title', 'terminal', 'run', 'busy', 'noCloud', 'tries', 'using'] as const).map((key): [string, string, string] => [key, english[key], bulgarian[key]]),
      ['ok', english.ok('T'), bulgarian.ok('T')],
      ['answer', english.answer('4', 'E_INVALID_PARAMS', 'logical'), bulgarian.answer('4', 'E_INVALID_PARAMS', 'logical')],
      ['signingOrder', english.parts.signingOrder, bulgarian.parts.signingOrder],
      ['answerOrder', english.parts.answerOrder, bulgarian.parts.answerOrder],
    ];
    for (const [code, englishText, bulgarianText] of pairs) {
      expect(bulgarianText, code).toMatch(/[а-яА-Я]/);
      expect(bulgarianText, code).not.toBe(englishText);
    }
    expect(Object.keys(bulgarian.outcomes).sort()).toEqual(Object.keys(english.outcomes).sort());
  });
});

function sources(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path, ext) : ext.test(name) ? [path] : [];
  });
}

describe('the edge gives codes, the till words them', () => {
  it('every error code the edge answers is in the shared list the till words', () => {
    const found = new Set<string>();
    for (const file of sources(join(ROOT, 'edge/core'), /\.ts$/)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bcode: '([a-z_]+)'/g)) found.add(match[1] ?? '');
    }
    expect(found.size).toBeGreaterThan(10);
    for (const code of found) expect(API_ERROR_CODES as readonly string[], `edge code ${code}`).toContain(code);
  });

  it('no screen shows the edge\'s message: the till words codes (web/src/lib/explain.ts)', () => {
    const offenders: string[] = [];
    for (const file of sources(join(ROOT, 'web/src'), /\.(ts|svelte)$/)) {
      const text = readFileSync(file, 'utf8');
      for (const [index, line] of text.split('\n').entries()) {
        // A local exception's own text (IndexedDB, the browser) is not the edge's.
        if (/\b(error|answer|result)\.error\.message\b|\bpayment\.message\b|\bsale\.message\b/.test(line)) offenders.push(`${relative(ROOT, file)}:${index + 1}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
