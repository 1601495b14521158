import { Hono } from 'hono';
import { checkProductInput, ProductBody, type ShopProfile } from '../../../shared/api.js';
import type { Cents } from '../../../shared/money.js';
import type { AuditLog } from '../auth/audit-log.js';
import { placeOf, sortedProducts } from '../catalogue.js';
import type { CatalogueStore, Clock } from '../ports.js';
import { actorOf, adminOnly } from './access.js';
import type { EdgeEnv } from './auth.js';
import { describe } from './route-doc.js';
import { badRequest, jsonBody } from './validation.js';

// /api/products: the catalogue. Every till reads it (and caches it offline); only an admin changes it.

export interface ProductRouteDeps {
  readonly catalogue: CatalogueStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly capCents: Cents;
  readonly profile: () => Promise<ShopProfile>;
}

export function productRoutes(deps: ProductRouteDeps) {
  const { catalogue } = deps;
  return new Hono<EdgeEnv>()
    .get('/', describe({ summary: 'The catalogue, and the shop currency its prices are in' }), async (c) =>
      c.json({ products: sortedProducts(await catalogue.listProducts()), currency: (await deps.profile()).currency }),
    )
    .put(
      '/:id',
      describe({ summary: 'Create or change a product (admin); active: false takes it off the tills', responses: { '200': { description: 'Saved' } } }),
      adminOnly,
      jsonBody('Product', ProductBody),
      async (c) => {
        const body = c.req.valid('json');
        const product = checkProductInput(c.req.param('id'), body, new Date(deps.clock.now()).toISOString(), deps.capCents);
        if (!product.ok) return badRequest(c, product.error);
        const saved = body.sortOrder === undefined ? { ...product.value, sortOrder: placeOf(product.value.id, await catalogue.listProducts()) } : product.value;
        await catalogue.saveProduct(saved);
        await deps.audit.record({ actor: actorOf(c).name, action: 'product.save', ruid: undefined, result: saved.id });
        return c.json({ product: saved }, 200);
      },
    );
}
