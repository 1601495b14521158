import type { ShopBody, ShopProfile } from '../../../../shared/api.js';
import { api, type ApiResult } from '../api.js';
import { rememberStoreCurrency } from '../format.js';
import { cacheShop, cachedShop } from '../till-settings.js';

/** The shop's profile: from this device's cache at once, then fresh from the edge. */
export const shop = $state<{ profile: ShopProfile | undefined }>({ profile: cachedShop() });

function keep(profile: ShopProfile): void {
  cacheShop(profile);
  rememberStoreCurrency(profile.currency);
  shop.profile = profile;
}

/** Reads the shop from the edge and keeps it for offline use; offline, the cached one stays. */
export async function refreshShop(): Promise<ShopProfile | undefined> {
  const result = await api.shop();
  if (result.ok) keep(result.data.shop);
  return shop.profile;
}

/** An admin saves the shop for every till (the edge refuses a till device). */
export async function saveShop(body: ShopBody): Promise<ApiResult<{ shop: ShopProfile }>> {
  const result = await api.saveShop(body);
  if (result.ok) keep(result.data.shop);
  return result;
}
