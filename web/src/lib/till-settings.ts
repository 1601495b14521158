import type { ShopProfile } from '../../../shared/api.js';
import { stored } from './platform/storage.js';

// What rings up and prints the same on every till comes from the shop's profile at the edge (GET
// /api/shop), cached here so the till works offline; only paper width and language are per device.

/** The shop's profile as last read from the edge, if ever (a damaged copy reads as none). */
export function cachedShop(): ShopProfile | undefined {
  const value = stored.shop.get() as Partial<ShopProfile> | undefined;
  if (!value || typeof value.name !== 'string' || typeof value.currency !== 'string' || !Number.isInteger(value.freeAmountVatBp)) return undefined;
  return { name: value.name, address: typeof value.address === 'string' ? value.address : '', currency: value.currency, freeAmountVatBp: value.freeAmountVatBp as number, updatedAt: value.updatedAt };
}

export function cacheShop(profile: ShopProfile): void {
  stored.shop.set(profile);
}

/** The header this device kept before the shop profile (for a shop an admin has not saved yet). */
export function legacyShopHeader(): string {
  return stored.shopHeader.get() ?? '';
}

function legacyFreeAmountVatBp(): number | undefined {
  const bp = stored.freeAmountVatBp.get();
  return bp !== undefined && bp >= 0 && bp < 10_000 ? bp : undefined;
}

/** The VAT rate of an amount typed on the keypad (no product): the shop's, 20 % until it is known. */
export function freeAmountVatBp(): number {
  const shop = cachedShop();
  if (shop?.updatedAt) return shop.freeAmountVatBp;
  return legacyFreeAmountVatBp() ?? shop?.freeAmountVatBp ?? 2000;
}

/** The shop's name and address as printed on top of every receipt (a card payment's own merchant fields win). */
export function shopHeader(): string {
  const shop = cachedShop();
  if (shop?.updatedAt || (shop && !legacyShopHeader())) return [shop.name, shop.address].filter((line) => line.trim() !== '').join('\n');
  return legacyShopHeader();
}
