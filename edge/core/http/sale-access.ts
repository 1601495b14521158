import type { Context } from 'hono';
import { formatCents } from '../../../shared/money.js';
import type { ShopSettings } from '../env-settings.js';
import type { GiveBackLimits, LimitExceeded, StoredSale } from '../ports.js';
import { isAdmin, mayUseTerminal, principalName, type EdgeEnv, type Principal } from './auth.js';

// Who may act on a sale, and how much a device may give back. A sale belongs to the device that
// booked it, to the terminal of its card part, and to the terminals its device was bound to then:
// a till bound to other terminals can neither read it nor hand its cash back. Admins may do all.

export function maySeeSale(principal: Principal, sale: StoredSale): boolean {
  if (isAdmin(principal) || principal.kind !== 'device') return true;
  if (sale.bookedBy !== '' && sale.bookedBy === principalName(principal)) return true;
  if (sale.tid !== undefined && mayUseTerminal(principal, sale.tid)) return true;
  // A sale booked by an older edge names no device: its terminal and admins only.
  if (sale.bookedFor.length === 0) return false;
  const mine = principal.device.terminals;
  if (mine.includes('*') || sale.bookedFor.includes('*')) return true;
  return sale.bookedFor.some((tid) => mine.includes(tid));
}

export function saleForbidden(c: Context<EdgeEnv>, sale: StoredSale) {
  return maySeeSale(c.get('principal'), sale) ? undefined : c.json({ error: { code: 'sale_not_allowed', message: 'This device may not act on that sale: it was made on another till and terminal.' } }, 403);
}

/** The give-back limits of the caller: none for an admin. */
export function limitsFor(principal: Principal, shop: ShopSettings, nowMs: number): GiveBackLimits | undefined {
  return isAdmin(principal) ? undefined : { perSaleCents: shop.refundLimitCents, perDayCents: shop.deviceRefundDayLimitCents, nowMs };
}

/** 403 admin_required with what is left under the limit the request would pass. */
export function limitRefusal<E extends EdgeEnv>(c: Context<E>, over: LimitExceeded) {
  const left = formatCents(over.leftCents);
  const message =
    over.scope === 'sale'
      ? `An admin must give back more of this sale: this device may give back ${left} more of it.`
      : `An admin must do this: this device may give back ${left} more today.`;
  return c.json({ error: { code: 'admin_required', field: 'amount', rule: over.scope === 'sale' ? 'sale_limit' : 'device_day_limit', left, message } }, 403);
}
