import type { Cents } from './money.js';

// A product of the catalogue, its palette and its order: plain data with no valibot, so the till's
// sale screen can import it without the request checks (shared/api.ts re-exports it).

/** The quick keys' small fixed palette (the till maps each name to its own shade). */
export const PRODUCT_COLORS = ['slate', 'red', 'orange', 'amber', 'green', 'teal', 'blue', 'purple', 'pink'] as const;
export type ProductColor = (typeof PRODUCT_COLORS)[number];
export const SORT_ORDER_MAX = 999_999;

export interface Product {
  readonly id: string;
  readonly name: string;
  readonly priceCents: Cents;
  /** Basis points: 2000 = 20 %. */
  readonly vatRateBp: number;
  readonly category: string;
  readonly barcode: string | undefined;
  readonly active: boolean;
  /** Place on the quick keys, lowest first (products saved before it existed have none: 0). */
  readonly sortOrder: number;
  readonly color?: ProductColor | undefined;
  readonly updatedAt: string;
}

export function isProductColor(value: string): value is ProductColor {
  return (PRODUCT_COLORS as readonly string[]).includes(value);
}

/** The quick keys' order: sortOrder, then name (products without a place share 0). */
export function compareProducts(a: Product, b: Product): number {
  return (a.sortOrder ?? 0) - (b.sortOrder ?? 0) || a.name.localeCompare(b.name);
}

