import { Hono } from 'hono';
import { checkShopInput, ShopBody, type ShopProfile } from '../../../shared/api.js';
import type { AuditLog } from '../auth/audit-log.js';
import type { ShopSettings } from '../env-settings.js';
import type { CatalogueStore, Clock, LedgerStore } from '../ports.js';
import { principalName, requireAdmin, type EdgeEnv } from './auth.js';
import { badRequest, readJson } from './validation.js';

// The shop's profile (name, address, currency, VAT of a typed amount): kept at the edge, so every
// till prints the same header and rings up in the same currency. The settings (EDGE_SHOP_NAME,
// EDGE_SHOP_CURRENCY) are its defaults until an admin saves it.

export function shopProfile(catalogue: CatalogueStore, defaults: ShopSettings): () => Promise<ShopProfile> {
  return async () => (await catalogue.getShop()) ?? { name: defaults.name, address: '', currency: defaults.currency, freeAmountVatBp: 2000, updatedAt: undefined };
}

export interface ShopRouteDeps {
  readonly catalogue: CatalogueStore;
  readonly ledger: LedgerStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly profile: () => Promise<ShopProfile>;
}

export function shopRoutes(deps: ShopRouteDeps): Hono<EdgeEnv> {
  const routes = new Hono<EdgeEnv>();
  routes.get('/shop', async (c) => c.json({ shop: await deps.profile() }));
  routes.put('/shop', async (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const body = await readJson(c, ShopBody);
    if (!body.ok) return badRequest(c, body.error);
    const profile = checkShopInput(body.value, new Date(deps.clock.now()).toISOString());
    if (!profile.ok) return badRequest(c, profile.error);
    const current = await deps.profile();
    // The books are kept in one currency: once a sale is booked in it, it stays.
    if (profile.value.currency !== current.currency && (await deps.ledger.hasSales())) {
      return c.json({ error: { code: 'currency_locked', field: 'currency', rule: 'no_sales', message: `currency must stay ${current.currency}: sales are booked in it`, currency: current.currency } }, 409);
    }
    await deps.catalogue.saveShop(profile.value);
    await deps.audit.record({ actor: principalName(c.get('principal')), action: 'shop.save', ruid: undefined, result: profile.value.currency });
    return c.json({ shop: profile.value });
  });
  return routes;
}
