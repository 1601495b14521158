import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { CashRefundBody, type ShopProfile } from '../../../shared/api.js';
import { formatCents, parseAmountWithinCap, type Cents } from '../../../shared/money.js';
import type { TerminalTransport } from '../../../shared/payments.js';
import { accept, refuse, type Checked } from '../../../shared/result.js';
import { checkSaleInput, RECEIPT_NO_MAX, SaleBody } from '../../../shared/sale-check.js';
import { checkRuid } from '../../../shared/validation.js';
import type { AuditLog } from '../auth/audit-log.js';
import type { ShopSettings } from '../env-settings.js';
import type { Clock, LedgerStore, PaymentStore, StoredSale } from '../ports.js';
import { saleSummary, saleView, type SaleSummary } from '../sale-view.js';
import { isAdmin, principalName, requireAdmin, terminalForbidden, type EdgeEnv } from './auth.js';
import { describe } from './route-doc.js';
import { limitRefusal, limitsFor, maySeeSale, saleForbidden } from './sale-access.js';
import { badRequest, jsonBody } from './validation.js';

// The sales of the ledger: completed sales from the tills (idempotent by id, so an outbox may send a
// sale any number of times) and the cash handed back against them.

export interface SaleRouteDeps {
  readonly ledger: LedgerStore;
  readonly payments: PaymentStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly capCents: Cents;
  /** The give-back limits. */
  readonly shop: ShopSettings;
  /** The shop's name and currency, as an admin last saved them. */
  readonly profile: () => Promise<ShopProfile>;
}

/** The most ids one answer of GET /api/sales/ids holds (more: true when more sales matched). */
export const SALE_IDS_LIMIT = 10_000;

const IsoTime = v.pipe(v.string(), v.isoTimestamp());

const PrintedUpToBody = v.strictObject({ upTo: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(RECEIPT_NO_MAX), v.description('The highest receipt number the till printed')) });

/** A required ISO 8601 time in the query (?since=, the export's ?from=), the same rule as a sale's completedAt: its ms. */
export function isoTimeQuery(field: string, text: string | undefined): Checked<number> {
  if (text === undefined || text === '') return refuse(field, 'required', `${field} is required: an ISO 8601 time, such as 2026-11-22T10:00:00.000Z`);
  const ms = Date.parse(text);
  if (!v.is(IsoTime, text) || Number.isNaN(ms)) return refuse(field, 'format', `${field} must be an ISO 8601 time, such as 2026-11-22T10:00:00.000Z`);
  return accept(ms);
}

const saleNotFound = (c: Context<EdgeEnv>) => c.json({ error: { code: 'not_found', message: 'no sale with this id' } }, 404);

/** A cash refund's id and amount (at most the cap), each by its rule. */
function cashRefundCheck(capCents: Cents) {
  return (body: v.InferOutput<typeof CashRefundBody>): Checked<{ id: string; cents: Cents }> => {
    const id = checkRuid(body.id, 'id');
    if (!id.ok) return id;
    const amount = parseAmountWithinCap(body.amount, capCents);
    if (!amount.ok) return amount;
    return accept({ id: id.value, cents: amount.value });
  };
}

export function saleRoutes(deps: SaleRouteDeps) {
  const { ledger, payments, audit, clock } = deps;
  const record = (c: Context<EdgeEnv>, action: string, id: string | undefined, result: string) => audit.record({ actor: principalName(c.get('principal')), action, ruid: id, result });
  const nowIso = () => new Date(clock.now()).toISOString();
  const view = (c: Context<EdgeEnv>, sale: StoredSale) => saleView(ledger, payments, sale, principalName(c.get('principal')), limitsFor(c.get('principal'), deps.shop, clock.now()));

  const routes = new Hono<EdgeEnv>()
    .put(
      '/:id',
      describe({
        summary:
          'Book a completed sale in the ledger (idempotent by id: 201 new with its receiptNo, 200 the same again, 409 sale_conflict another body, 409 payment_already_booked when its card payment is in another sale); lines are priced again, the tenders must cover the total, products and cash only in the shop currency',
        responses: { '201': { description: 'Stored' }, '200': { description: 'Already stored, the same' }, '409': { description: 'sale_conflict or payment_already_booked' }, '503': { description: 'ledger_restored: the books were restored and this device has not sent POST /api/sales/printed yet (X-Ledger-Restored, Retry-After)' } },
      }),
      // The sale's own rules need the path's id too (jsonBody's check sees the body only): checked in the route.
      jsonBody('Sale', SaleBody),
      async (c) => {
        const input = checkSaleInput(c.req.param('id'), c.req.valid('json'), deps.capCents);
        if (!input.ok) return badRequest(c, input.error);
        const sale = input.value;
        const shop = await deps.profile();
        // The catalogue is priced in the shop's currency and the drawer holds it: only a card part may be in another.
        if (sale.currency !== shop.currency && sale.lines.some((line) => line.productId !== undefined)) {
          return badRequest(c, { field: 'currency', rule: 'shop_currency', message: `currency must be ${shop.currency}: the catalogue's products are priced in it` });
        }
        if (sale.currency !== shop.currency && (sale.cashKeptCents > 0 || sale.cashTenderedCents > 0)) {
          return badRequest(c, { field: 'cash', rule: 'shop_currency', message: `cash is taken in ${shop.currency} only; a sale in ${sale.currency} is paid by card` });
        }
        let tid: string | undefined;
        let transport: TerminalTransport | undefined;
        if (sale.paymentRuid !== undefined) {
          const found = await payments.getPayment(sale.paymentRuid);
          if (found) {
            const forbidden = terminalForbidden(c, found.payment.tid);
            if (forbidden) return forbidden;
          }
          // A card part must be a payment myPOS approved, for that amount (voided since is still a sale made: the void is its own event).
          const payment = found?.payment;
          // A card part is a purchase, or the completion of a pre-authorisation (LAN terminals).
          const charge = payment?.kind === 'purchase' || payment?.kind === 'completion';
          if (!payment || !charge || (payment.state !== 'approved' && payment.state !== 'voided') || payment.amountCents !== sale.cardCents) {
            return badRequest(c, { field: 'card.ruid', rule: 'approved_payment', message: 'card.ruid must be an approved payment of card.amount' });
          }
          if (payment.currency !== sale.currency) {
            return badRequest(c, { field: 'currency', rule: 'payment_currency', message: `currency must be ${payment.currency}, the currency of the card payment` });
          }
          tid = payment.tid;
          // The channel books a link apart from a terminal's card (the report's online tender); the
          // ledger leaves it out when it compares a resend with what it holds.
          transport = payment.transport;
        }
        const principal = c.get('principal');
        // Restored books: a device's new sale waits until it said what it printed (else it could take
        // one of those numbers). 503: every till, of any version, sends it again later; never drops it.
        // The restored mark first: on books never restored (nearly always) no second read of the sale.
        if (principal.kind === 'device' && (await ledger.mustTellPrinted(principalName(principal))) && !(await ledger.getSale(sale.id))) {
          c.header('Retry-After', '5');
          c.header('X-Ledger-Restored', '1');
          return c.json({ error: { code: 'ledger_restored', message: 'The books were restored: POST /api/sales/printed first, then send the sale again' } }, 503);
        }
        const bookedFor = principal.kind === 'device' && !isAdmin(principal) ? principal.device.terminals : ['*'];
        const result = await ledger.putSale({ ...sale, tid, transport, receivedAt: nowIso(), bookedBy: principalName(principal), bookedFor }, c.req.valid('json').receiptNo);
        if (result.kind !== 'same') await record(c, 'sale.put', sale.id, result.kind);
        if (result.kind === 'conflict') return c.json({ error: { code: 'sale_conflict', field: 'id', rule: 'same_body', message: 'this sale id is already used by a different sale' } }, 409);
        if (result.kind === 'payment_booked') {
          return c.json(
            { error: { code: 'payment_already_booked', field: 'card.ruid', rule: 'booked_once', message: `this card payment is already booked in sale ${result.sale.id}`, saleId: result.sale.id, receiptNo: result.sale.receiptNo } },
            409,
          );
        }
        return c.json({ sale: result.sale }, result.kind === 'created' ? 201 : 200);
      },
    )
    // Admins list the whole ledger; any device may ask about the sales it holds (?ids=a,b,c), for History.
    // Admin only without ?ids or ?receiptNo, so the admin check stays in the route.
    .get(
      '/',
      describe({
        summary: 'The sales ledger (admin); with ?ids=a,b (at most 100) any device gets {id, receiptNo, status} of the sales it may see',
        query: [
          { name: 'ids', description: 'sale ids, comma-separated, at most 100: the ones the caller may see' },
          { name: 'receiptNo', description: 'a receipt number: its sale, if the caller may see it' },
        ],
        responses: { '403': { description: 'admin_required: the whole ledger (neither ids nor receiptNo) from a till device' } },
      }),
      async (c) => {
        const ids = c.req.query('ids');
        const receiptNo = c.req.query('receiptNo');
        if (receiptNo !== undefined) {
          // Any till may look a receipt up by its number (a refund at another counter), within what it may see.
          if (!/^[1-9][0-9]{0,8}$/.test(receiptNo)) return badRequest(c, { field: 'receiptNo', rule: 'integer', message: 'receiptNo must be a whole number from 1' });
          const sale = await ledger.saleByReceiptNo(Number(receiptNo));
          return c.json({ sales: sale && maySeeSale(c.get('principal'), sale) ? [await saleSummary(ledger, payments, sale)] : [] });
        }
        if (ids === undefined) return requireAdmin(c) ?? c.json({ sales: await ledger.listSales() });
        const list = ids.split(',').filter((id) => id !== '');
        if (list.length > 100) return badRequest(c, { field: 'ids', rule: 'max', message: 'ids must name at most 100 sales' });
        const summaries: SaleSummary[] = [];
        for (const id of list) {
          const sale = await ledger.getSale(id);
          if (sale && maySeeSale(c.get('principal'), sale)) summaries.push(await saleSummary(ledger, payments, sale));
        }
        return c.json({ sales: summaries });
      },
    )
    // Before /:id, which would take "ids" for a sale's id.
    .post(
      '/printed',
      describe({
        summary:
          'After a restore, before a till sends its sales again: the highest receipt number it printed ({upTo}). New sales are numbered after it, so none takes the number of a sale still to come back (those keep their printed numbers); it only grows',
        responses: { '204': { description: 'Noted' } },
      }),
      jsonBody('PrintedUpTo', PrintedUpToBody),
      async (c) => {
        const { upTo } = c.req.valid('json');
        await ledger.notePrintedUpTo(upTo, principalName(c.get('principal')));
        await record(c, 'sale.printed_up_to', undefined, String(upTo));
        return c.body(null, 204);
      },
    )
    .get(
      '/ids',
      describe({
        summary:
          'After a restore: {generation, ids, more} - the ledger generation and the ids of the sales completed (their completedAt) at or after ?since, the earliest first, at most 10000 (more: true when cut); a till device gets only the sales it booked, an admin all',
        query: [{ name: 'since', description: 'required: an ISO 8601 time; sales completed at or after it' }],
        responses: { '200': { description: '{generation, ids, more}' }, '400': { description: 'since missing (required) or not an ISO time (format)' } },
      }),
      async (c) => {
        const since = isoTimeQuery('since', c.req.query('since'));
        if (!since.ok) return badRequest(c, since.error);
        const principal = c.get('principal');
        const bookedBy = isAdmin(principal) ? undefined : principalName(principal);
        const [generation, found] = await Promise.all([ledger.ledgerGeneration(), ledger.saleIdsSince(since.value, bookedBy, SALE_IDS_LIMIT)]);
        return c.json({ generation, ids: found.ids, more: found.more });
      },
    )
    .get(
      '/:id',
      describe({
        summary: 'A sale with its status (paid, partly_refunded, refunded, voided), what was given back, what is left to refund of each tender, voidable (and voidRefusal), limitLeft for a till device',
        responses: { '200': { description: 'The sale' }, '403': { description: 'sale_not_allowed' }, '404': { description: 'not_found' } },
      }),
      async (c) => {
        const sale = await ledger.getSale(c.req.param('id'));
        if (!sale) return saleNotFound(c);
        return saleForbidden(c, sale) ?? c.json({ ...(await view(c, sale)), cashRefunds: await ledger.cashRefunds(sale.id) });
      },
    )
    .post(
      '/:id/cash-refunds',
      describe({
        summary: 'Hand back cash against a sale (idempotent by id; at most its cash part not yet refunded)',
        responses: { '201': { description: 'Recorded' }, '403': { description: 'sale_not_allowed, or admin_required over a give-back limit (with left)' }, '404': { description: 'not_found' } },
      }),
      jsonBody('CashRefund', CashRefundBody, cashRefundCheck(deps.capCents)),
      async (c) => {
        const input = c.req.valid('json');
        const sale = await ledger.getSale(c.req.param('id'));
        if (!sale) return saleNotFound(c);
        const forbidden = saleForbidden(c, sale);
        if (forbidden) return forbidden;
        const principal = c.get('principal');
        const refund = { id: input.id, saleId: sale.id, cents: input.cents, currency: sale.currency, at: nowIso(), actor: principalName(principal) };
        const result = await ledger.addCashRefund(refund, limitsFor(principal, deps.shop, clock.now()));
        await record(c, 'refund.cash', input.id, result.kind);
        switch (result.kind) {
          case 'no_sale':
            return saleNotFound(c);
          case 'over':
            return badRequest(c, { field: 'amount', rule: 'refundable', left: formatCents(result.refundableCents), message: `amount must be at most ${formatCents(result.refundableCents)}, the cash of this sale not yet refunded` });
          case 'limit':
            return limitRefusal(c, result);
          case 'conflict':
            return c.json({ error: { code: 'refund_conflict', field: 'id', rule: 'same_body', message: 'this refund id is already used by a different refund' } }, 409);
          default:
            return c.json({ refund: result.refund, ...(await view(c, sale)) }, result.kind === 'created' ? 201 : 200);
        }
      },
    );
  return routes;
}
