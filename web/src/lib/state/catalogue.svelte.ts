import type { Product } from '../../../../shared/api.js';
import { api } from '../api.js';
import { cacheCatalogue, cachedCatalogue } from '../db/catalogue.js';
import { db } from '../sync/till-sync.svelte.js';
import { rememberStoreCurrency, storeCurrency } from '../format.js';
import { refreshShop } from './shop.svelte.js';

/** The products the till sells: from the IndexedDB cache at once, then fresh from the edge. */
export const catalogue = $state<{ products: Product[]; currency: string }>({ products: [], currency: storeCurrency() });

export async function loadCatalogue(): Promise<void> {
  const database = await db();
  catalogue.products = await cachedCatalogue(database);
  // The shop's profile (receipt header, VAT of a typed amount) is cached along with the catalogue.
  void refreshShop();
  const fresh = await api.products();
  if (!fresh.ok) return;
  rememberStoreCurrency(fresh.data.currency);
  catalogue.currency = storeCurrency();
  await cacheCatalogue(database, fresh.data.products);
  catalogue.products = await cachedCatalogue(database);
}
