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
    [{ ...coffee, color: 'chartreuse' }, 'color', 'palette'],
    [{ ...coffee, color: 'Teal' }, 'color', 'palette'],
    [{ ...coffee, color: 3 }, 'color', 'type'],
    [{ ...coffee, sortOrder: 1.5 }, 'sortOrder', 'integer'],
    [{ ...coffee, sortOrder: -1 }, 'sortOrder', 'integer'],
    [{ ...coffee, sortOrder: 1_000_000 }, 'sortOrder', 'integer'],
    [{ ...coffee, sortOrder: '2' }, 'sortOrder', 'type'],
  ])('refuses %o naming %s %s', async (body, field, rule) => {
    const response = await h.api<{ error: { field: string; rule: string } }>('PUT', '/api/products/P-9', body);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ field, rule });
  });

  it('an edit keeps the id; sortOrder orders the list; a colour is kept; a product saved without a place keeps its own or goes last', async () => {
    const local = await startEdgeHarness();
    try {
      const list = async () => (await local.api<{ products: Product[] }>('GET', '/api/products')).body.products;
      await local.api('PUT', '/api/products/A', { name: 'Tea', price: '2.00', vatRate: '20' });
      await local.api('PUT', '/api/products/B', { name: 'Cake', price: '4.00', vatRate: '9', color: 'amber' });
      await local.api('PUT', '/api/products/C', { name: 'Water', price: '1.00', vatRate: '20' });
      expect((await list()).map((p) => [p.id, p.sortOrder])).toEqual([
        ['A', 1],
        ['B', 2],
        ['C', 3],
      ]);
      // Edit: the same id, a new name, price, category, barcode and colour; its place stays.
      const edited = await local.api<{ product: Product }>('PUT', '/api/products/A', { name: 'Green tea', price: '2.20', vatRate: '20', category: 'Drinks', barcode: '4006381333931', color: 'teal' });
      expect(edited.body.product).toMatchObject({ id: 'A', name: 'Green tea', priceCents: 220, category: 'Drinks', barcode: '4006381333931', color: 'teal', sortOrder: 1 });
      // Reorder: Water first, then Tea, then Cake.
      await local.api('PUT', '/api/products/C', { name: 'Water', price: '1.00', vatRate: '20', sortOrder: 10 });
      await local.api('PUT', '/api/products/A', { name: 'Green tea', price: '2.20', vatRate: '20', category: 'Drinks', barcode: '4006381333931', color: 'teal', sortOrder: 20 });
      await local.api('PUT', '/api/products/B', { name: 'Cake', price: '4.00', vatRate: '9', color: 'amber', sortOrder: 30 });
      const listed = await list();
      expect(listed.map((p) => p.name)).toEqual(['Water', 'Green tea', 'Cake']);
      expect(listed.map((p) => p.color)).toEqual([undefined, 'teal', 'amber']);
      expect(listed).toHaveLength(3);
      // A new product without a place goes after the last.
      expect((await local.api<{ product: Product }>('PUT', '/api/products/D', { name: 'Juice', price: '3.00', vatRate: '20' })).body.product.sortOrder).toBe(31);
    } finally {
      await local.close();
    }
  });
});
