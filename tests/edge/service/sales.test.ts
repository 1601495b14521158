import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRuid } from '../../../shared/ruid.js';
import { startEdgeHarness, type EdgeHarness } from '../../helpers/edge-harness.js';

let h: EdgeHarness;
beforeAll(async () => {
  h = await startEdgeHarness();
});
afterAll(async () => {
  await h.close();
});

const cash = (amount = '12.00') => ({ tender: 'cash', amount, currency: 'EUR', createdAt: '2026-11-22T10:00:00.000Z', completedAt: '2026-11-22T10:00:05.000Z' });

describe('the sales ledger', () => {
  it('stores a sale once: 201, the same again 200, another body 409', async () => {
    const id = newRuid();
    expect((await h.api('PUT', `/api/sales/${id}`, cash())).status).toBe(201);
    expect((await h.api('PUT', `/api/sales/${id}`, cash())).status).toBe(200);
    const conflict = await h.api<{ error: { code: string } }>('PUT', `/api/sales/${id}`, cash('12.01'));
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('sale_conflict');
    const { body } = await h.api<{ sales: Array<{ id: string; amountCents: number }> }>('GET', '/api/sales');
    expect(body.sales.filter((sale) => sale.id === id)).toEqual([expect.objectContaining({ amountCents: 1200 })]);
  });

  it('books a card sale only against an approved payment of the same amount', async () => {
    const ruid = newRuid();
    await h.api('POST', '/api/payments', { ruid, tid: '90000015', amount: '8.00' });
    const early = await h.api<{ error: { field: string; rule: string } }>('PUT', `/api/sales/${ruid}`, { ...cash('8.00'), tender: 'card', paymentRuid: ruid });
    expect(early.status).toBe(400);
    expect(early.body.error).toMatchObject({ field: 'paymentRuid', rule: 'approved_payment' });
    await h.waitFor(ruid, ['approved']);
    const wrongAmount = await h.api<{ error: { rule: string } }>('PUT', `/api/sales/${ruid}`, { ...cash('9.00'), tender: 'card', paymentRuid: ruid });
    expect(wrongAmount.body.error.rule).toBe('approved_payment');
    expect((await h.api('PUT', `/api/sales/${ruid}`, { ...cash('8.00'), tender: 'card', paymentRuid: ruid })).status).toBe(201);
  });

  it.each([
    [{ ...cash(), tender: 'cheque' }, 'tender', 'type'],
    [{ ...cash(), amount: '1,00' }, 'amount', 'format'],
    [{ ...cash(), currency: 'eur' }, 'currency', 'iso4217'],
    [{ ...cash(), createdAt: 'yesterday' }, 'createdAt', 'type'],
    [{ ...cash(), tender: 'card' }, 'paymentRuid', 'required'],
  ])('refuses %o naming %s %s', async (body, field, rule) => {
    const response = await h.api<{ error: { field: string; rule: string } }>('PUT', `/api/sales/${newRuid()}`, body);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ field, rule });
  });
});
