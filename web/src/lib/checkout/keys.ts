import { DEFAULT_AMOUNT_CAP_CENTS } from '../../../../shared/money.js';
import { BarcodeWedge } from '../barcode-wedge.js';

// The keyboard on the sale screen, where a barcode scanner is a keyboard too. Pure rules:
// - digits and Backspace (Escape clears) go to the keypad when no field has the focus;
// - a scan (a fast burst of digits ended by Enter) always goes to the cart: also from a focused
//   money field (cash received, an amount), and the scanned digits are taken back from wherever
//   they went — the keypad or that field;
// - Enter is never a charge by itself: only the browser's own press of a focused Charge button is,
//   and a scan's Enter is stopped before it can press a focused button.

/** The keypad amount after typing `digits`; past the cap, the digits are not taken. */
export function pressDigits(cents: number, digits: string, capCents = DEFAULT_AMOUNT_CAP_CENTS): number {
  const next = Number(`${cents}${digits}`);
  return next <= capCents ? next : cents;
}

/** The keypad amount with its last digit deleted. */
export function deleteDigit(cents: number): number {
  return Math.floor(cents / 10);
}

/** Where the key went: nothing that takes text (the keypad's), a money field, or another field. */
export type KeyTarget = { readonly kind: 'keypad' } | { readonly kind: 'money'; readonly value: string } | { readonly kind: 'text' };

export type KeyOutcome =
  /** Leave the key to the browser (and the focused field or button). */
  | { readonly kind: 'pass' }
  /** The keypad's new amount; the key is used. */
  | { readonly kind: 'keypad'; readonly cents: number }
  /**
   * A scan: add the product with this code; stop the key (its Enter must press nothing). What the
   * scan's digits changed is put back: the keypad's amount, or the money field's text.
   */
  | { readonly kind: 'scan'; readonly code: string; readonly keypadCents: number | undefined; readonly fieldValue: string | undefined };

export class SaleKeys {
  private readonly wedge: BarcodeWedge;
  /** What each digit since the last other key found before it: a scan takes its own digits back. */
  private trail: Array<{ readonly cents: number } | { readonly value: string }> = [];

  constructor(wedge = new BarcodeWedge()) {
    this.wedge = wedge;
  }

  key(key: string, at: number, target: KeyTarget, keypadCents: number): KeyOutcome {
    if (target.kind === 'text') {
      // A search box, a note: the field has the key (the search box takes a scan there itself).
      this.trail = [];
      return { kind: 'pass' };
    }
    const read = this.wedge.key(key, at);
    if (read.kind === 'digit') {
      if (target.kind === 'money') {
        this.trail.push({ value: target.value });
        return { kind: 'pass' };
      }
      this.trail.push({ cents: keypadCents });
      return { kind: 'keypad', cents: pressDigits(keypadCents, key) };
    }
    if (read.kind === 'scan') {
      const before = this.trail[Math.max(this.trail.length - read.code.length, 0)];
      this.trail = [];
      return {
        kind: 'scan',
        code: read.code,
        keypadCents: before && 'cents' in before ? before.cents : undefined,
        fieldValue: before && 'value' in before && target.kind === 'money' ? before.value : undefined,
      };
    }
    this.trail = [];
    if (target.kind === 'money') return { kind: 'pass' };
    if (key === 'Backspace') return { kind: 'keypad', cents: deleteDigit(keypadCents) };
    if (key === 'Escape') return { kind: 'keypad', cents: 0 };
    return { kind: 'pass' };
  }
}
