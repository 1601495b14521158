import { Hono, type Context } from 'hono';
import { checkTerminalInput, CreateTerminalBody } from '../../../shared/api.js';
import { isInFlight } from '../../../shared/payments.js';
import { checkTid } from '../../../shared/validation.js';
import type { AuditLog } from '../auth/audit-log.js';
import type { Forbidden, PaymentService } from '../payments/payment-service.js';
import type { PaymentStore } from '../ports.js';
import type { TerminalResult, TerminalService } from '../terminals.js';
import { actorOf, adminOnly } from './access.js';
import { mayUseTerminal, type EdgeEnv } from './auth.js';
import { describe } from './route-doc.js';
import { jsonBody, pathParam } from './validation.js';

// /api/terminals: the terminals a caller may use, with what each one's channel can do; an admin
// subscribes and unsubscribes cloud terminals (MPRSubscribe).

export interface TerminalRouteDeps {
  readonly store: PaymentStore;
  readonly terminals: TerminalService;
  readonly payments: PaymentService;
  readonly audit: AuditLog;
}

function terminalAnswer(c: Context<EdgeEnv>, result: TerminalResult | Forbidden, okStatus: 201 | 200) {
  switch (result.kind) {
    case 'forbidden':
      return c.json({ error: { code: 'admin_required', message: 'Only an admin can do this.' } }, 403);
    case 'ok':
      return c.json({ terminal: result.terminal }, okStatus);
    case 'not_found':
      return c.json({ error: { code: 'not_found', message: 'no terminal with this tid' } }, 404);
    case 'refused':
      return c.json({ error: { code: 'mypos_refused', status: result.status, reason: result.reason, message: result.message } }, 422);
    case 'no_answer':
      return c.json({ error: { code: 'mypos_unreachable', message: result.message } }, 502);
  }
}

const SUBSCRIPTION_ERRORS = { '404': { description: 'not_found' }, '422': { description: 'mypos_refused (status, reason)' }, '502': { description: 'mypos_unreachable' } };

export function terminalRoutes(deps: TerminalRouteDeps) {
  const { store, terminals, payments, audit } = deps;

  /** The terminal's last approved purchase, so that every till asks before charging the same amount again. */
  const lastApproved = async (tid: string) => {
    const settled = await store.lastSettledOnTerminal(tid);
    const payment = settled?.state === 'approved' ? (await store.getPayment(settled.ruid))?.payment : undefined;
    return payment?.kind === 'purchase' && payment.state === 'approved' ? { ruid: payment.ruid, amount: payment.amount, approvedAt: payment.updatedAt } : undefined;
  };

  return new Hono<EdgeEnv>()
    .get(
      '/',
      describe({ summary: 'Terminals with their state, what their channel can do (operations), the payment in flight (inFlightRuid) and the last approved purchase (lastApproved: {ruid, amount, approvedAt}), so a till asks before charging the same amount again' }),
      async (c) => {
        const principal = c.get('principal');
        const list = (await terminals.list()).filter((terminal) => mayUseTerminal(principal, terminal.tid));
        const inFlight = new Map((await store.inFlight()).map((record) => [record.payment.tid, record.payment.ruid]));
        return c.json({
          terminals: await Promise.all(
            list.map(async ({ address: _address, ...terminal }) => ({ ...terminal, operations: payments.capabilities(terminal), inFlightRuid: inFlight.get(terminal.tid), lastApproved: await lastApproved(terminal.tid) })),
          ),
        });
      },
    )
    .post(
      '/',
      describe({ summary: 'Admin: subscribe a terminal (MPRSubscribe): returns the code to type on the device', responses: { '201': { description: 'Pending the code' }, ...SUBSCRIPTION_ERRORS } }),
      adminOnly,
      jsonBody('CreateTerminal', CreateTerminalBody, checkTerminalInput),
      async (c) => {
        const input = c.req.valid('json');
        const actor = actorOf(c);
        const result = await terminals.subscribe(actor, input.tid, input.currency);
        await audit.record({ actor: actor.name, action: 'terminal.subscribe', ruid: undefined, result: `${input.tid}:${result.kind}` });
        return terminalAnswer(c, result, 201);
      },
    )
    .delete(
      '/:tid',
      describe({ summary: 'Admin: cancel the subscription (MPRSubscribe action 2): returns the code to confirm on the device', responses: { '200': { description: 'Pending the code' }, '409': { description: 'terminal_busy' }, ...SUBSCRIPTION_ERRORS } }),
      adminOnly,
      pathParam('tid', checkTid),
      async (c) => {
        const tid = c.req.param('tid');
        const busy = (await store.inFlight()).find((record) => record.payment.tid === tid && isInFlight(record.payment.state));
        if (busy) return c.json({ error: { code: 'terminal_busy', message: 'Finish the payment in flight first.', inFlightRuid: busy.payment.ruid } }, 409);
        const actor = actorOf(c);
        const result = await terminals.unsubscribe(actor, tid);
        await audit.record({ actor: actor.name, action: 'terminal.unsubscribe', ruid: undefined, result: `${tid}:${result.kind}` });
        return terminalAnswer(c, result, 200);
      },
    );
}
