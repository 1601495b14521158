import { Hono } from 'hono';
import type { HealthDetails } from '../edge-ports.js';
import type { LedgerStore, PaymentStore } from '../ports.js';
import { adminOnly } from './access.js';
import type { EdgeEnv } from './auth.js';
import { openApiDocument } from './openapi.js';
import { describe } from './route-doc.js';

// Whether the edge answers: /healthz for a monitor (no credential, nothing more than ok and the
// store), /api/health in detail for an admin; and the API's own document.

export interface HealthRouteDeps {
  readonly store: Pick<PaymentStore, 'ping'>;
  /** The ledger's generation, published for the tills (it changes when the books are restored). */
  readonly ledger: Pick<LedgerStore, 'ledgerGeneration'>;
  /** What an admin sees beyond the store: mode, myPOS host, certificates, clock, protocol, backups (Node). */
  readonly health: () => Promise<HealthDetails>;
  readonly version: string;
  /** The app's routes, for the generated OpenAPI document. */
  readonly routes: () => Parameters<typeof openApiDocument>[1];
}

const storeOk = (store: HealthRouteDeps['store']) => store.ping().catch(() => false);

/** /healthz, outside the API and its credentials. */
export function monitorRoutes(store: HealthRouteDeps['store']) {
  return new Hono<EdgeEnv>().get(
    '/healthz',
    describe({ summary: 'For a monitor, without a credential: {ok, store}; 503 when the store does not answer', open: true, responses: { '200': { description: 'ok and store' }, '503': { description: 'The store does not answer' } } }),
    async (c) => {
      const ok = await storeOk(store);
      return c.json({ ok, store: ok }, ok ? 200 : 503);
    },
  );
}

/** /api/health and /api/openapi.json. */
export function healthRoutes(deps: HealthRouteDeps) {
  return new Hono<EdgeEnv>()
    .get(
      '/health',
      describe({ summary: 'Admin: the edge in detail: ok, store, mode (demo, live, workers), the myPOS host, certificates (notAfter, daysLeft), the clock offset from myPOS, the protocol profile\'s sources, the Node edge\'s backups (lastAt, ageSeconds, everySeconds, warning: failing, none_yet or stale), the ledger generation (it changes when the books are restored: GET /api/sales/ids), version', responses: { '200': { description: 'The details' }, '503': { description: 'The store does not answer' } } }),
      adminOnly,
      async (c) => {
        const ok = await storeOk(deps.store);
        const rest = await deps.health();
        // Absent while the store does not answer (503).
        const generation = ok ? await deps.ledger.ledgerGeneration().catch(() => undefined) : undefined;
        return c.json({ ...rest, ok, store: ok, generation, version: deps.version }, ok ? 200 : 503);
      },
    )
    .get('/openapi.json', describe({ summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } }), (c) => c.json(openApiDocument(deps.version, deps.routes())));
}
