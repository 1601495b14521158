import { compareProducts, SORT_ORDER_MAX, type Product } from '../../shared/api.js';

// The catalogue's order: the quick keys follow each product's sortOrder (lowest first).

/** The products in their quick-key order; one saved before sortOrder existed has 0. */
export function sortedProducts(products: readonly Product[]): Product[] {
  return products.map((product) => ({ ...product, sortOrder: product.sortOrder ?? 0 })).sort(compareProducts);
}

/** Where a product saved without a sortOrder goes: it keeps its place, a new one goes after the last. */
export function placeOf(id: string, products: readonly Product[]): number {
  const existing = products.find((product) => product.id === id);
  if (existing) return existing.sortOrder ?? 0;
  return Math.min(SORT_ORDER_MAX, products.reduce((last, product) => Math.max(last, product.sortOrder ?? 0), 0) + 1);
}
