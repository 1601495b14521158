import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRuid } from '../../../shared/ruid.js';
import { startEdgeHarness, type EdgeHarness } from '../../helpers/edge-harness.js';
import { cashSale } from '../../helpers/sale-bodies.js';

// The shop's profile lives at the edge, for every till: the settings are its defaults until an
// admin saves it, and its currency is fixed once a sale is booked.

let h: EdgeHarness;
beforeAll(async () => {
  h = await startEdgeHarness({ EDGE_SHOP_NAME: 'Corner Café', EDGE_SHOP_CURRENCY: 'BGN' });
});
afterAll(async () => {
  await h.close();
});

type Shop = { shop: { name: string; address: string; currency: string; freeAmountVatBp: number; updatedAt?: string } };
type ErrorBody = { error: { code?: string; field?: string; rule?: string } };

describe('the shop profile', () => {
  it('starts from the settings, is saved by an admin only, and every till reads it', async () => {
    const till = await h.pairDevice({ role: 'till' });
    const as = { authorization: `Bearer ${till.token}` };
    expect((await h.api<Shop>('GET', '/api/shop', undefined, as)).body.shop).toEqual({ name: 'Corner Café', address: '', currency: 'BGN', freeAmountVatBp: 2000 });
    const body = { name: 'Corner Café', address: '1 Vitosha Blvd\nSofia', currency: 'EUR', freeAmountVat: '9' };
    expect((await h.api<ErrorBody>('PUT', '/api/shop', body, as)).body.error.code).toBe('admin_required');
    const bad = await h.api<ErrorBody>('PUT', '/api/shop', { ...body, currency: 'euro' });
    expect([bad.status, bad.body.error.field, bad.body.error.rule]).toEqual([400, 'currency', 'iso4217']);
    const vat = await h.api<ErrorBody>('PUT', '/api/shop', { ...body, freeAmountVat: '120' });
    expect(vat.body.error.field).toBe('freeAmountVat');
    expect((await h.api('PUT', '/api/shop', body)).status).toBe(200);
    expect((await h.api<Shop>('GET', '/api/shop', undefined, as)).body.shop).toMatchObject({ address: '1 Vitosha Blvd\nSofia', currency: 'EUR', freeAmountVatBp: 900 });
    expect((await h.api<{ currency: string }>('GET', '/api/products', undefined, as)).body.currency).toBe('EUR');
  });

  it('keeps its currency once a sale is booked in it', async () => {
    expect((await h.api('PUT', `/api/sales/${newRuid()}`, cashSale('3.00'))).status).toBe(201);
    const locked = await h.api<ErrorBody & { error: { currency: string } }>('PUT', '/api/shop', { name: 'Corner Café', currency: 'BGN', freeAmountVat: '20' });
    expect(locked.status).toBe(409);
    expect(locked.body.error).toMatchObject({ code: 'currency_locked', field: 'currency', currency: 'EUR' });
    // Its name and address may still change.
    expect((await h.api('PUT', '/api/shop', { name: 'Corner Café Vitosha', currency: 'EUR', freeAmountVat: '20' })).status).toBe(200);
    const { body } = await h.api<{ report: { shopCurrency: string } }>('GET', '/api/day-closes/current');
    expect(body.report.shopCurrency).toBe('EUR');
  });
});
