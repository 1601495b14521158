import type { Context, MiddlewareHandler } from 'hono';
import type { Actor } from '../auth/actor.js';
import type { PaymentRecord } from '../payments/machine.js';
import type { PaymentStore } from '../ports.js';
import { isAdmin, principalName, requireAdmin, terminalForbidden, type EdgeEnv } from './auth.js';
import { withDoc } from './route-doc.js';

// Authorisation as middleware, declared where a route is defined (and shown in its OpenAPI
// operation); the services check the actor again, so no caller can skip it.

/** A route that reads one payment by :ruid: found, and on a terminal the caller may use. */
export type PaymentEnv = { Variables: EdgeEnv['Variables'] & { payment: PaymentRecord } };

export const adminOnly: MiddlewareHandler<EdgeEnv> = withDoc(async (c, next) => {
  const denied = requireAdmin(c);
  if (denied) return denied;
  await next();
}, { admin: true });

export const notFoundPayment = (c: Context) => c.json({ error: { code: 'not_found', message: 'no payment with this ruid' } }, 404);

/** The payment of the path's :ruid, on a terminal the caller may use (404, 403); the Worker sends the request to that terminal's object. */
export function paymentAccess(store: PaymentStore): MiddlewareHandler<PaymentEnv> {
  return withDoc<MiddlewareHandler<PaymentEnv>>(
    async (c, next) => {
      const found = await store.getPayment(c.req.param('ruid') ?? '');
      if (!found) return notFoundPayment(c);
      const forbidden = terminalForbidden(c, found.payment.tid);
      if (forbidden) return forbidden;
      c.set('payment', found);
      await next();
    },
    { terminal: { from: 'path_payment' }, responses: { '404': { description: 'not_found: no payment with this ruid' }, '403': { description: 'terminal_not_allowed: a device bound to other terminals' } } },
  );
}

/** The caller as the services see it. */
export function actorOf<E extends EdgeEnv>(c: Context<E>): Actor {
  const principal = c.get('principal');
  return { name: principalName(principal), admin: isAdmin(principal), terminals: principal.kind === 'admin' ? ['*'] : principal.device.terminals };
}
