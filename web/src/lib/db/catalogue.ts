import { compareProducts, type Product } from '../../../../shared/product.js';
import type { TillDb } from './schema.js';

/** Replaces the cached catalogue with the edge's, in one transaction. */
export async function cacheCatalogue(db: TillDb, products: readonly Product[]): Promise<void> {
  const tx = db.transaction('products', 'readwrite');
  await tx.store.clear();
  for (const product of products) await tx.store.put(product);
  await tx.done;
}

/** The cached products the tills sell (active ones), in the admin's order (sortOrder, then name). */
export async function cachedCatalogue(db: TillDb): Promise<Product[]> {
  const products = await db.getAll('products');
  return products.filter((product) => product.active).sort(compareProducts);
}
