import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRuid } from '../../../shared/ruid.js';
import type { ZReport } from '../../../shared/z-report.js';
import { ADMIN_HEADERS, startEdgeHarness, type EdgeHarness } from '../../helpers/edge-harness.js';
import { cardSale, cashSale } from '../../helpers/sale-bodies.js';
import { expectReportReconciled } from '../../helpers/z-identities.js';

let h: EdgeHarness;
beforeAll(async () => {
  h = await startEdgeHarness();
});
afterAll(async () => {
  await h.close();
});

type ErrorBody = { error: { code?: string; field: string; rule: string } };

async function approvedPayment(amount: string): Promise<string> {
  const ruid = newRuid();
  await h.api('POST', '/api/payments', { ruid, tid: '90000015', amount });
  await h.waitFor(ruid, ['approved']);
  return ruid;
}

describe('the sales ledger', () => {
  it('stores a sale once: 201, the same again 200, another body 409', async () => {
    const id = newRuid();
    expect((await h.api('PUT', `/api/sales/${id}`, cashSale())).status).toBe(201);
    expect((await h.api('PUT', `/api/sales/${id}`, cashSale())).status).toBe(200);
    const conflict = await h.api<ErrorBody>('PUT', `/api/sales/${id}`, cashSale('12.01'));
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('sale_conflict');
    const { body } = await h.api<{ sales: Array<{ id: string; totalCents: number }> }>('GET', '/api/sales');
    expect(body.sales.filter((sale) => sale.id === id)).toEqual([expect.objectContaining({ totalCents: 1200 })]);
  });

  it('books a card part only against an approved payment of that amount, and keeps its terminal', async () => {
    const ruid = newRuid();
    await h.api('POST', '/api/payments', { ruid, tid: '90000015', amount: '8.00' });
    const early = await h.api<ErrorBody>('PUT', `/api/sales/${ruid}`, cardSale('8.00', ruid));
    expect(early.status).toBe(400);
    expect(early.body.error).toMatchObject({ field: 'card.ruid', rule: 'approved_payment' });
    await h.waitFor(ruid, ['approved']);
    const wrongAmount = await h.api<ErrorBody>('PUT', `/api/sales/${ruid}`, cardSale('9.00', ruid));
    expect(wrongAmount.body.error.rule).toBe('approved_payment');
    const booked = await h.api<{ sale: { tid: string } }>('PUT', `/api/sales/${ruid}`, cardSale('8.00', ruid));
    expect(booked.status).toBe(201);
    expect(booked.body.sale.tid).toBe('90000015');
  });

  it('books a split sale: part card, part cash with change', async () => {
    const ruid = await approvedPayment('6.00');
    const body = { ...cardSale('10.00', ruid, '6.00'), cash: { kept: '4.00', tendered: '5.00' } };
    const booked = await h.api<{ sale: { cardCents: number; cashKeptCents: number; cashTenderedCents: number } }>('PUT', `/api/sales/${ruid}`, body);
    expect(booked.status).toBe(201);
    expect(booked.body.sale).toMatchObject({ cardCents: 600, cashKeptCents: 400, cashTenderedCents: 500 });
  });

  it.each([
    [{ ...cashSale(), tender: 'cash' }, 'tender', 'unknown'],
    [{ ...cashSale(), total: '1,00' }, 'total', 'format'],
    [{ ...cashSale(), currency: 'eur' }, 'currency', 'iso4217'],
    [{ ...cashSale(), createdAt: 'yesterday' }, 'createdAt', 'type'],
    [{ ...cashSale('12.00'), cash: { kept: '11.00', tendered: '11.00' } }, 'cash.kept', 'covers_total'],
    [{ ...cashSale(), lines: [{ name: '', unitPrice: '12.00', quantity: 1, vatRate: '20' }] }, 'lines[0].name', 'length'],
  ])('refuses %o naming %s %s', async (body, field, rule) => {
    const response = await h.api<ErrorBody>('PUT', `/api/sales/${newRuid()}`, body);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ field, rule });
  });
});

describe('refunds against a sale', () => {
  it('hands back cash at most once over the cash part, idempotently', async () => {
    const id = newRuid();
    await h.api('PUT', `/api/sales/${id}`, cashSale('10.00', '20.00'));
    const first = await h.api<{ refundable: { cash: string } }>('POST', `/api/sales/${id}/cash-refunds`, { id: 'CR1', amount: '6.00' });
    expect(first.status).toBe(201);
    expect(first.body.refundable.cash).toBe('4.00');
    expect((await h.api('POST', `/api/sales/${id}/cash-refunds`, { id: 'CR1', amount: '6.00' })).status).toBe(200);
    const over = await h.api<ErrorBody>('POST', `/api/sales/${id}/cash-refunds`, { id: 'CR2', amount: '4.01' });
    expect(over.status).toBe(400);
    expect(over.body.error).toMatchObject({ field: 'amount', rule: 'refundable' });
    expect((await h.api('POST', `/api/sales/${id}/cash-refunds`, { id: 'CR3', amount: '4.00' })).status).toBe(201);
    const { body } = await h.api<{ refundable: { cash: string; card: string } }>('GET', `/api/sales/${id}`);
    expect(body.refundable).toEqual({ cash: '0.00', card: '0.00' });
  });

  it('shows what is left of the card part after an MPRRefund', async () => {
    const ruid = await approvedPayment('9.00');
    await h.api('PUT', `/api/sales/${ruid}`, cardSale('9.00', ruid));
    const refund = newRuid();
    expect((await h.api('POST', '/api/refunds', { ruid: refund, originalRuid: ruid, amount: '2.50' })).status).toBe(202);
    await h.waitFor(refund, ['approved']);
    const { body } = await h.api<{ refundable: { card: string } }>('GET', `/api/sales/${ruid}`);
    expect(body.refundable.card).toBe('6.50');
  });
});

describe('the day close', () => {
  const close = async (openingFloat: string, countedCash: string) => (await h.api<{ close: { no: number; report: ZReport } }>('POST', '/api/day-closes', { openingFloat, countedCash })).body.close;

  it('takes every sale, void and refund since the last close exactly once, and can be rebuilt', async () => {
    await close('0.00', '0.00');
    // Cash 12.00 (20.00 tendered), card 8.00, split 10.00 (6.00 card), a voided card sale of 3.00, a card refund of 2.00, a cash refund of 1.50.
    const cashId = newRuid();
    await h.api('PUT', `/api/sales/${cashId}`, cashSale('12.00', '20.00'));
    const card = await approvedPayment('8.00');
    await h.api('PUT', `/api/sales/${card}`, cardSale('8.00', card));
    const split = await approvedPayment('6.00');
    await h.api('PUT', `/api/sales/${split}`, cardSale('10.00', split, '6.00'));
    const voided = await approvedPayment('3.00');
    await h.api('PUT', `/api/sales/${voided}`, cardSale('3.00', voided));
    await h.api('POST', `/api/payments/${voided}/cancel`);
    await h.waitFor(voided, ['voided']);
    const refund = newRuid();
    await h.api('POST', '/api/refunds', { ruid: refund, originalRuid: card, amount: '2.00' });
    await h.waitFor(refund, ['approved']);
    await h.api('POST', `/api/sales/${cashId}/cash-refunds`, { id: newRuid(), amount: '1.50' });

    const preview = await h.api<{ report: ZReport }>('GET', '/api/day-closes/current?openingFloat=100.00&countedCash=120.00');
    const closed = await close('100.00', '120.00');
    expect({ ...closed.report, period: undefined }).toEqual({ ...preview.body.report, period: undefined });
    // The void gives back the card part (3.00), the refunds 2.00 by card and 1.50 in cash.
    expect(closed.report.byCurrency.EUR).toMatchObject({
      count: 4,
      gross: '33.00',
      voids: '3.00',
      voidCount: 1,
      refunds: '3.50',
      cashRefunds: '1.50',
      cardRefunds: '2.00',
      refundCount: 2,
      net: '26.50',
      cash: '14.50',
      card: '12.00',
      byTerminal: [
        { terminal: null, net: '14.50' },
        { terminal: '90000015', net: '12.00' },
      ],
    });
    expect(closed.report.drawer).toEqual({ currency: 'EUR', openingFloat: '100.00', expected: '114.50', counted: '120.00', difference: '5.50' });
    expect(closed.report.byCurrency.EUR?.byVatRate).toEqual([{ rate: '20', gross: '26.50', vat: '4.42', net: '22.08' }]);
    expectReportReconciled(closed.report);

    const again = await h.api<{ reproduced: boolean; close: { no: number } }>('GET', `/api/day-closes/${closed.no}`);
    expect(again.body).toMatchObject({ reproduced: true, close: { no: closed.no } });
    const csv = await fetch(`${h.url}/api/day-closes/${closed.no}/csv`, { headers: ADMIN_HEADERS });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text).toContain('total,net,EUR,26.50');
    expect(text.split('\n').slice(1, 3)).toEqual(['report,shop,,myPOS till', `report,z,,${closed.no}`]);
    const next = await close('0.00', '0.00');
    expect(next).toMatchObject({ no: closed.no + 1, report: { period: { from: expect.any(String) }, byCurrency: { EUR: { count: 0, refundCount: 0, voidCount: 0, net: '0.00' } } } });
  });
});
