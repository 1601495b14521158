// A USB or Bluetooth barcode scanner is a keyboard: it types the code's digits within a few
// milliseconds of each other and presses Enter. A person types more slowly, and an amount has at
// most 6 digits (9999.99), so 8 or more digits in a fast burst ended by Enter are a scan. This
// tells them apart, so a scan works whatever has the focus and never becomes a keypad amount.

export type WedgeResult = { readonly kind: 'digit' } | { readonly kind: 'scan'; readonly code: string } | { readonly kind: 'other' };

export class BarcodeWedge {
  private buffer = '';
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly maxGapMs = 100,
    private readonly minLength = 8,
  ) {}

  key(key: string, at: number): WedgeResult {
    if (/^[0-9]$/.test(key)) {
      // A pause ends a burst: what was typed before it is a person's.
      if (at - this.last > this.maxGapMs) this.buffer = '';
      this.buffer += key;
      this.last = at;
      return { kind: 'digit' };
    }
    const code = this.buffer;
    const fast = at - this.last <= this.maxGapMs;
    this.buffer = '';
    if (key === 'Enter' && fast && code.length >= this.minLength) return { kind: 'scan', code };
    return { kind: 'other' };
  }
}
