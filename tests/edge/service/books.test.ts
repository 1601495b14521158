import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRuid } from '../../../shared/ruid.js';
import type { ZReport } from '../../../shared/z-report.js';
import { startEdgeHarness, type EdgeHarness } from '../../helpers/edge-harness.js';
import { cardSale, cashSale } from '../../helpers/sale-bodies.js';
import { expectReportReconciled } from '../../helpers/z-identities.js';

// The money model over HTTP: currencies, a card payment booked once, give-back limits over totals
// for till devices, sales bound to the devices and terminals that made them, receipt numbers and
// what happened to each sale.

let h: EdgeHarness;
beforeAll(async () => {
  h = await startEdgeHarness({ SIM_TERMINALS: '90000015:EUR,90000016:EUR,90000018:BGN', EDGE_REFUND_LIMIT: '100.00', EDGE_DEVICE_REFUND_DAY_LIMIT: '300.00' });
  // The BGN terminal is in cash-register mode at myPOS: the edge learns it like any other.
  await h.api('POST', '/api/terminals', { tid: '90000018', currency: 'BGN' });
});
afterAll(async () => {
  await h.close();
});

type ErrorBody = { error: { code?: string; field?: string; rule?: string; saleId?: string; left?: string; message: string } };
const as = (token: string) => ({ authorization: `Bearer ${token}` });

async function approved(amount: string, tid = '90000015', headers: Record<string, string> = {}): Promise<string> {
  const ruid = newRuid();
  expect((await h.api('POST', '/api/payments', { ruid, tid, amount }, headers)).status).toBe(202);
  await h.waitFor(ruid, ['approved']);
  return ruid;
}

describe('currency is part of every amount', () => {
  it('refuses a catalogue sale or cash in another currency, and a card part booked in a currency not its own', async () => {
    const bgn = await approved('5.00', '90000018');
    const catalogue = { ...cardSale('5.00', bgn), currency: 'BGN', lines: [{ name: 'Espresso', unitPrice: '5.00', quantity: 1, vatRate: '20', productId: newRuid() }] };
    const refused = await h.api<ErrorBody>('PUT', `/api/sales/${newRuid()}`, catalogue);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ field: 'currency', rule: 'shop_currency' });
    expect(refused.body.error.message).toContain('EUR');
    const cashInBgn = await h.api<ErrorBody>('PUT', `/api/sales/${newRuid()}`, { ...cashSale('5.00'), currency: 'BGN' });
    expect(cashInBgn.body.error).toMatchObject({ field: 'cash', rule: 'shop_currency' });
    const asEuro = await h.api<ErrorBody>('PUT', `/api/sales/${newRuid()}`, cardSale('5.00', bgn));
    expect(asEuro.body.error).toMatchObject({ field: 'currency', rule: 'payment_currency' });
    // A typed amount on the BGN terminal is a BGN sale.
    const booked = await h.api<{ sale: { currency: string; tid: string } }>('PUT', `/api/sales/${newRuid()}`, { ...cardSale('5.00', bgn), currency: 'BGN' });
    expect(booked.status).toBe(201);
    expect(booked.body.sale).toMatchObject({ currency: 'BGN', tid: '90000018' });
  });
});

describe('a card payment is booked at most once', () => {
  it('answers 409 payment_already_booked naming the sale that holds it', async () => {
    const ruid = await approved('7.00');
    const first = newRuid();
    expect((await h.api('PUT', `/api/sales/${first}`, cardSale('7.00', ruid))).status).toBe(201);
    const second = await h.api<ErrorBody>('PUT', `/api/sales/${newRuid()}`, cardSale('7.00', ruid));
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'payment_already_booked', field: 'card.ruid', saleId: first });
    // A split sale around the same payment is the same double booking.
    const split = await h.api<ErrorBody>('PUT', `/api/sales/${newRuid()}`, cardSale('9.00', ruid, '7.00'));
    expect(split.body.error.code).toBe('payment_already_booked');
    // The first sale resent is still 200.
    expect((await h.api('PUT', `/api/sales/${first}`, cardSale('7.00', ruid))).status).toBe(200);
  });
});

describe('give-back limits hold over totals for till devices', () => {
  it('bounds card refunds + cash refunds + voids of one sale by EDGE_REFUND_LIMIT, with the amount left', async () => {
    const till = await h.pairDevice({ role: 'till', terminals: ['90000015'] });
    const ruid = await approved('150.00', '90000015', as(till.token));
    const id = newRuid();
    expect((await h.api('PUT', `/api/sales/${id}`, cardSale('200.00', ruid, '150.00'), as(till.token))).status).toBe(201);
    const first = newRuid();
    expect((await h.api('POST', '/api/refunds', { ruid: first, originalRuid: ruid, amount: '60.00' }, as(till.token))).status).toBe(202);
    await h.waitFor(first, ['approved']);
    const second = await h.api<ErrorBody>('POST', '/api/refunds', { ruid: newRuid(), originalRuid: ruid, amount: '60.00' }, as(till.token));
    expect(second.status).toBe(403);
    expect(second.body.error).toMatchObject({ code: 'admin_required', rule: 'sale_limit', left: '40.00' });
    // Cash of the same sale counts in the same total.
    expect((await h.api('POST', `/api/sales/${id}/cash-refunds`, { id: newRuid(), amount: '30.00' }, as(till.token))).status).toBe(201);
    const cash = await h.api<ErrorBody>('POST', `/api/sales/${id}/cash-refunds`, { id: newRuid(), amount: '10.01' }, as(till.token));
    expect(cash.body.error).toMatchObject({ code: 'admin_required', left: '10.00' });
    const view = await h.api<{ limitLeft: string; refundable: { cash: string; card: string } }>('GET', `/api/sales/${id}`, undefined, as(till.token));
    expect(view.body).toMatchObject({ limitLeft: '10.00', refundable: { cash: '20.00', card: '90.00' } });
    // An admin may give back the rest.
    expect((await h.api('POST', '/api/refunds', { ruid: newRuid(), originalRuid: ruid, amount: '60.00' })).status).toBe(202);
  });

  it('refuses a till device a void over the limit, and lets an admin void it', async () => {
    const till = await h.pairDevice({ role: 'till', terminals: ['90000016'] });
    const ruid = await approved('120.00', '90000016', as(till.token));
    await h.api('PUT', `/api/sales/${ruid}`, cardSale('120.00', ruid), as(till.token));
    const view = await h.api<{ voidable: boolean; voidRefusal: string }>('GET', `/api/sales/${ruid}`, undefined, as(till.token));
    expect(view.body).toMatchObject({ voidable: false, voidRefusal: 'limit' });
    const refused = await h.api<ErrorBody>('POST', `/api/payments/${ruid}/cancel`, undefined, as(till.token));
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'admin_required', left: '100.00' });
    expect((await h.payment(ruid)).state).toBe('approved');
    expect((await h.api<{ voidable: boolean }>('GET', `/api/sales/${ruid}`)).body.voidable).toBe(true);
    expect((await h.api('POST', `/api/payments/${ruid}/cancel`)).status).toBe(200);
    const after = await h.api<{ status: string; voidable: boolean; voidRefusal: string }>('GET', `/api/sales/${ruid}`);
    expect(after.body).toMatchObject({ status: 'voided', voidable: false, voidRefusal: 'not_approved' });
  });

  it('bounds what one device gives back in 24 hours over all sales (EDGE_DEVICE_REFUND_DAY_LIMIT)', async () => {
    const till = await h.pairDevice({ role: 'till', terminals: ['*'] });
    for (let n = 0; n < 3; n += 1) {
      const id = newRuid();
      await h.api('PUT', `/api/sales/${id}`, cashSale('100.00'), as(till.token));
      expect((await h.api('POST', `/api/sales/${id}/cash-refunds`, { id: newRuid(), amount: '95.00' }, as(till.token))).status).toBe(201);
    }
    const id = newRuid();
    await h.api('PUT', `/api/sales/${id}`, cashSale('100.00'), as(till.token));
    const over = await h.api<ErrorBody>('POST', `/api/sales/${id}/cash-refunds`, { id: newRuid(), amount: '20.00' }, as(till.token));
    expect(over.status).toBe(403);
    expect(over.body.error).toMatchObject({ code: 'admin_required', rule: 'device_day_limit', left: '15.00' });
  });
});

describe('a sale belongs to the device and terminals that made it', () => {
  it('lets only those read it and hand its cash back', async () => {
    const maker = await h.pairDevice({ role: 'till', terminals: ['90000015'] });
    const sameCounter = await h.pairDevice({ role: 'till', terminals: ['90000015'] });
    const elsewhere = await h.pairDevice({ role: 'till', terminals: ['90000016'] });
    const id = newRuid();
    expect((await h.api('PUT', `/api/sales/${id}`, cashSale('20.00'), as(maker.token))).status).toBe(201);
    expect((await h.api('GET', `/api/sales/${id}`, undefined, as(elsewhere.token))).status).toBe(403);
    const refused = await h.api<ErrorBody>('POST', `/api/sales/${id}/cash-refunds`, { id: newRuid(), amount: '5.00' }, as(elsewhere.token));
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('sale_not_allowed');
    expect((await h.api<{ sales: unknown[] }>('GET', `/api/sales?ids=${id}`, undefined, as(elsewhere.token))).body.sales).toEqual([]);
    expect((await h.api('POST', `/api/sales/${id}/cash-refunds`, { id: newRuid(), amount: '5.00' }, as(sameCounter.token))).status).toBe(201);
    expect((await h.api('POST', `/api/sales/${id}/cash-refunds`, { id: newRuid(), amount: '5.00' }, as(maker.token))).status).toBe(201);
    expect((await h.api('GET', `/api/sales/${id}`)).status).toBe(200);
  });
});

describe('every sale shows what happened to it', () => {
  it('numbers receipts without gaps and reports paid, partly refunded and refunded', async () => {
    const a = newRuid();
    const b = newRuid();
    const first = await h.api<{ sale: { receiptNo: number } }>('PUT', `/api/sales/${a}`, cashSale('10.00'));
    const second = await h.api<{ sale: { receiptNo: number } }>('PUT', `/api/sales/${b}`, cashSale('10.00'));
    expect(second.body.sale.receiptNo).toBe(first.body.sale.receiptNo + 1);
    await h.api('POST', `/api/sales/${b}/cash-refunds`, { id: newRuid(), amount: '4.00' });
    const card = await approved('6.00');
    await h.api('PUT', `/api/sales/${card}`, cardSale('6.00', card));
    const refund = newRuid();
    await h.api('POST', '/api/refunds', { ruid: refund, originalRuid: card, amount: '6.00' });
    await h.waitFor(refund, ['approved']);
    const { body } = await h.api<{ sales: Array<{ id: string; status: string; receiptNo: number }> }>('GET', `/api/sales?ids=${a},${b},${card},unknown`);
    expect(body.sales.map((s) => [s.id, s.status])).toEqual([
      [a, 'paid'],
      [b, 'partly_refunded'],
      [card, 'refunded'],
    ]);
    const view = await h.api<{ voidable: boolean; voidRefusal: string; given: { card: string }; cardRefunds: unknown[] }>('GET', `/api/sales/${card}`);
    expect(view.body).toMatchObject({ voidable: false, voidRefusal: 'refunded', given: { card: '6.00' } });
    expect(view.body.cardRefunds).toEqual([{ ruid: refund, amount: '6.00', state: 'approved', at: expect.any(String) }]);
    // Any till finds a receipt by its number, within what it may see.
    const byNumber = await h.api<{ sales: Array<{ id: string }> }>('GET', `/api/sales?receiptNo=${second.body.sale.receiptNo}`);
    expect(byNumber.body.sales.map((s) => s.id)).toEqual([b]);
    expect((await h.api('GET', '/api/sales?receiptNo=0')).status).toBe(400);
  });

  it('settles an unknown LAN payment by hand only as an admin', async () => {
    const till = await h.pairDevice({ role: 'till', terminals: ['*'] });
    const answer = await h.api<ErrorBody>('POST', `/api/payments/${newRuid()}/resolve`, { state: 'approved' }, as(till.token));
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('admin_required');
  });
});

describe('the X report', () => {
  it('reconciles and keeps each currency apart', async () => {
    const { body } = await h.api<{ report: ZReport }>('GET', '/api/day-closes/current?openingFloat=50.00');
    expect(Object.keys(body.report.byCurrency)).toEqual(['EUR', 'BGN']);
    expectReportReconciled(body.report);
    expect(body.report.byCurrency.BGN).toMatchObject({ count: 1, gross: '5.00', cash: '0.00', card: '5.00' });
    expect(body.report.drawer.currency).toBe('EUR');
  });
});
