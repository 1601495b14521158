import { Hono, type Context } from 'hono';
import QRCode from 'qrcode';
import { checkPaymentInput, type PaymentInput } from '../../../shared/api.js';
import { parseAmountWithinCap, type Cents } from '../../../shared/money.js';
import { accept, type Checked } from '../../../shared/result.js';
import { paymentOperations } from '../../../shared/operations.js';
import type { Payment, PaymentLine } from '../../../shared/payments.js';
import { checkRuid } from '../../../shared/validation.js';
import { checkCartLines } from '../ipc/requests.js';
import * as v from 'valibot';
import type { AuditLog } from '../auth/audit-log.js';
import type { OnlineChannel } from '../payments/channels/online.js';
import type { CheckoutLinks } from '../payments/checkout-links.js';
import type { PaymentService } from '../payments/payment-service.js';
import type { PaymentStore } from '../ports.js';
import { actorOf, notFoundPayment, paymentAccess, type PaymentEnv } from './access.js';
import { terminalForbidden } from './auth.js';
import { createdAnswer } from './payment-answers.js';
import { describe } from './route-doc.js';
import { badRequest, jsonBody, pathParam } from './validation.js';

// /api/checkouts: a payment the customer makes on their own phone (myPOS Online Checkout). The
// answer is the payment and its link — short, as a QR code too — to the edge's /c/:token page,
// which takes the customer to myPOS with a form signed here: the signature never leaves the edge.

export const CreateCheckoutBody = v.strictObject({
  ruid: v.string(),
  amount: v.pipe(v.string(), v.description('Amount with a dot and two decimals, e.g. "23.45"')),
  lines: v.optional(v.pipe(v.array(v.strictObject({ name: v.string(), quantity: v.number(), unitPrice: v.string() })), v.description('The cart\'s lines for the payment page; they must add up to the amount'))),
  reference: v.optional(v.strictObject({ number: v.string(), type: v.string() })),
});

type CheckoutBody = v.InferOutput<typeof CreateCheckoutBody>;

/** The payment's fields, and the cart's lines checked as the payment page takes them. */
function checkCheckoutInput(body: CheckoutBody, tid: string, capCents: Cents): Checked<PaymentInput & { readonly lines: readonly PaymentLine[] | undefined }> {
  const input = checkPaymentInput({ ruid: body.ruid, tid, amount: body.amount, ...(body.reference ? { reference: body.reference } : {}) }, capCents);
  if (!input.ok) return input;
  if (body.lines === undefined) return accept({ ...input.value, lines: undefined });
  // The prices as the API spells money, then the payment page's own rules (ipc/requests.ts).
  const lines: PaymentLine[] = [];
  for (const [index, line] of body.lines.entries()) {
    const price = parseAmountWithinCap(line.unitPrice, capCents, `lines[${index}].unitPrice`);
    if (!price.ok) return price;
    lines.push({ name: line.name, quantity: line.quantity, unitPriceCents: price.value });
  }
  const checked = checkCartLines(lines, input.value.amountCents, capCents);
  return checked.ok ? accept({ ...input.value, lines: checked.value }) : checked;
}

export interface CheckoutRouteDeps {
  readonly store: PaymentStore;
  readonly payments: PaymentService;
  readonly audit: AuditLog;
  readonly capCents: Cents;
  readonly online: { readonly channel: OnlineChannel; readonly links: CheckoutLinks; readonly ports: { readonly tid: string } };
  /** EDGE_PUBLIC_URL: the origin of the customer's link (else the request's). */
  readonly publicUrl: string | undefined;
}

const CHECKOUT = { description: 'The payment (state accepted: waiting for the customer) and its link: {payment, checkout: {url, qrSvg, expiresAt}}' };

export function checkoutRoutes(deps: CheckoutRouteDeps) {
  const { store, online } = deps;
  const checkoutOf = async (c: Context, payment: Payment) => {
    const url = `${deps.publicUrl ?? new URL(c.req.url).origin}/c/${await online.links.token(payment.ruid)}`;
    const qrSvg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { url, qrSvg, expiresAt: new Date(online.channel.expiresAt(payment)).toISOString() };
  };
  return new Hono<PaymentEnv>()
    .post(
      '/',
      describe({ summary: 'Start a payment on the customer\'s phone (myPOS Online Checkout): its link and QR code (idempotent by ruid)', terminal: { from: 'fixed', tid: online.ports.tid }, responses: { '202': CHECKOUT, '200': { description: 'The same request again' }, '409': { description: 'ruid_conflict' } } }),
      jsonBody('CreateCheckout', CreateCheckoutBody, (body) => checkCheckoutInput(body, online.ports.tid, deps.capCents)),
      async (c) => {
        const input = c.req.valid('json');
        const terminal = await store.getTerminal(online.ports.tid);
        if (!terminal) return badRequest(c, { field: 'tid', rule: 'subscribed', message: 'Online Checkout is not set up on this edge (MYPOS_IPC_SID)' });
        const forbidden = terminalForbidden(c, terminal.tid);
        if (forbidden) return forbidden;
        const actor = actorOf(c);
        const result = await deps.payments.create(actor, { ruid: input.ruid, kind: 'purchase', terminal, amountCents: input.amountCents, reference: input.reference, original: undefined, lines: input.lines });
        await deps.audit.record({ actor: actor.name, action: 'checkout.create', ruid: input.ruid, result: result.kind });
        if (result.kind === 'created' || result.kind === 'exists') return c.json({ payment: result.payment, checkout: await checkoutOf(c, result.payment) }, result.kind === 'created' ? 202 : 200);
        return createdAnswer(c, store, result);
      },
    )
    .get('/:ruid', describe({ summary: 'A checkout\'s payment and its link again (after a reload)', responses: { '200': CHECKOUT } }), pathParam('ruid', checkRuid), paymentAccess(store), async (c) => {
      const { payment } = c.get('payment');
      if (!paymentOperations(payment).includes('checkout')) return notFoundPayment(c);
      return c.json({ payment, checkout: await checkoutOf(c, payment) }, 200);
    });
}
