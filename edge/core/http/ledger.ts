import { Hono, type Context } from 'hono';
import { CashRefundBody, DayCloseBody } from '../../../shared/api.js';
import { formatCents, parseAmount, parseAmountWithinCap, type Cents } from '../../../shared/money.js';
import { checkSaleInput, SaleBody } from '../../../shared/sale-check.js';
import { zReportCsv } from '../../../shared/z-report.js';
import { checkRuid } from '../../../shared/validation.js';
import type { AuditLog } from '../auth/audit-log.js';
import type { ShopProfile } from '../../../shared/api.js';
import type { ShopSettings } from '../env-settings.js';
import { rebuiltReport, reportOf } from '../day-close.js';
import type { Clock, LedgerStore, PaymentStore, StoredSale } from '../ports.js';
import { saleSummary, saleView, type SaleSummary } from '../sale-view.js';
import { isAdmin, principalName, requireAdmin, terminalForbidden, type EdgeEnv } from './auth.js';
import { limitRefusal, limitsFor, maySeeSale, saleForbidden } from './sale-access.js';
import { badRequest, readJson } from './validation.js';

// The ledger's routes: completed sales from the tills (idempotent by id, so an outbox may send a
// sale any number of times), cash refunds, and the day close (Z report).

export interface LedgerRouteDeps {
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

const saleNotFound = (c: Context<EdgeEnv>) => c.json({ error: { code: 'not_found', message: 'no sale with this id' } }, 404);
const closeNotFound = (c: Context<EdgeEnv>) => c.json({ error: { code: 'not_found', message: 'no day close with this number' } }, 404);

export function ledgerRoutes(deps: LedgerRouteDeps): Hono<EdgeEnv> {
  const { ledger, payments, audit, clock } = deps;
  const routes = new Hono<EdgeEnv>();
  const record = (c: Context<EdgeEnv>, action: string, id: string | undefined, result: string) => audit.record({ actor: principalName(c.get('principal')), action, ruid: id, result });
  const nowIso = () => new Date(clock.now()).toISOString();
  const view = (c: Context<EdgeEnv>, sale: StoredSale) => saleView(ledger, payments, sale, principalName(c.get('principal')), limitsFor(c.get('principal'), deps.shop, clock.now()));

  routes.put('/sales/:id', async (c) => {
    const body = await readJson(c, SaleBody);
    if (!body.ok) return badRequest(c, body.error);
    const input = checkSaleInput(c.req.param('id'), body.value, deps.capCents);
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
    }
    const principal = c.get('principal');
    const bookedFor = principal.kind === 'device' && !isAdmin(principal) ? principal.device.terminals : ['*'];
    const result = await ledger.putSale({ ...sale, tid, receivedAt: nowIso(), bookedBy: principalName(principal), bookedFor });
    if (result.kind !== 'same') await record(c, 'sale.put', sale.id, result.kind);
    if (result.kind === 'conflict') return c.json({ error: { code: 'sale_conflict', field: 'id', rule: 'same_body', message: 'this sale id is already used by a different sale' } }, 409);
    if (result.kind === 'payment_booked') {
      return c.json(
        { error: { code: 'payment_already_booked', field: 'card.ruid', rule: 'booked_once', message: `this card payment is already booked in sale ${result.sale.id}`, saleId: result.sale.id, receiptNo: result.sale.receiptNo } },
        409,
      );
    }
    return c.json({ sale: result.sale }, result.kind === 'created' ? 201 : 200);
  });

  // Admins list the whole ledger; any device may ask about the sales it holds (?ids=a,b,c), for History.
  routes.get('/sales', async (c) => {
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
  });

  routes.get('/sales/:id', async (c) => {
    const sale = await ledger.getSale(c.req.param('id'));
    if (!sale) return saleNotFound(c);
    return saleForbidden(c, sale) ?? c.json({ ...(await view(c, sale)), cashRefunds: await ledger.cashRefunds(sale.id) });
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
    const principal = c.get('principal');
    const refund = { id: id.value, saleId: sale.id, cents: amount.value, currency: sale.currency, at: nowIso(), actor: principalName(principal) };
    const result = await ledger.addCashRefund(refund, limitsFor(principal, deps.shop, clock.now()));
    await record(c, 'refund.cash', id.value, result.kind);
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
  });

  const money = (c: Context<EdgeEnv>) => {
    const float = parseAmount(c.req.query('openingFloat') ?? '0.00', 'openingFloat');
    if (!float.ok) return float;
    const countedText = c.req.query('countedCash');
    const counted = countedText === undefined ? undefined : parseAmount(countedText, 'countedCash');
    if (counted && !counted.ok) return counted;
    return { ok: true as const, value: { openingFloatCents: float.value, countedCashCents: counted?.value } };
  };

  // The day close. Admin only: it shows every till's takings, and closing is for the manager.
  routes.get('/day-closes/current', async (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const options = money(c);
    if (!options.ok) return badRequest(c, options.error);
    const shop = await deps.profile();
    return c.json({ report: reportOf(await ledger.period(), { ...options.value, shopCurrency: shop.currency, to: nowIso() }), shop: shop.name });
  });

  routes.get('/day-closes/current/csv', async (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const options = money(c);
    if (!options.ok) return badRequest(c, options.error);
    const shop = await deps.profile();
    const report = reportOf(await ledger.period(), { ...options.value, shopCurrency: shop.currency, to: nowIso() });
    return csv(c, zReportCsv(report, { shop: shop.name, no: undefined }), 'x-report.csv');
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
    const shop = await deps.profile();
    const close = await ledger.closeDay({ closedAt: nowIso(), closedBy, openingFloatCents: float.value, countedCashCents: counted.value, shopCurrency: shop.currency });
    const nets = Object.entries(close.report.byCurrency).map(([currency, figures]) => `${currency} ${figures.net}`);
    await record(c, 'day.close', String(close.no), `net ${nets.join(', ')}`);
    return c.json({ close, shop: shop.name }, 201);
  });

  routes.get('/day-closes', async (c) => requireAdmin(c) ?? c.json({ closes: await ledger.listDayCloses(), shop: (await deps.profile()).name }));

  const closeNo = (c: Context<EdgeEnv>) => (/^[1-9][0-9]{0,8}$/.test(c.req.param('no') ?? '') ? Number(c.req.param('no')) : undefined);

  routes.get('/day-closes/:no', async (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const no = closeNo(c);
    const close = no === undefined ? undefined : await ledger.getDayClose(no);
    if (!close || no === undefined) return closeNotFound(c);
    // Rebuilt from the events the close took: the stored report must come out the same.
    const shop = await deps.profile();
    const rebuilt = rebuiltReport(close, await ledger.period(no), shop.currency);
    return c.json({ close, shop: shop.name, reproduced: JSON.stringify(rebuilt) === JSON.stringify(close.report) });
  });

  routes.get('/day-closes/:no/csv', async (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const no = closeNo(c);
    const close = no === undefined ? undefined : await ledger.getDayClose(no);
    if (!close) return closeNotFound(c);
    return csv(c, zReportCsv(close.report, { shop: (await deps.profile()).name, no: close.no }), `z-report-${close.no}.csv`);
  });

  return routes;
}

function csv(c: Context<EdgeEnv>, text: string, filename: string) {
  return c.body(text, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` });
}
