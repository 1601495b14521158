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
import { customerLanguage, customerPageWords, type CustomerLanguage, type CustomerPageWords } from '../../../shared/customer-page-words.js';

// The customer's side of a checkout link, outside the API and its credentials. GET /c/:token shows
// the amount and a button; only pressing it (POST) takes the customer's browser to myPOS with the
// purchase form signed here (posted by a script of this origin: no inline script) — so a
// messenger's link preview, which fetches the page, neither starts the payment nor stops the
// till's Cancel. /c/:token/done is where myPOS sends them back; the way back proves nothing (the
// notification or IPCGetTxnStatus settles the payment), so it only shows what is stored, and
// reloads itself while the outcome is not known yet. The phone has no till to word the page: its
// few words are shared/customer-page-words.ts, in the phone's language.

export interface CheckoutPageDeps {
  readonly store: Pick<PaymentStore, 'getPayment'>;
  readonly online: { readonly channel: OnlineChannel; readonly links: CheckoutLinks; readonly ports: { readonly forms: CheckoutForms } };
  readonly publicUrl: string | undefined;
  /** The shop's name (its profile): the customer sees whom they pay. */
  readonly shopName: () => Promise<string>;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const SUBMIT_SCRIPT = "document.forms[0]?.submit();\n";

interface PageOptions {
  /** Where the page's form may post: myPOS's page, or this origin (the Pay button). */
  readonly formAction?: string;
  /** Seconds after which the page reloads itself (an outcome not known yet). */
  readonly refreshSeconds?: number;
}

function page(c: Context, words: CustomerPageWords, language: CustomerLanguage, shop: string, body: string, options: PageOptions = {}) {
  const formAction = options.formAction === undefined ? "'none'" : options.formAction === 'self' ? "'self'" : new URL(options.formAction).origin;
  c.header('Content-Security-Policy', `default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`);
  // The link's token stays out of myPOS's logs and any third party's.
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Vary', 'Accept-Language');
  const refresh = options.refreshSeconds === undefined ? '' : `<meta http-equiv="refresh" content="${options.refreshSeconds}">`;
  const style = 'body{font:1.4rem system-ui,sans-serif;text-align:center;margin:3rem 1rem;color:#1a1a1a}button{font:inherit;font-weight:700;padding:1rem 2.5rem;border:0;border-radius:12px;background:#0a5cd6;color:#fff}.mark{font-size:4rem;margin:0}.amount{font-size:2.4rem;font-weight:800;margin:.5rem 0}.muted{color:#555;font-size:1rem}.shop{font-weight:700;color:#555;margin:0 0 1rem}';
  return c.html(
    `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">${refresh}<title>${escape(words.title)}</title><style>${style}</style></head><body><p class="shop">${escape(shop)}</p>${body}</body></html>`,
  );
}

const amountOf = (payment: Payment) => `<p class="amount">${escape(formatCents(payment.amountCents))} ${escape(payment.currency)}</p>`;

/** Paid, still being settled, or not paid; `closed` words a link that no longer takes a payment. */
function outcome(c: Context, words: CustomerPageWords, language: CustomerLanguage, shop: string, payment: Payment | undefined, ended: 'not_paid' | 'closed') {
  if (!payment) return c.notFound();
  const waiting = isInFlight(payment.state);
  const [mark, text] = payment.state === 'approved' ? ['✓', words.paid] : waiting ? ['…', words.checking] : ['✕', ended === 'closed' ? words.closed : words.notPaid];
  const body = `<p class="mark" aria-hidden="true">${mark}</p><p data-state="${escape(payment.state)}" role="status">${escape(text)}</p>${amountOf(payment)}`;
  return page(c, words, language, shop, body, waiting ? { refreshSeconds: 3 } : {});
}

function payButton(words: CustomerPageWords, payment: Payment, token: string): string {
  return `${amountOf(payment)}<form method="post" action="/c/${escape(token)}"><button type="submit">${escape(words.pay)}</button></form><p class="muted">${escape(words.secure)}</p>`;
}

function signedForm(words: CustomerPageWords, action: string, fields: IpcFields, payment: Payment): string {
  const inputs = fields.map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`).join('');
  return `${amountOf(payment)}<form method="post" action="${escape(action)}">${inputs}<button type="submit">${escape(words.toMypos)} →</button></form><script src="/c/submit.js"></script>`;
}

export function checkoutPageRoutes(deps: CheckoutPageDeps) {
  const { channel, links, ports } = deps.online;
  const ruidOf = (c: Context) => links.ruidOf(c.req.param('token') ?? '');
  const languageOf = (c: Context) => customerLanguage(c.req.header('accept-language'));
  const HTML = { '200': { description: 'HTML', mediaType: 'text/html' }, '404': { description: 'not a link of this edge' } };
  return new Hono<EdgeEnv>()
    .get('/c/submit.js', describe({ summary: 'The checkout page\'s script: posts the signed form to myPOS', open: true }), (c) =>
      c.body(SUBMIT_SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' }),
    )
    .get('/c/:token', describe({ summary: 'The customer\'s link: the amount and a Pay button while the link waits (changes nothing); else the payment\'s state', open: true, terminal: { from: 'path_token' }, responses: HTML }), async (c) => {
      const ruid = await ruidOf(c);
      if (!ruid) return c.notFound();
      const language = languageOf(c);
      const words = customerPageWords[language];
      const payment = (await deps.store.getPayment(ruid))?.payment;
      if (payment && channel.takesPayment(payment)) return page(c, words, language, await deps.shopName(), payButton(words, payment, c.req.param('token')), { formAction: 'self' });
      return outcome(c, words, language, await deps.shopName(), payment, 'closed');
    })
    .post('/c/:token', describe({ summary: 'The customer pressed Pay: their browser goes to myPOS with the signed purchase form, while the link waits', open: true, terminal: { from: 'path_token' }, responses: HTML }), async (c) => {
      const ruid = await ruidOf(c);
      if (!ruid) return c.notFound();
      const language = languageOf(c);
      const words = customerPageWords[language];
      const opened = await channel.pageOpened(ruid);
      if (!opened.open || !opened.payment) return outcome(c, words, language, await deps.shopName(), opened.payment, 'closed');
      const origin = deps.publicUrl ?? new URL(c.req.url).origin;
      const done = `${origin}/c/${c.req.param('token')}/done`;
      const signed = await ports.forms.purchase(opened.payment, { ok: done, cancel: done, notify: `${origin}/api/ipc/notify` }, language);
      return page(c, words, language, await deps.shopName(), signedForm(words, signed.action, signed.fields, opened.payment), { formAction: signed.action });
    })
    .on(['GET', 'POST'], '/c/:token/done', describe({ summary: 'Where myPOS sends the customer back: the payment\'s state as stored (never settled from here)', open: true, terminal: { from: 'path_token' }, responses: { '200': { description: 'HTML', mediaType: 'text/html' } } }), async (c) => {
      const ruid = await ruidOf(c);
      if (!ruid) return c.notFound();
      const language = languageOf(c);
      const payment = (await deps.store.getPayment(ruid))?.payment;
      if (payment) channel.checkSoon(payment);
      return outcome(c, customerPageWords[language], language, await deps.shopName(), payment, 'not_paid');
    });
}
