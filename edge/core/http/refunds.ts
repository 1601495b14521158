import { Hono } from 'hono';
import { checkRefundInput, CreateRefundBody } from '../../../shared/api.js';
import type { Cents } from '../../../shared/money.js';
import type { AuditLog } from '../auth/audit-log.js';
import type { ShopSettings } from '../env-settings.js';
import type { PaymentService } from '../payments/payment-service.js';
import { checkRefundable } from '../payments/refundable.js';
import type { Clock, LedgerStore, PaymentStore } from '../ports.js';
import { actorOf } from './access.js';
import { terminalForbidden, type EdgeEnv } from './auth.js';
import { CREATED_RESPONSES, createdAnswer } from './payment-answers.js';
import { describe } from './route-doc.js';
import { limitRefusal, limitsFor } from './sale-access.js';
import { badRequest, jsonBody } from './validation.js';

// /api/refunds: a refund goes the way its purchase went (its terminal's channel). Every give-back is
// claimed against the caller's limits before the terminal is asked, and released if it did not happen.

export interface RefundRouteDeps {
  readonly store: PaymentStore;
  readonly payments: PaymentService;
  readonly ledger: LedgerStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly capCents: Cents;
  readonly shop: ShopSettings;
}

export function refundRoutes(deps: RefundRouteDeps) {
  const { store, ledger } = deps;
  return new Hono<EdgeEnv>().post(
    '/',
    describe({
      summary: 'Refund an approved purchase on its terminal (MPRRefund, or the LAN terminal\'s refund); a till device within its give-back limits (403 admin_required with left)',
      terminal: { from: 'body_payment', field: 'originalRuid' },
      responses: { ...CREATED_RESPONSES, '403': { description: 'admin_required (a limit, with left) or terminal_not_allowed' } },
    }),
    jsonBody('CreateRefund', CreateRefundBody, (body) => checkRefundInput(body, deps.capCents)),
    async (c) => {
      const input = c.req.valid('json');
      const actor = actorOf(c);
      const found = await store.getPayment(input.originalRuid);
      const forbidden = found ? terminalForbidden(c, found.payment.tid) : undefined;
      if (forbidden) return forbidden;
      const checked = await checkRefundable(store, input);
      if (checked.kind === 'invalid') {
        const { kind: _kind, ...error } = checked;
        return badRequest(c, error);
      }
      const { original } = checked;
      const sale = await ledger.saleForPayment(input.originalRuid);
      const claim = await ledger.claimGiveBack(
        { id: input.ruid, kind: 'card_refund', saleId: sale?.id, paymentRuid: input.originalRuid, actor: actor.name, cents: input.amountCents, currency: original.currency, atMs: deps.clock.now() },
        limitsFor(c.get('principal'), deps.shop, deps.clock.now()),
      );
      if (claim.kind === 'limit') {
        await deps.audit.record({ actor: actor.name, action: 'refund.create', ruid: input.ruid, result: `limit:${claim.scope}` });
        return limitRefusal(c, claim);
      }
      const terminal = await store.getTerminal(original.tid);
      const result = terminal
        ? await deps.payments.create(actor, { ruid: input.ruid, kind: 'refund', terminal, amountCents: input.amountCents, reference: undefined, original })
        : undefined;
      if (result?.kind !== 'created' && result?.kind !== 'exists') await ledger.releaseGiveBack(input.ruid);
      if (!result) return badRequest(c, { field: 'originalRuid', rule: 'terminal', message: 'the purchase\'s terminal is no longer set up' });
      await deps.audit.record({ actor: actor.name, action: 'refund.create', ruid: input.ruid, result: result.kind });
      return createdAnswer(c, store, result);
    },
  );
}
