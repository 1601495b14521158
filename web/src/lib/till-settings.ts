import type { ShopProfile } from '../../../shared/api.js';

// What rings up and prints the same on every till comes from the shop's profile at the edge (GET
// /api/shop), cached here so the till works offline; only paper width and language are per device.

const SHOP = 'till.shop';
/** Kept by versions before the shop profile: used until an admin saves the shop at the edge. */
const LEGACY_FREE_AMOUNT_VAT = 'till.freeAmountVatBp';
const LEGACY_SHOP_HEADER = 'till.shopHeader';

/** The shop's profile as last read from the edge, if ever. */
export function cachedShop(): ShopProfile | undefined {
  try {
    const value = JSON.parse(localStorage.getItem(SHOP) ?? 'null') as Partial<ShopProfile> | null;
    if (!value || typeof value.name !== 'string' || typeof value.currency !== 'string' || !Number.isInteger(value.freeAmountVatBp)) return undefined;
    return { name: value.name, address: typeof value.address === 'string' ? value.address : '', currency: value.currency, freeAmountVatBp: value.freeAmountVatBp as number, updatedAt: value.updatedAt };
  } catch {
    return undefined;
  }
}

export function cacheShop(profile: ShopProfile): void {
  localStorage.setItem(SHOP, JSON.stringify(profile));
}

/** The header this device kept before the shop profile (for a shop an admin has not saved yet). */
export function legacyShopHeader(): string {
  return localStorage.getItem(LEGACY_SHOP_HEADER) ?? '';
}

function legacyFreeAmountVatBp(): number | undefined {
  const text = localStorage.getItem(LEGACY_FREE_AMOUNT_VAT);
  const stored = Number(text);
  return text !== null && Number.isInteger(stored) && stored >= 0 && stored < 10_000 ? stored : undefined;
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
