import { Hono, type Context } from 'hono';
import { CashRefundBody, DayCloseBody } from '../../../shared/api.js';
import { formatCents, parseAmount, parseAmountWithinCap, type Cents } from '../../../shared/money.js';
import { checkSaleInput, SaleBody } from '../../../shared/sale-check.js';
import { zReportCsv } from '../../../shared/z-report.js';
import { checkRuid } from '../../../shared/validation.js';
import type { AuditLog } from '../auth/audit-log.js';
import type { ShopSettings } from '../env-settings.js';
import { reportOf } from '../day-close.js';
import type { Clock, LedgerStore, PaymentStore, StoredSale } from '../ports.js';
import { isAdmin, principalName, requireAdmin, terminalForbidden, type EdgeEnv } from './auth.js';
import { badRequest, readJson } from './validation.js';

// The ledger's routes: completed sales from the tills (idempotent by id, so an outbox may send a
// sale any number of times), cash refunds, and the day close (Z report).

export interface LedgerRouteDeps {
  readonly ledger: LedgerStore;
  readonly payments: PaymentStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly capCents: Cents;
  readonly shop: ShopSettings;
}

const saleNotFound = (c: Context<EdgeEnv>) => c.json({ error: { code: 'not_found', message: 'no sale with this id' } }, 404);

export function ledgerRoutes(deps: LedgerRouteDeps): Hono<EdgeEnv> {
  const { ledger, payments, audit, clock } = deps;
  const routes = new Hono<EdgeEnv>();
  const record = (c: Context<EdgeEnv>, action: string, id: string | undefined, result: string) => audit.record({ actor: principalName(c.get('principal')), action, ruid: id, result });
  const saleForbidden = (c: Context<EdgeEnv>, sale: StoredSale) => (sale.tid ? terminalForbidden(c, sale.tid) : undefined);

  /** What is left to refund of each tender of a sale. */
  const refundable = async (sale: StoredSale) => {
    const cash = sale.cashKeptCents - (await ledger.cashRefunds(sale.id)).reduce((sum, refund) => sum + refund.cents, 0);
    let card = 0;
    if (sale.paymentRuid) {
      const payment = await payments.getPayment(sale.paymentRuid);
      if (payment?.payment.state === 'approved') card = sale.cardCents - (await payments.refundedCents(sale.paymentRuid));
    }
    return { cash: formatCents(Math.max(cash, 0)), card: formatCents(Math.max(card, 0)) };
  };

  routes.put('/sales/:id', async (c) => {
    const body = await readJson(c, SaleBody);
    if (!body.ok) return badRequest(c, body.error);
    const input = checkSaleInput(c.req.param('id'), body.value, deps.capCents);
    if (!input.ok) return badRequest(c, input.error);
    let tid: string | undefined;
    if (input.value.paymentRuid !== undefined) {
      const found = await payments.getPayment(input.value.paymentRuid);
      if (found) {
        const forbidden = terminalForbidden(c, found.payment.tid);
        if (forbidden) return forbidden;
      }
      // A card part must be a payment myPOS approved, for that amount (voided since is still a sale made: the void is its own event).
      const payment = found?.payment;
      // A card part is a purchase, or the completion of a pre-authorisation (LAN terminals).
      const charge = payment?.kind === 'purchase' || payment?.kind === 'completion';
      if (!payment || !charge || (payment.state !== 'approved' && payment.state !== 'voided') || payment.amountCents !== input.value.cardCents) {
        return badRequest(c, { field: 'card.ruid', rule: 'approved_payment', message: 'card.ruid must be an approved payment of card.amount' });
      }
      tid = payment.tid;
    }
    const result = await ledger.putSale({ ...input.value, tid, receivedAt: new Date(clock.now()).toISOString() });
    if (result.kind !== 'same') await record(c, 'sale.put', input.value.id, result.kind);
    if (result.kind === 'conflict') return c.json({ error: { code: 'sale_conflict', field: 'id', rule: 'same_body', message: 'this sale id is already used by a different sale' } }, 409);
    return c.json({ sale: result.sale }, result.kind === 'created' ? 201 : 200);
  });

  routes.get('/sales', async (c) => requireAdmin(c) ?? c.json({ sales: await ledger.listSales() }));

  routes.get('/sales/:id', async (c) => {
    const sale = await ledger.getSale(c.req.param('id'));
    if (!sale) return saleNotFound(c);
    return saleForbidden(c, sale) ?? c.json({ sale, refundable: await refundable(sale), cashRefunds: await ledger.cashRefunds(sale.id) });
  });

  routes.post('/sales/:id/cash-refunds', async (c) => {
    const body = await readJson(c, CashRefundBody);
    if (!body.ok) return badRequest(c, body.error);
    const id = checkRuid(body.value.id, 'id');
    if (!id.ok) return badRequest(c, id.error);
    const amount = parseAmountWithinCap(body.value.amount, deps.capCents);
    if (!amount.ok) return badRequest(c, amount.error);
    const sale = await ledger.getSale(c.req.param('id'));
    if (!sale) return saleNotFound(c);
    const forbidden = saleForbidden(c, sale);
    if (forbidden) return forbidden;
    if (amount.value > deps.shop.refundLimitCents && !isAdmin(c.get('principal'))) {
      return c.json({ error: { code: 'admin_required', field: 'amount', rule: 'refund_limit', message: `Refunds over ${formatCents(deps.shop.refundLimitCents)} need an admin.` } }, 403);
    }
    const result = await ledger.addCashRefund({ id: id.value, saleId: sale.id, cents: amount.value, at: new Date(clock.now()).toISOString(), actor: principalName(c.get('principal')) });
    await record(c, 'refund.cash', id.value, result.kind);
    switch (result.kind) {
      case 'no_sale':
        return saleNotFound(c);
      case 'over':
        return badRequest(c, { field: 'amount', rule: 'refundable', message: `amount must be at most ${formatCents(result.refundableCents)}, the cash of this sale not yet refunded` });
      case 'conflict':
        return c.json({ error: { code: 'refund_conflict', field: 'id', rule: 'same_body', message: 'this refund id is already used by a different refund' } }, 409);
      default:
        return c.json({ refund: result.refund, refundable: await refundable(sale) }, result.kind === 'created' ? 201 : 200);
    }
  });

  // The day close. Admin only: it shows every till's takings, and closing is for the manager.
  routes.get('/day-closes/current', async (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const float = parseAmount(c.req.query('openingFloat') ?? '0.00', 'openingFloat');
    if (!float.ok) return badRequest(c, float.error);
    const counted = c.req.query('countedCash') === undefined ? undefined : parseAmount(c.req.query('countedCash') ?? '', 'countedCash');
    if (counted && !counted.ok) return badRequest(c, counted.error);
    return c.json({ report: reportOf(await ledger.period(), float.value, counted?.value) });
  });

  routes.post('/day-closes', async (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const body = await readJson(c, DayCloseBody);
    if (!body.ok) return badRequest(c, body.error);
    const float = parseAmount(body.value.openingFloat, 'openingFloat');
    if (!float.ok) return badRequest(c, float.error);
    const counted = parseAmount(body.value.countedCash, 'countedCash');
    if (!counted.ok) return badRequest(c, counted.error);
    const closedBy = principalName(c.get('principal'));
    const close = await ledger.closeDay({ closedAt: new Date(clock.now()).toISOString(), closedBy, openingFloatCents: float.value, countedCashCents: counted.value });
    await record(c, 'day.close', String(close.no), `net ${formatCents(close.report.netCents)}`);
    return c.json({ close }, 201);
  });

  routes.get('/day-closes', async (c) => requireAdmin(c) ?? c.json({ closes: await ledger.listDayCloses() }));

  const closeNo = (c: Context<EdgeEnv>) => (/^[1-9][0-9]{0,8}$/.test(c.req.param('no') ?? '') ? Number(c.req.param('no')) : undefined);

  routes.get('/day-closes/:no', async (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const no = closeNo(c);
    const close = no === undefined ? undefined : await ledger.getDayClose(no);
    if (!close || no === undefined) return c.json({ error: { code: 'not_found', message: 'no day close with this number' } }, 404);
    // Rebuilt from the events the close took: the stored report must come out the same.
    const rebuilt = reportOf(await ledger.period(no), close.report.openingFloatCents, close.report.countedCashCents);
    return c.json({ close, reproduced: JSON.stringify(rebuilt) === JSON.stringify(close.report) });
  });

  routes.get('/day-closes/:no/csv', async (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const no = closeNo(c);
    const close = no === undefined ? undefined : await ledger.getDayClose(no);
    if (!close) return c.json({ error: { code: 'not_found', message: 'no day close with this number' } }, 404);
    return c.body(zReportCsv(close.report), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="z-report-${close.no}.csv"` });
  });

  return routes;
}
