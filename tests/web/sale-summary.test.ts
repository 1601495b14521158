import { describe, expect, it } from 'vitest';
import type { LocalSale } from '../../web/src/lib/db/schema.js';
import { chunks, itemSummary, nextLocalNo, numberLabel, readSummaries, saleNumber } from '../../web/src/lib/sale-summary.js';

// How History names a sale: its items in short, and its number (the edge's, or this device's own).

const words = { receiptNo: (no: number) => `No. ${no}`, localNo: (no: number) => `L-${no}` };
const stored = (extra: Partial<LocalSale> = {}): LocalSale => ({
  id: 'S-1',
  tender: 'cash',
  tid: undefined,
  currency: 'EUR',
  amountCents: 100,
  reference: undefined,
  createdAt: '2026-01-01T00:00:00.000Z',
  completedAt: undefined,
  paymentState: undefined,
  sync: 'pending',
  message: undefined,
  ...extra,
});

describe('the item summary', () => {
  it('names the first two items and counts the rest', () => {
    expect(itemSummary(['Espresso', 'Croissant', 'Water', 'Atlas of Bulgaria'])).toBe('Espresso, Croissant +2');
    expect(itemSummary(['Espresso', 'Croissant', 'Water'])).toBe('Espresso, Croissant +1');
    expect(itemSummary(['Espresso', 'Croissant'])).toBe('Espresso, Croissant');
    expect(itemSummary(['Espresso'])).toBe('Espresso');
  });

  it('names an item once however many lines hold it, skips blank names, and is empty for none', () => {
    expect(itemSummary(['Espresso', 'Espresso', ' Croissant ', '', 'Espresso'])).toBe('Espresso, Croissant');
    expect(itemSummary(['Tea', 'Tea', 'Cake', 'Tea', 'Jam'])).toBe('Tea, Cake +1');
    expect(itemSummary([])).toBe('');
    expect(itemSummary(['Tea', 'Cake', 'Jam'], 1)).toBe('Tea +2');
  });
});

describe('the local number', () => {
  it('is one more than the sales on the device for a new sale, and never changes for a stored one', () => {
    expect(nextLocalNo(undefined, 0)).toBe(1);
    expect(nextLocalNo(undefined, 11)).toBe(12);
    expect(nextLocalNo(stored({ localNo: 4 }), 11)).toBe(4);
    // An older record (stored before local numbers) stored again gets none: its place is taken by count.
    expect(nextLocalNo(stored(), 11)).toBeUndefined();
  });

  it('gives way to the edge receipt number once there is one', () => {
    expect(saleNumber(stored({ localNo: 12 }))).toEqual({ kind: 'local', no: 12 });
    expect(saleNumber(stored({ localNo: 12, receiptNo: 3 }))).toEqual({ kind: 'receipt', no: 3 });
    expect(saleNumber(stored({ localNo: 12 }), 7)).toEqual({ kind: 'receipt', no: 7 });
    expect(saleNumber(stored())).toBeUndefined();
    expect(numberLabel(saleNumber(stored({ localNo: 12 })), words)).toBe('L-12');
    expect(numberLabel(saleNumber(stored({ localNo: 12, receiptNo: 3 })), words)).toBe('No. 3');
    expect(numberLabel(undefined, words)).toBeUndefined();
  });

  it('gives no number to a card attempt that ended without a sale', () => {
    expect(saleNumber({ localNo: 4, receiptNo: undefined, tender: 'card', paymentState: 'declined' })).toBeUndefined();
    expect(saleNumber({ localNo: 4, receiptNo: undefined, tender: 'card', paymentState: 'busy' })).toBeUndefined();
    expect(saleNumber({ localNo: 4, receiptNo: undefined, tender: 'card', paymentState: 'queued' })).toEqual({ kind: 'local', no: 4 });
    expect(saleNumber({ localNo: 4, receiptNo: undefined, tender: 'card', paymentState: 'approved' })).toEqual({ kind: 'local', no: 4 });
  });
});

describe("the edge's sale statuses", () => {
  it('keeps only well-formed summaries', () => {
    const body = {
      sales: [
        { id: 'A', receiptNo: 1, status: 'paid' },
        { id: 'B', receiptNo: 2, status: 'partly_refunded' },
        { id: 'C', receiptNo: 'x', status: 'paid' },
        { id: 'D', receiptNo: 4, status: 'lost' },
        null,
      ],
    };
    expect(readSummaries(body).map((sale) => sale.id)).toEqual(['A', 'B']);
    expect(readSummaries({})).toEqual([]);
    expect(readSummaries(undefined)).toEqual([]);
  });

  it('asks in requests of at most 100 ids', () => {
    const ids = Array.from({ length: 250 }, (_, i) => `S-${i}`);
    expect(chunks(ids).map((part) => part.length)).toEqual([100, 100, 50]);
    expect(chunks([])).toEqual([]);
  });
});
