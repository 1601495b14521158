import { Hono } from 'hono';
import { checkPaymentInput, CreatePaymentBody, ResolvePaymentBody } from '../../../shared/api.js';
import { formatCents, type Cents } from '../../../shared/money.js';
import { paymentOperations } from '../../../shared/operations.js';
import { accept } from '../../../shared/result.js';
import { checkPlainText, checkRuid } from '../../../shared/validation.js';
import type { AuditLog } from '../auth/audit-log.js';
import type { Revocations } from '../auth/revocations.js';
import type { ShopSettings } from '../env-settings.js';
import type { PaymentService } from '../payments/payment-service.js';
import type { Clock, EventBus, LedgerStore, PaymentStore } from '../ports.js';
import { actorOf, adminOnly, notFoundPayment, paymentAccess, type PaymentEnv } from './access.js';
import { terminalForbidden } from './auth.js';
import { CREATED_RESPONSES, createdAnswer, forbiddenAnswer } from './payment-answers.js';
import { describe } from './route-doc.js';
import { limitRefusal, limitsFor } from './sale-access.js';
import { paymentEventStream } from './sse.js';
import { badRequest, jsonBody, pathParam } from './validation.js';

// /api/payments: start a card payment, read it, follow it, cancel or void it, settle it by hand.

export interface PaymentRouteDeps {
  readonly store: PaymentStore;
  readonly payments: PaymentService;
  readonly ledger: LedgerStore;
  readonly bus: EventBus;
  readonly audit: AuditLog;
  readonly revocations: Revocations;
  readonly clock: Clock;
  readonly capCents: Cents;
  readonly shop: ShopSettings;
  readonly ssePingMs: number;
}

const PAYMENT = { description: 'The payment', schema: { $ref: '#/components/schemas/PaymentBody' } };
const ruidParam = pathParam('ruid', checkRuid);

export function paymentRoutes(deps: PaymentRouteDeps) {
  const { store, payments, audit } = deps;
  return new Hono<PaymentEnv>()
    .post(
      '/',
      describe({ summary: 'Start a card payment on a terminal (idempotent by ruid)', terminal: { from: 'body_tid' }, responses: CREATED_RESPONSES }),
      jsonBody('CreatePayment', CreatePaymentBody, (body) => checkPaymentInput(body, deps.capCents)),
      async (c) => {
        const input = c.req.valid('json');
        const terminal = await store.getTerminal(input.tid);
        if (!terminal || terminal.state === 'not_subscribed') {
          return badRequest(c, { field: 'tid', rule: 'subscribed', message: 'tid must be a terminal set up on this till (Terminal setup)' });
        }
        const forbidden = terminalForbidden(c, input.tid);
        if (forbidden) return forbidden;
        const actor = actorOf(c);
        const result = await payments.create(actor, { ruid: input.ruid, kind: 'purchase', terminal, amountCents: input.amountCents, reference: input.reference, original: undefined });
        await audit.record({ actor: actor.name, action: 'payment.create', ruid: input.ruid, result: result.kind });
        return createdAnswer(c, store, result);
      },
    )
    .get(
      '/lost',
      describe({ summary: 'Admin: the lost card payments myPOS did not confirm (POST /api/payments/lost), asked since the last day close, shop-wide', responses: { '200': { description: '{payments: [{ruid, tid, amount, currency, reason, askedBy, askedAt}]}' } } }),
      adminOnly,
      async (c) => {
        const lost = await deps.ledger.unconfirmedLost();
        return c.json({ payments: lost.map(({ amountCents, ...rest }) => ({ ...rest, amount: formatCents(amountCents) })) });
      },
    )
    .post(
      '/lost',
      describe({
        summary:
          'A purchase a till says myPOS approved that these books do not hold (restored from an older backup): asked of myPOS once (MPRGetTxnStatus; IPCGetTxnStatus for a link), stored approved only when myPOS says approved for this amount; nothing reaches the terminal',
        terminal: { from: 'body_tid' },
        responses: {
          '201': { description: 'Confirmed by myPOS and stored', schema: { $ref: '#/components/schemas/PaymentBody' } },
          '200': { description: 'Already held here', schema: { $ref: '#/components/schemas/PaymentBody' } },
          '409': { description: 'not_confirmed (with reason: declined, cancelled, not_found, pending, no_answer or amount_differs; the sale stays with the till for a person), or not_supported (a LAN terminal: its slip is the only word)' },
        },
      }),
      jsonBody('CreatePayment', CreatePaymentBody, (body) => checkPaymentInput(body, deps.capCents)),
      async (c) => {
        const input = c.req.valid('json');
        const terminal = await store.getTerminal(input.tid);
        if (!terminal) return badRequest(c, { field: 'tid', rule: 'exists', message: 'tid must be a terminal known to this edge' });
        const forbidden = terminalForbidden(c, input.tid);
        if (forbidden) return forbidden;
        const actor = actorOf(c);
        const result = await payments.confirmLost(actor, { ruid: input.ruid, terminal, amountCents: input.amountCents, reference: input.reference });
        await audit.record({ actor: actor.name, action: 'payment.confirm_lost', ruid: input.ruid, result: result.kind === 'not_confirmed' ? `not_confirmed:${result.reason}` : result.kind });
        // Kept for the owner's day close (each till only knows its own), until myPOS confirms it.
        if (result.kind === 'not_confirmed') {
          await deps.ledger.noteUnconfirmedLost({ ruid: input.ruid, tid: input.tid, amountCents: input.amountCents, currency: terminal.currency, reason: result.reason, askedBy: actor.name, askedAt: new Date(deps.clock.now()).toISOString() });
        } else if (result.kind === 'confirmed' || result.kind === 'held') {
          await deps.ledger.forgetLost(input.ruid);
        }
        switch (result.kind) {
          case 'confirmed':
            return c.json({ payment: result.payment }, 201);
          case 'held':
            return c.json({ payment: result.payment }, 200);
          case 'not_confirmed':
            return c.json({ error: { code: 'not_confirmed', reason: result.reason, message: `myPOS did not confirm this payment as approved for this amount (${result.reason})` } }, 409);
          case 'forbidden':
            return forbiddenAnswer(c);
          case 'not_supported':
            return c.json({ error: { code: 'not_supported', message: 'This terminal\'s payments cannot be asked of myPOS: check them against the terminal\'s slips.' } }, 409);
        }
      },
    )
    .get('/:ruid', describe({ summary: 'A payment', responses: { '200': PAYMENT } }), ruidParam, paymentAccess(store), (c) => c.json({ payment: c.get('payment').payment }))
    .get(
      '/:ruid/events',
      describe({ summary: 'Server-sent events: one "payment" event per state change; Last-Event-ID replays; ends after a final state', headers: ['Last-Event-ID'], responses: { '200': { description: 'The events', mediaType: 'text/event-stream' } } }),
      ruidParam,
      async (c, next) => {
        const header = c.req.header('last-event-id') ?? c.req.query('lastEventId') ?? '0';
        if (!/^[0-9]{1,15}$/.test(header)) return badRequest(c, { field: 'Last-Event-ID', rule: 'integer', message: 'Last-Event-ID must be a whole number' });
        await next();
      },
      paymentAccess(store),
      (c) => {
        const principal = c.get('principal');
        // A revoked device's open streams end at once.
        const closeWhen = principal.kind === 'device' ? (close: () => void) => deps.revocations.onRevoked(principal.device.id, close) : undefined;
        const after = Number(c.req.header('last-event-id') ?? c.req.query('lastEventId') ?? '0');
        return paymentEventStream(c, c.get('payment').payment.ruid, after, store, deps.bus, { pingMs: deps.ssePingMs, closeWhen });
      },
    )
    .post(
      '/:ruid/cancel',
      describe({ summary: 'Cancel before the card paid (MPRCancel; a payment link nobody has opened), or void the last approved transaction (MPRLastTxnVoid), where the terminal\'s channel can', responses: { '200': PAYMENT, '409': { description: 'not_supported, pin_entry, customer_paying, already_final, not_last, no_answer or mypos_refused' } } }),
      ruidParam,
      paymentAccess(store),
      async (c) => {
        const { payment } = c.get('payment');
        const actor = actorOf(c);
        const operations = paymentOperations(payment);
        if (!operations.includes(payment.state === 'approved' ? 'void' : 'cancel')) {
          return c.json({ error: { code: 'not_supported', message: 'This payment\'s channel cannot cancel or void it from the till: cancel on the terminal, or refund.' }, payment }, 409);
        }
        // A void gives the payment back: it counts against the limits like a refund.
        const voidId = `void:${payment.ruid}`;
        if (payment.state === 'approved') {
          const sale = await deps.ledger.saleForPayment(payment.ruid);
          const limits = limitsFor(c.get('principal'), deps.shop, deps.clock.now());
          const claim = await deps.ledger.claimGiveBack({ id: voidId, kind: 'void', saleId: sale?.id, paymentRuid: payment.ruid, actor: actor.name, cents: payment.amountCents, currency: payment.currency, atMs: deps.clock.now() }, limits);
          if (claim.kind === 'limit') {
            await audit.record({ actor: actor.name, action: 'payment.cancel', ruid: payment.ruid, result: `limit:${claim.scope}` });
            return limitRefusal(c, claim);
          }
        }
        const result = await payments.cancel(actor, payment.ruid);
        if (result.kind !== 'voided') await deps.ledger.releaseGiveBack(voidId);
        await audit.record({ actor: actor.name, action: 'payment.cancel', ruid: payment.ruid, result: result.kind === 'refused' ? result.refusal.code : result.kind });
        if (result.kind === 'forbidden') return forbiddenAnswer(c);
        if (result.kind === 'not_found') return notFoundPayment(c);
        return result.kind === 'refused' ? c.json({ error: result.refusal, payment: result.payment }, 409) : c.json({ payment: result.payment }, 200);
      },
    )
    .post(
      '/:ruid/resolve',
      // Settling by hand says what a terminal did without the terminal's word for it: an admin's call.
      describe({ summary: 'Admin: settle by hand, after checking the terminal, an unknown payment whose channel settles lost answers so (LAN), or a cloud payment at check_terminal (myPOS and the terminal disagree)', responses: { '200': PAYMENT, '409': { description: 'not_unknown' } } }),
      adminOnly,
      // The terminal's reference, typed by the admin: free text like any other.
      jsonBody('ResolvePayment', ResolvePaymentBody, (body) => {
        const ref = body.ref?.trim() ?? '';
        const plain = checkPlainText(ref, 'ref');
        return plain.ok ? accept({ state: body.state, ref: ref || undefined }) : plain;
      }),
      paymentAccess(store),
      async (c) => {
        const { state, ref } = c.req.valid('json');
        const { payment } = c.get('payment');
        const actor = actorOf(c);
        const result = await payments.resolve(actor, payment.ruid, state, ref);
        await audit.record({ actor: actor.name, action: 'payment.resolve', ruid: payment.ruid, result: result.kind === 'resolved' ? state : result.kind });
        if (result.kind === 'forbidden') return forbiddenAnswer(c);
        if (result.kind === 'not_found') return notFoundPayment(c);
        return result.kind === 'refused' ? c.json({ error: { code: 'not_unknown', message: result.message } }, 409) : c.json({ payment: result.payment }, 200);
      },
    );
}
