import { Hono } from 'hono';
import type { OnlineChannel } from '../payments/channels/online.js';
import type { CheckoutForms } from '../payments/checkout-ports.js';
import type { PaymentStore } from '../ports.js';
import type { EdgeEnv } from './auth.js';
import { describe } from './route-doc.js';

// /api/ipc/notify: myPOS's server-to-server notification of a checkout's outcome (no credential:
// its signature, verified with myPOS's certificate, is the proof). Answered `OK` — what myPOS waits
// for before it stops sending it — only once the outcome is stored; a replay is answered OK again
// and changes nothing. A forged or unreadable one is refused, and the payment stays as it was.

export interface IpcRouteDeps {
  readonly store: Pick<PaymentStore, 'getPayment'>;
  readonly online: { readonly channel: OnlineChannel; readonly ports: { readonly forms: CheckoutForms } };
}

export function ipcRoutes(deps: IpcRouteDeps) {
  const { channel, ports } = deps.online;
  return new Hono<EdgeEnv>().post(
    '/notify',
    describe({ summary: 'myPOS Online Checkout notification (IPCPurchaseNotify and the like), form-encoded and signed by myPOS: answers OK once the outcome is stored', open: true, terminal: { from: 'form_payment', field: 'OrderID' }, responses: { '200': { description: 'OK', mediaType: 'text/plain' }, '400': { description: 'refused: not a notification myPOS signed' } } }),
    async (c) => {
      const form = new URLSearchParams(await c.req.text());
      const read = await ports.forms.notification([...form.entries()]);
      if (read.kind === 'refused') return c.json({ error: { code: 'invalid', field: 'Signature', rule: 'valid', message: `not a notification myPOS signed: ${read.reason}` } }, 400);
      // A notification only says what it carries: an approval must be of the payment's own amount.
      const stored = await deps.store.getPayment(read.orderId);
      if (!stored) return c.json({ error: { code: 'not_found', message: 'no payment with this order id' } }, 404);
      const { amountCents, currency } = stored.payment;
      if (read.outcome === 'approved' && (read.amountCents !== amountCents || read.currency !== currency)) {
        return c.json({ error: { code: 'invalid', field: 'Amount', rule: 'valid', message: 'the notification approves another amount or currency than the payment\'s' } }, 400);
      }
      const step = await channel.notified(read.orderId, read.outcome, read.trnref);
      if (!step) return c.json({ error: { code: 'not_found', message: 'no payment with this order id' } }, 404);
      return c.text(ports.forms.notifyAnswer, 200);
    },
  );
}
