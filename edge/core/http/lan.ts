import { Hono, type Context } from 'hono';
import { CompletePreauthBody, CreatePreauthBody, ReleasePreauthBody, ResolvePaymentBody } from '../../../shared/api.js';
import { formatCents, parseAmountWithinCap, type Cents } from '../../../shared/money.js';
import type { Payment } from '../../../shared/payments.js';
import { checkPlainText, checkReference, checkRuid, checkTid, type PaymentReference } from '../../../shared/validation.js';
import type { AuditLog } from '../auth/audit-log.js';
import type { LanPaymentService } from '../lan/lan-payments.js';
import type { CreateResult, PaymentProcessor } from '../payments/processor.js';
import type { PaymentStore } from '../ports.js';
import { principalName, requireAdmin, terminalForbidden, type EdgeEnv } from './auth.js';
import { badRequest, readJson } from './validation.js';

// Pre-authorisation on LAN terminals (iqom Payment Interface): hold an amount, then charge at most
// that (completion) or release it. And settling by hand a LAN payment whose answer was lost, or a
// cloud payment myPOS and the terminal disagree about (unknown, check_terminal).

export interface LanRouteDeps {
  readonly store: PaymentStore;
  readonly lan: LanPaymentService;
  /** Settles by hand a cloud payment at check_terminal. */
  readonly processor: Pick<PaymentProcessor, 'settleByHand'>;
  readonly audit: AuditLog;
  readonly capCents: Cents;
  readonly respond: (c: Context<EdgeEnv>, result: CreateResult) => Promise<Response>;
}

const notFound = (c: Context<EdgeEnv>) => c.json({ error: { code: 'not_found', message: 'no payment with this ruid' } }, 404);

export function lanRoutes(deps: LanRouteDeps): Hono<EdgeEnv> {
  const { store, lan, audit } = deps;
  const routes = new Hono<EdgeEnv>();
  const record = (c: Context<EdgeEnv>, action: string, ruid: string, result: string) => audit.record({ actor: principalName(c.get('principal')), action, ruid, result });

  routes.post('/preauths', async (c) => {
    const body = await readJson(c, CreatePreauthBody);
    if (!body.ok) return badRequest(c, body.error);
    const ruid = checkRuid(body.value.ruid);
    if (!ruid.ok) return badRequest(c, ruid.error);
    const tid = checkTid(body.value.tid);
    if (!tid.ok) return badRequest(c, tid.error);
    const amount = parseAmountWithinCap(body.value.amount, deps.capCents);
    if (!amount.ok) return badRequest(c, amount.error);
    let reference: PaymentReference | undefined;
    if (body.value.reference) {
      const checked = checkReference(body.value.reference);
      if (!checked.ok) return badRequest(c, checked.error);
      reference = checked.value;
    }
    const terminal = await store.getTerminal(tid.value);
    if (!terminal || terminal.transport !== 'lan') return badRequest(c, { field: 'tid', rule: 'lan_terminal', message: 'tid must be a LAN terminal: pre-authorisation works through the Payment Interface only' });
    const forbidden = terminalForbidden(c, tid.value);
    if (forbidden) return forbidden;
    const result = await lan.create({ ruid: ruid.value, kind: 'preauth', terminal, amountCents: amount.value, reference, original: undefined });
    await record(c, 'preauth.create', ruid.value, result.kind);
    return deps.respond(c, result);
  });

  /** The hold to complete or release: an approved preauth that nothing else has completed or released. */
  const heldPreauth = async (c: Context<EdgeEnv>, ruid: string): Promise<{ preauth: Payment } | Response> => {
    const found = await store.getPayment(ruid);
    if (!found || found.payment.kind !== 'preauth') return notFound(c);
    const forbidden = terminalForbidden(c, found.payment.tid);
    if (forbidden) return forbidden;
    if (found.payment.state !== 'approved') return c.json({ error: { code: 'not_held', state: found.payment.state, message: `This pre-authorisation is ${found.payment.state}: nothing is held.` } }, 409);
    return { preauth: found.payment };
  };

  const closedBy = async (preauth: Payment, ruid: string) =>
    (await store.linkedPayments(preauth.ruid)).find((payment) => payment.ruid !== ruid && (payment.state === 'approved' || payment.state === 'unknown' || payment.state === 'accepted' || payment.state === 'sent'));

  routes.post('/preauths/:ruid/completion', async (c) => {
    const body = await readJson(c, CompletePreauthBody);
    if (!body.ok) return badRequest(c, body.error);
    const ruid = checkRuid(body.value.ruid);
    if (!ruid.ok) return badRequest(c, ruid.error);
    const amount = parseAmountWithinCap(body.value.amount, deps.capCents);
    if (!amount.ok) return badRequest(c, amount.error);
    const held = await heldPreauth(c, c.req.param('ruid'));
    if (held instanceof Response) return held;
    if (amount.value > held.preauth.amountCents) return badRequest(c, { field: 'amount', rule: 'max_held', left: formatCents(held.preauth.amountCents), message: `amount must be at most ${formatCents(held.preauth.amountCents)}, the amount held` });
    const other = await closedBy(held.preauth, ruid.value);
    if (other) return c.json({ error: { code: 'already_closed', message: `This hold is already being ${other.kind === 'completion' ? 'completed' : 'released'} (${other.ruid}).` } }, 409);
    const terminal = await store.getTerminal(held.preauth.tid);
    if (!terminal) return notFound(c);
    const result = await lan.create({ ruid: ruid.value, kind: 'completion', terminal, amountCents: amount.value, reference: held.preauth.reference, original: held.preauth });
    await record(c, 'preauth.complete', ruid.value, result.kind);
    return deps.respond(c, result);
  });

  routes.post('/preauths/:ruid/release', async (c) => {
    const body = await readJson(c, ReleasePreauthBody);
    if (!body.ok) return badRequest(c, body.error);
    const ruid = checkRuid(body.value.ruid);
    if (!ruid.ok) return badRequest(c, ruid.error);
    const held = await heldPreauth(c, c.req.param('ruid'));
    if (held instanceof Response) return held;
    const other = await closedBy(held.preauth, ruid.value);
    if (other) return c.json({ error: { code: 'already_closed', message: `This hold is already being ${other.kind === 'completion' ? 'completed' : 'released'} (${other.ruid}).` } }, 409);
    const terminal = await store.getTerminal(held.preauth.tid);
    if (!terminal) return notFound(c);
    const result = await lan.create({ ruid: ruid.value, kind: 'preauth_cancel', terminal, amountCents: held.preauth.amountCents, reference: held.preauth.reference, original: held.preauth });
    await record(c, 'preauth.release', ruid.value, result.kind);
    return deps.respond(c, result);
  });

  // Settling by hand says what a terminal did without myPOS's word for it: an admin's call.
  routes.post('/payments/:ruid/resolve', async (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const body = await readJson(c, ResolvePaymentBody);
    if (!body.ok) return badRequest(c, body.error);
    // The terminal's reference, typed by the admin: free text like any other.
    const plainRef = checkPlainText(body.value.ref?.trim() ?? '', 'ref');
    if (!plainRef.ok) return badRequest(c, plainRef.error);
    const found = await store.getPayment(c.req.param('ruid'));
    if (!found) return notFound(c);
    const forbidden = terminalForbidden(c, found.payment.tid);
    if (forbidden) return forbidden;
    const ref = body.value.ref?.trim() || undefined;
    const result = found.payment.transport === 'lan' ? await lan.resolve(found.payment.ruid, body.value.state, ref) : await deps.processor.settleByHand(found.payment.ruid, body.value.state, ref);
    await record(c, 'payment.resolve', found.payment.ruid, result.kind === 'resolved' ? body.value.state : result.kind);
    if (result.kind === 'not_found') return notFound(c);
    if (result.kind === 'refused') return c.json({ error: { code: 'not_unknown', message: result.message } }, 409);
    return c.json({ payment: result.payment });
  });

  return routes;
}
