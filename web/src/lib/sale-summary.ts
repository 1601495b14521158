import type { SaleStatus } from '../../../shared/sale-status.js';
import type { LocalSale } from './db/schema.js';

// How History and the sale view name a sale: a few item names, and its number — the edge's
// receipt number once booked, this device's own number until then. Pure, so it is unit-tested.

/** "Espresso, Croissant +2": the first names (each once, in cart order), then how many lines more. */
export function itemSummary(names: readonly string[], shown = 2): string {
  const distinct = [...new Set(names.map((name) => name.trim()).filter((name) => name !== ''))];
  const first = distinct.slice(0, shown).join(', ');
  const more = distinct.length - Math.min(distinct.length, shown);
  return more > 0 ? `${first} +${more}` : first;
}

/**
 * The local number of a sale being stored: the one it already has when stored again, otherwise one
 * more than the sales already on the device (sales are never deleted, so the count only grows and
 * the numbers have no gaps; the older records without a number count as 1…n). undefined: an older
 * record stored again keeps having none, so that no two sales share a number.
 */
export function nextLocalNo(existing: LocalSale | undefined, salesOnDevice: number): number | undefined {
  if (existing) return existing.localNo;
  return salesOnDevice + 1;
}

export type SaleNumber = { readonly kind: 'receipt'; readonly no: number } | { readonly kind: 'local'; readonly no: number };

/** The number to show: the edge's receipt number when known, else the local one. */
/** Card attempts that ended without a sale: they keep no number, so "L-4" never stands beside a real "No. 4". */
const NO_SALE: ReadonlySet<string> = new Set(['declined', 'failed', 'cancelled', 'expired', 'withdrawn', 'rejected', 'busy']);

export function saleNumber(sale: Pick<LocalSale, 'receiptNo' | 'localNo'> & Partial<Pick<LocalSale, 'tender' | 'paymentState'>>, fromEdge?: number): SaleNumber | undefined {
  const receipt = sale.receiptNo ?? fromEdge;
  if (receipt !== undefined) return { kind: 'receipt', no: receipt };
  if (sale.tender === 'card' && sale.paymentState !== undefined && NO_SALE.has(sale.paymentState)) return undefined;
  return sale.localNo !== undefined ? { kind: 'local', no: sale.localNo } : undefined;
}

export interface NumberWords {
  readonly receiptNo: (no: number) => string;
  readonly localNo: (no: number) => string;
}

export function numberLabel(number: SaleNumber | undefined, words: NumberWords): string | undefined {
  if (!number) return undefined;
  return number.kind === 'receipt' ? words.receiptNo(number.no) : words.localNo(number.no);
}

/** The edge's sale statuses, as GET /api/sales?ids= answers them (anything else is ignored). */
export interface SaleSummary {
  readonly id: string;
  readonly receiptNo: number;
  readonly status: SaleStatus;
}

const STATUSES: ReadonlySet<string> = new Set<SaleStatus>(['paid', 'partly_refunded', 'refunded', 'voided']);

export function readSummaries(body: unknown): SaleSummary[] {
  const sales = (body as { sales?: unknown } | undefined)?.sales;
  if (!Array.isArray(sales)) return [];
  return sales.filter(
    (item): item is SaleSummary =>
      typeof item === 'object' && item !== null && typeof (item as SaleSummary).id === 'string' && Number.isInteger((item as SaleSummary).receiptNo) && STATUSES.has((item as SaleSummary).status),
  );
}

/** The ids to ask the edge about, in requests of at most `size` (the edge takes 100). */
export function chunks<T>(items: readonly T[], size = 100): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
