import { describe, expect, it } from 'vitest';
import { deleteDigit, pressDigits, SaleKeys, type KeyOutcome, type KeyTarget } from '../../web/src/lib/checkout/keys.js';

// The keyboard on the sale screen: the keypad takes digits and Backspace; Enter never charges by
// itself; a scan goes to the cart from anywhere, a money field included, and takes its digits back.

const keypad: KeyTarget = { kind: 'keypad' };
const money = (value: string): KeyTarget => ({ kind: 'money', value });

/** Types `text` into a field as a browser would (each key sees the value before it), 5 ms apart from `start`. */
function typeInto(keys: SaleKeys, before: string, text: string, start: number): { value: string; outcomes: KeyOutcome[] } {
  let value = before;
  const outcomes: KeyOutcome[] = [];
  [...text].forEach((key, index) => {
    const outcome = keys.key(key, start + index * 5, money(value), 0);
    outcomes.push(outcome);
    if (outcome.kind === 'pass') value += key;
  });
  return { value, outcomes };
}

describe('the keypad', () => {
  it('takes digits and Backspace from a keyboard, and Escape clears it', () => {
    const keys = new SaleKeys();
    let cents = 0;
    for (const [index, key] of [...'1250'].entries()) {
      const outcome = keys.key(key, index * 300, keypad, cents);
      expect(outcome.kind).toBe('keypad');
      if (outcome.kind === 'keypad') cents = outcome.cents;
    }
    expect(cents).toBe(1250);
    expect(keys.key('Backspace', 2_000, keypad, cents)).toEqual({ kind: 'keypad', cents: 125 });
    expect(keys.key('Escape', 2_500, keypad, 125)).toEqual({ kind: 'keypad', cents: 0 });
    expect(pressDigits(99_999, '99')).toBe(99_999);
    expect(pressDigits(12, '00')).toBe(1200);
    expect(deleteDigit(7)).toBe(0);
  });

  it('never charges on Enter: Enter is left to the focused button (only Charge pressed charges)', () => {
    const keys = new SaleKeys();
    keys.key('5', 0, keypad, 0);
    expect(keys.key('Enter', 400, keypad, 5)).toEqual({ kind: 'pass' });
    expect(keys.key('Enter', 800, money('20'), 5)).toEqual({ kind: 'pass' });
  });

  it('leaves text fields alone (the search box takes its own scans)', () => {
    const keys = new SaleKeys();
    expect(keys.key('4', 0, { kind: 'text' }, 0)).toEqual({ kind: 'pass' });
    expect(keys.key('Backspace', 10, { kind: 'text' }, 0)).toEqual({ kind: 'pass' });
  });
});

describe('a scan', () => {
  it('with nothing focused: goes to the cart, and the keypad gets back the amount it had', () => {
    const keys = new SaleKeys();
    let cents = 0;
    for (const [index, key] of [...'12'].entries()) {
      const outcome = keys.key(key, index * 400, keypad, cents);
      if (outcome.kind === 'keypad') cents = outcome.cents;
    }
    for (const [index, key] of [...'4006381333931'].entries()) {
      const outcome = keys.key(key, 2_000 + index * 5, keypad, cents);
      if (outcome.kind === 'keypad') cents = outcome.cents;
    }
    expect(keys.key('Enter', 2_070, keypad, cents)).toEqual({ kind: 'scan', code: '4006381333931', keypadCents: 12, fieldValue: undefined });
  });

  it('with the cash received field focused: goes to the cart, and its digits leave the field', () => {
    const keys = new SaleKeys();
    // The cashier typed 20 (slowly), then the scanner read a code into the field.
    const typed = typeInto(keys, '', '20', -1_000);
    expect(typed.value).toBe('20');
    const scanned = typeInto(keys, typed.value, '4006381333931', 0);
    expect(scanned.value).toBe('204006381333931');
    expect(scanned.outcomes.every((outcome) => outcome.kind === 'pass')).toBe(true);
    const enter = keys.key('Enter', 70, money(scanned.value), 0);
    expect(enter).toEqual({ kind: 'scan', code: '4006381333931', keypadCents: undefined, fieldValue: '20' });
  });

  it('with an empty amount field focused: the field is left empty', () => {
    const keys = new SaleKeys();
    const scanned = typeInto(keys, '', '96385074', 0);
    expect(keys.key('Enter', 45, money(scanned.value), 0)).toEqual({ kind: 'scan', code: '96385074', keypadCents: undefined, fieldValue: '' });
  });

  it('a person typing a long amount slowly into the field is not a scan', () => {
    const keys = new SaleKeys();
    let value = '';
    for (const [index, key] of [...'12345678'].entries()) {
      keys.key(key, index * 200, money(value), 0);
      value += key;
    }
    expect(keys.key('Enter', 1_700, money(value), 0)).toEqual({ kind: 'pass' });
  });
});
