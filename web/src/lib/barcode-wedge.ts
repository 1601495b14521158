// A USB or Bluetooth barcode scanner is a keyboard: it types the code's digits within a few
// milliseconds of each other and presses Enter. A person types more slowly. This tells them apart,
// so a scan works whatever has the focus and never becomes a keypad amount.

export type WedgeResult = { readonly kind: 'digit'; readonly startsBurst: boolean } | { readonly kind: 'scan'; readonly code: string } | { readonly kind: 'other' };

export class BarcodeWedge {
  private buffer = '';
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly maxGapMs = 50,
    private readonly minLength = 8,
  ) {}

  key(key: string, at: number): WedgeResult {
    if (/^[0-9]$/.test(key)) {
      const startsBurst = at - this.last > this.maxGapMs;
      if (startsBurst) this.buffer = '';
      this.buffer += key;
      this.last = at;
      return { kind: 'digit', startsBurst };
    }
    const code = this.buffer;
    const fast = at - this.last <= this.maxGapMs;
    this.buffer = '';
    if (key === 'Enter' && fast && code.length >= this.minLength) return { kind: 'scan', code };
    return { kind: 'other' };
  }
}
