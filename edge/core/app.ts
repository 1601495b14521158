import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { RequestRateLimit } from './auth/rate-limit.js';
import type { EdgeApp, EdgePorts } from './edge-ports.js';
import { authenticate, principalName, type EdgeEnv } from './http/auth.js';
import { dayCloseRoutes } from './http/day-closes.js';
import { deviceRoutes } from './http/devices.js';
import { checkoutPageRoutes } from './http/checkout-page.js';
import { checkoutRoutes } from './http/checkouts.js';
import { healthRoutes, monitorRoutes } from './http/health.js';
import { ipcRoutes } from './http/ipc.js';
import { myposProfileRoutes } from './http/mypos-profile.js';
import { paymentRoutes } from './http/payments.js';
import { preauthRoutes } from './http/preauths.js';
import { productRoutes } from './http/products.js';
import { refundRoutes } from './http/refunds.js';
import { saleExportRoutes } from './http/sales-export.js';
import { saleRoutes } from './http/sales.js';
import { shopRoutes } from './http/shop.js';
import { terminalRoutes } from './http/terminals.js';
import { createServices, type EdgeServices } from './services.js';

export type { EdgeApp, EdgePorts } from './edge-ports.js';

// The till's own files only; no inline script. frame-ancestors 'none': never framed.
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], connectSrc: ["'self'"], workerSrc: ["'self'"],
  manifestSrc: ["'self'"], objectSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'self'"], frameAncestors: ["'none'"],
};

export const MAX_BODY_BYTES = 64 * 1024;

/** Routes without a credential: pairing, and myPOS's signed notification. */
const OPEN_ROUTES: ReadonlySet<string> = new Set(['POST /api/devices/pair', 'POST /api/ipc/notify']);

/** The edge's HTTP API on Hono, Web Standards only: the Node and Workers adapters both serve it. It only composes. */
export function createApp(ports: EdgePorts): EdgeApp {
  const { store, logger, config, clock } = ports;
  const services = createServices(ports);
  const { payments, audit } = services;
  const { online } = services;
  const base = new Hono<EdgeEnv>()
    .use('*', requestId())
    .use('*', async (c, next) => {
      const started = Date.now();
      await next();
      logger.info('request', { requestId: c.get('requestId'), method: c.req.method, path: c.req.path, status: c.res.status, ms: Date.now() - started });
    });
  // The customer's checkout page sets its own headers (its form goes to myPOS): before the till's.
  if (online) base.route('/', checkoutPageRoutes({ store, online, publicUrl: config.publicUrl, shopName: async () => (await services.profile()).name }));
  base
    .use('*', secureHeaders({ contentSecurityPolicy: CONTENT_SECURITY_POLICY, referrerPolicy: 'no-referrer', xFrameOptions: 'DENY', xContentTypeOptions: 'nosniff' }))
    .use('/api/*', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: { code: 'too_large', field: 'body', rule: 'max_size', message: 'the body must be at most 64 KB' } }, 413) }))
    .use('/api/*', authenticate({ access: ports.access, adminToken: config.adminToken, rateLimit: new RequestRateLimit(config.deviceRateLimit, () => clock.now()), open: OPEN_ROUTES, clientAddress: ports.clientAddress }));
  // A profile the doctor saved elsewhere (the command line, another Workers object) is used from the next payment on.
  const protocol = ports.protocol;
  if (protocol) {
    const refreshProfile: MiddlewareHandler<EdgeEnv> = async (c, next) => (c.req.method === 'POST' ? protocol.refresh().then(next) : next());
    base.use('/api/payments', refreshProfile).use('/api/refunds', refreshProfile);
  }
  const app: Hono<EdgeEnv> = base;
  app.route('/', monitorRoutes(store)).route('/api', apiRoutes(ports, services, () => app.routes));
  if (online) app.route('/api/checkouts', checkoutRoutes({ store, payments, audit, capCents: config.capCents, online, publicUrl: config.publicUrl })).route('/api/ipc', ipcRoutes({ store, online }));
  if (protocol) app.route('/api/mypos', myposProfileRoutes({ protocol, record: async (c, action, result) => void (await audit.record({ actor: principalName(c.get('principal')), action, ruid: undefined, result })) }));
  app.onError((error, c) => {
    logger.error('unhandled error', { requestId: c.get('requestId'), path: c.req.path, error: error.message });
    return c.json({ error: { code: 'internal', message: 'Something went wrong on the edge. The payment state is safe; try again.' } }, 500);
  });
  app.all('/api/*', (c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));
  return { app, payments, audit, terminals: services.terminals, protocol: ports.protocol };
}

/** The API by resource, mounted under /api. */
function apiRoutes(ports: EdgePorts, services: EdgeServices, routes: () => Hono['routes']) {
  const { store, config, clock } = ports;
  const { payments, audit, profile } = services;
  const money = { store, payments, ledger: ports.ledger, audit, clock, capCents: config.capCents, shop: config.shop };
  return new Hono<EdgeEnv>()
    .route('/', healthRoutes({ store, ledger: ports.ledger, health: ports.health, version: config.version, routes }))
    .route('/devices', deviceRoutes({ access: ports.access, audit, revocations: services.revocations, clock, clientAddress: ports.clientAddress, publicUrl: config.publicUrl }))
    .route('/payments', paymentRoutes({ ...money, bus: ports.bus, revocations: services.revocations, ssePingMs: config.ssePingMs }))
    .route('/refunds', refundRoutes(money))
    .route('/preauths', preauthRoutes(money))
    .route('/terminals', terminalRoutes({ store, terminals: services.terminals, payments, audit }))
    .route('/products', productRoutes({ catalogue: ports.catalogue, audit, clock, capCents: config.capCents, profile }))
    .route('/shop', shopRoutes({ catalogue: ports.catalogue, ledger: ports.ledger, audit, clock, profile }))
    .route('/sales', saleExportRoutes({ ledger: ports.ledger, clock }))
    .route('/sales', saleRoutes({ ledger: ports.ledger, payments: store, audit, clock, capCents: config.capCents, shop: config.shop, profile }))
    .route('/day-closes', dayCloseRoutes({ ledger: ports.ledger, audit, clock, profile }));
}

/** The API's type, for the till's typed client (hono/client): generated from the routes themselves. */
export type AppType = ReturnType<typeof apiRoutes>;
