import { Hono } from 'hono';
import { checkShopInput, ShopBody, type ShopProfile } from '../../../shared/api.js';
import type { AuditLog } from '../auth/audit-log.js';
import type { ShopSettings } from '../env-settings.js';
import type { CatalogueStore, Clock, LedgerStore } from '../ports.js';
import { adminOnly } from './access.js';
import { principalName, type EdgeEnv } from './auth.js';
import { describe } from './route-doc.js';
import { jsonBody } from './validation.js';

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

export function shopRoutes(deps: ShopRouteDeps) {
  const routes = new Hono<EdgeEnv>()
    .get('/', describe({ summary: 'The shop: name, address, currency, VAT of a typed amount (every till reads it)' }), async (c) => c.json({ shop: await deps.profile() }))
    .put(
      '/',
      describe({
        summary: 'Admin: save the shop (its currency is fixed once a sale is booked: 409 currency_locked)',
        responses: { '200': { description: 'Saved' }, '409': { description: 'currency_locked (with currency)' } },
      }),
      adminOnly,
      jsonBody('Shop', ShopBody, (body) => checkShopInput(body, new Date(deps.clock.now()).toISOString())),
      async (c) => {
        const profile = c.req.valid('json');
        const current = await deps.profile();
        // The books are kept in one currency: once a sale is booked in it, it stays.
        if (profile.currency !== current.currency && (await deps.ledger.hasSales())) {
          return c.json({ error: { code: 'currency_locked', field: 'currency', rule: 'no_sales', message: `currency must stay ${current.currency}: sales are booked in it`, currency: current.currency } }, 409);
        }
        await deps.catalogue.saveShop(profile);
        await deps.audit.record({ actor: principalName(c.get('principal')), action: 'shop.save', ruid: undefined, result: profile.currency });
        return c.json({ shop: profile });
      },
    );
  return routes;
}
