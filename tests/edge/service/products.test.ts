import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Product } from '../../../shared/api.js';
import { startEdgeHarness, type EdgeHarness } from '../../helpers/edge-harness.js';

let h: EdgeHarness;
let till: string;
beforeAll(async () => {
  h = await startEdgeHarness();
  till = (await h.pairDevice()).token;
});
afterAll(async () => {
  await h.close();
});

const coffee = { name: 'Coffee', price: '3.50', vatRate: '20', category: 'Drinks', barcode: '4006381333931' };

describe('the catalogue', () => {
  it('an admin saves products; every till reads them', async () => {
    const saved = await h.api<{ product: Product }>('PUT', '/api/products/P-1', coffee);
    expect(saved.status).toBe(200);
    expect(saved.body.product).toMatchObject({ id: 'P-1', name: 'Coffee', priceCents: 350, vatRateBp: 2000, category: 'Drinks', barcode: '4006381333931', active: true });
    await h.api('PUT', '/api/products/P-2', { name: 'Book', price: '10.00', vatRate: '9' });
    await h.api('PUT', '/api/products/P-1', { ...coffee, price: '3.60' });
    const listed = await h.api<{ products: Product[] }>('GET', '/api/products', undefined, { authorization: `Bearer ${till}` });
    expect(listed.body.products.map((p) => [p.id, p.priceCents, p.vatRateBp])).toEqual([
      ['P-1', 360, 2000],
      ['P-2', 1000, 900],
    ]);
  });

  it('only an admin may change it', async () => {
    const response = await h.api<{ error: { code: string } }>('PUT', '/api/products/P-3', coffee, { authorization: `Bearer ${till}` });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('admin_required');
  });

  it.each([
    [{ ...coffee, name: '' }, 'name', 'length'],
    [{ ...coffee, price: '3,50' }, 'price', 'format'],
    [{ ...coffee, price: '10000.00' }, 'price', 'max'],
    [{ ...coffee, vatRate: '120' }, 'vatRate', 'percent'],
    [{ ...coffee, vatRate: '-5' }, 'vatRate', 'percent'],
    [{ ...coffee, barcode: '12AB' }, 'barcode', 'digits'],
    [{ ...coffee, colour: 'red' }, 'colour', 'unknown'],
  ])('refuses %o naming %s %s', async (body, field, rule) => {
    const response = await h.api<{ error: { field: string; rule: string } }>('PUT', '/api/products/P-9', body);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ field, rule });
  });
});
