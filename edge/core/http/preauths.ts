import { Hono, type Context } from 'hono';
import { checkPaymentInput, CompletePreauthBody, CreatePreauthBody, ReleasePreauthBody } from '../../../shared/api.js';
import { formatCents, parseAmountWithinCap, type Cents } from '../../../shared/money.js';
import { isInFlight, type Payment } from '../../../shared/payments.js';
import { accept } from '../../../shared/result.js';
import { checkRuid } from '../../../shared/validation.js';
import type { AuditLog } from '../auth/audit-log.js';
import type { PaymentService } from '../payments/payment-service.js';
import type { PaymentStore } from '../ports.js';
import { actorOf, notFoundPayment } from './access.js';
import { terminalForbidden, type EdgeEnv } from './auth.js';
import { CREATED_RESPONSES, createdAnswer } from './payment-answers.js';
import { describe } from './route-doc.js';
import { badRequest, jsonBody } from './validation.js';

// /api/preauths: pre-authorisation, on terminals whose channel holds amounts (LAN, the iqom
// Payment Interface): hold an amount, then charge at most that (completion) or release it.

export interface PreauthRouteDeps {
  readonly store: PaymentStore;
  readonly payments: PaymentService;
  readonly audit: AuditLog;
  readonly capCents: Cents;
}

export function preauthRoutes(deps: PreauthRouteDeps) {
  const { store, payments, audit } = deps;
  const amountWithinCap = (amount: string) => parseAmountWithinCap(amount, deps.capCents);

  /** The hold to complete or release: an approved preauth that nothing else has completed or released. */
  const heldPreauth = async (c: Context<EdgeEnv>, ruid: string, newRuid: string, check?: (preauth: Payment) => Response | undefined): Promise<{ preauth: Payment } | Response> => {
    const found = await store.getPayment(ruid);
    if (!found || found.payment.kind !== 'preauth') return notFoundPayment(c);
    const forbidden = terminalForbidden(c, found.payment.tid);
    if (forbidden) return forbidden;
    const preauth = found.payment;
    if (preauth.state !== 'approved') return c.json({ error: { code: 'not_held', state: preauth.state, message: `This pre-authorisation is ${preauth.state}: nothing is held.` } }, 409);
    const refused = check?.(preauth);
    if (refused) return refused;
    const other = (await store.linkedPayments(preauth.ruid)).find((payment) => payment.ruid !== newRuid && (payment.state === 'approved' || isInFlight(payment.state)));
    if (other) return c.json({ error: { code: 'already_closed', message: `This hold is already being ${other.kind === 'completion' ? 'completed' : 'released'} (${other.ruid}).` } }, 409);
    return { preauth };
  };

  /** Completes or releases a hold on its terminal. */
  const close = async (c: Context<EdgeEnv>, preauth: Payment, input: { ruid: string; kind: 'completion' | 'preauth_cancel'; amountCents: Cents }, action: string) => {
    const terminal = await store.getTerminal(preauth.tid);
    if (!terminal) return notFoundPayment(c);
    const actor = actorOf(c);
    const result = await payments.create(actor, { ...input, terminal, reference: preauth.reference, original: preauth });
    await audit.record({ actor: actor.name, action, ruid: input.ruid, result: result.kind });
    return createdAnswer(c, store, result);
  };

  return new Hono<EdgeEnv>()
    .post(
      '/',
      describe({ summary: 'Hold an amount on the card (iqom <preauth>): terminals whose operations include preauth', responses: CREATED_RESPONSES }),
      // The same fields and rules as a card payment's.
      jsonBody('CreatePreauth', CreatePreauthBody, (body) => checkPaymentInput(body, deps.capCents)),
      async (c) => {
        const input = c.req.valid('json');
        const terminal = await store.getTerminal(input.tid);
        if (!terminal || !payments.supports(terminal, 'preauth')) return badRequest(c, { field: 'tid', rule: 'lan_terminal', message: 'tid must be a LAN terminal: pre-authorisation works through the Payment Interface only' });
        const forbidden = terminalForbidden(c, input.tid);
        if (forbidden) return forbidden;
        const actor = actorOf(c);
        const result = await payments.create(actor, { ...input, kind: 'preauth', terminal, original: undefined });
        await audit.record({ actor: actor.name, action: 'preauth.create', ruid: input.ruid, result: result.kind });
        return createdAnswer(c, store, result);
      },
    )
    .post(
      '/:ruid/completion',
      describe({ summary: 'Charge at most the amount held (iqom <preauthcompletion>)', responses: { ...CREATED_RESPONSES, '409': { description: 'not_held or already_closed' } } }),
      jsonBody('CompletePreauth', CompletePreauthBody, (body) => {
        const ruid = checkRuid(body.ruid);
        if (!ruid.ok) return ruid;
        const amount = amountWithinCap(body.amount);
        return amount.ok ? accept({ ruid: ruid.value, amountCents: amount.value }) : amount;
      }),
      async (c) => {
        const input = c.req.valid('json');
        const overHeld = (preauth: Payment) =>
          input.amountCents > preauth.amountCents
            ? badRequest(c, { field: 'amount', rule: 'max_held', left: formatCents(preauth.amountCents), message: `amount must be at most ${formatCents(preauth.amountCents)}, the amount held` })
            : undefined;
        const held = await heldPreauth(c, c.req.param('ruid'), input.ruid, overHeld);
        if (held instanceof Response) return held;
        return close(c, held.preauth, { ruid: input.ruid, kind: 'completion', amountCents: input.amountCents }, 'preauth.complete');
      },
    )
    .post(
      '/:ruid/release',
      describe({ summary: 'Release the hold (iqom <preauthcancel>)', responses: { ...CREATED_RESPONSES, '409': { description: 'not_held or already_closed' } } }),
      jsonBody('ReleasePreauth', ReleasePreauthBody, (body) => checkRuid(body.ruid)),
      async (c) => {
        const ruid = c.req.valid('json');
        const held = await heldPreauth(c, c.req.param('ruid'), ruid);
        if (held instanceof Response) return held;
        return close(c, held.preauth, { ruid, kind: 'preauth_cancel', amountCents: held.preauth.amountCents }, 'preauth.release');
      },
    );
}
