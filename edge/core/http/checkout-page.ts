import { Hono, type Context } from 'hono';
import { formatCents } from '../../../shared/money.js';
import { isInFlight, type Payment } from '../../../shared/payments.js';
import type { OnlineChannel } from '../payments/channels/online.js';
import type { CheckoutForms } from '../payments/checkout-ports.js';
import type { CheckoutLinks } from '../payments/checkout-links.js';
import type { IpcFields } from '../ipc/signing.js';
import type { PaymentStore } from '../ports.js';
import type { EdgeEnv } from './auth.js';
import { describe } from './route-doc.js';

// The customer's side of a checkout link, outside the API and its credentials: /c/:token takes the
// customer's browser to myPOS with the purchase form signed here (posted by a script of this origin:
// no inline script), and /c/:token/done is where myPOS sends them back. The way back proves nothing
// — the notification or IPCGetTxnStatus settles the payment — so it only shows what is stored.
// The page has no sentences (the edge answers data; words are the till's): the amount, and ✓ / ✕.

export interface CheckoutPageDeps {
  readonly store: Pick<PaymentStore, 'getPayment'>;
  readonly online: { readonly channel: OnlineChannel; readonly links: CheckoutLinks; readonly ports: { readonly forms: CheckoutForms } };
  readonly publicUrl: string | undefined;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const SUBMIT_SCRIPT = "document.forms[0]?.submit();\n";

function page(c: Context, body: string, formAction?: string) {
  c.header('Content-Security-Policy', `default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; form-action ${formAction ? new URL(formAction).origin : "'none'"}; frame-ancestors 'none'; base-uri 'none'`);
  // The link's token stays out of myPOS's logs and any third party's.
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
  const style = 'body{font:1.5rem system-ui,sans-serif;text-align:center;margin:3rem 1rem}button{font:inherit;padding:.8rem 2rem}';
  return c.html(`<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>myPOS</title><style>${style}</style></head><body>${body}</body></html>`);
}

const amountOf = (payment: Payment) => `<p><strong>${escape(formatCents(payment.amountCents))} ${escape(payment.currency)}</strong></p>`;

function outcome(c: Context, payment: Payment | undefined) {
  if (!payment) return c.notFound();
  const mark = payment.state === 'approved' ? '✓' : isInFlight(payment.state) ? '…' : '✕';
  return page(c, `<p style="font-size:4rem" data-state="${escape(payment.state)}">${mark}</p>${amountOf(payment)}`);
}

function form(action: string, fields: IpcFields, payment: Payment): string {
  const inputs = fields.map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`).join('');
  return `${amountOf(payment)}<form method="post" action="${escape(action)}">${inputs}<button type="submit">myPOS →</button></form><script src="/c/submit.js"></script>`;
}

export function checkoutPageRoutes(deps: CheckoutPageDeps) {
  const { channel, links, ports } = deps.online;
  const ruidOf = (c: Context) => links.ruidOf(c.req.param('token') ?? '');
  return new Hono<EdgeEnv>()
    .get('/c/submit.js', describe({ summary: 'The checkout page\'s script: posts the signed form to myPOS', open: true }), (c) =>
      c.body(SUBMIT_SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' }),
    )
    .get(
      '/c/:token',
      describe({ summary: 'The customer\'s link: takes their browser to myPOS with the signed purchase form while the link waits; else shows the payment\'s state', open: true, responses: { '200': { description: 'HTML', mediaType: 'text/html' }, '404': { description: 'not a link of this edge' } } }),
      async (c) => {
        const ruid = await ruidOf(c);
        if (!ruid) return c.notFound();
        const opened = await channel.pageOpened(ruid);
        if (!opened.open || !opened.payment) return outcome(c, opened.payment);
        const origin = deps.publicUrl ?? new URL(c.req.url).origin;
        const token = c.req.param('token');
        const done = `${origin}/c/${token}/done`;
        const signed = await ports.forms.purchase(opened.payment, { ok: done, cancel: done, notify: `${origin}/api/ipc/notify` });
        return page(c, form(signed.action, signed.fields, opened.payment), signed.action);
      },
    )
    .on(['GET', 'POST'], '/c/:token/done', describe({ summary: 'Where myPOS sends the customer back: the payment\'s state as stored (never settled from here)', open: true, responses: { '200': { description: 'HTML', mediaType: 'text/html' } } }), async (c) => {
      const ruid = await ruidOf(c);
      return ruid ? outcome(c, (await deps.store.getPayment(ruid))?.payment) : c.notFound();
    });
}
