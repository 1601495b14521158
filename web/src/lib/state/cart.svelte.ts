import type { Product } from '../../../../shared/api.js';
import type { Discount } from '../../../../shared/cart.js';
import type { SaleLine } from '../../../../shared/sale.js';
import * as actions from '../checkout/cart.js';
import { EMPTY_CART, type CartDraft } from '../checkout/cart.js';
import type { LocalSale } from '../db/schema.js';
import { stored } from '../platform/storage.js';
import { saleParts } from '../sale-parts.js';
import { freeAmountVatBp } from '../till-settings.js';

// The cart being rung up (the actions are in checkout/cart.ts). It is kept on the device on every
// change, so a reload, an update or a crash of the tab does not lose a half-scanned basket; it
// becomes a sale only when paid.

export type { CartDraft } from '../checkout/cart.js';

function load(): CartDraft {
  const kept = stored.cart.get();
  return kept ? { lines: kept.lines, discount: kept.discount, note: kept.note ?? '' } : EMPTY_CART;
}

const initial = load();
export const cart = $state<{ lines: SaleLine[]; discount: Discount | undefined; note: string }>({ lines: [...initial.lines], discount: initial.discount, note: initial.note });

function apply(next: CartDraft): void {
  cart.lines = [...next.lines];
  cart.discount = next.discount;
  cart.note = next.note;
  stored.cart.set($state.snapshot(cart));
}

const current = (): CartDraft => cart;

export function addProduct(product: Product): void {
  apply(actions.addProduct(current(), product));
}

export function addAmount(cents: number, name: string): void {
  apply(actions.addAmount(current(), cents, name, freeAmountVatBp()));
}

export function updateLine(index: number, change: Partial<Pick<SaleLine, 'quantity' | 'discount' | 'note'>>): void {
  apply(actions.updateLine(current(), index, change));
}

export function setCartDiscount(discount: Discount | undefined): void {
  apply(actions.setDiscount(current(), discount));
}

export function setCartNote(note: string): void {
  apply(actions.setNote(current(), note));
}

export function clearCart(): void {
  apply(EMPTY_CART);
}

/** Puts an unpaid sale's basket back in the cart (after a declined or expired card payment). */
export function restoreCart(sale: LocalSale): void {
  const parts = saleParts(sale, freeAmountVatBp());
  apply({ lines: parts.lines, discount: parts.discount, note: parts.note ?? '' });
}
