import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdgeHarness, type EdgeHarness } from '../../helpers/edge-harness.js';
import { cashSale } from '../../helpers/sale-bodies.js';

// What answers without a credential (/healthz: ok and the store, nothing more; pairing), what only an
// admin reads (/api/health), the OpenAPI document behind a credential listing every route, and the
// one plain-text rule on every name and free text the API takes.

let h: EdgeHarness;
let till: { token: string; id: string };
const NONE = { authorization: '' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  h = await startEdgeHarness();
  till = await h.pairDevice({ name: 'Front till' });
});
afterAll(async () => {
  await h.close();
});

describe('/healthz and /api/health', () => {
  it('/healthz answers anyone whether the edge and its store work, and nothing else', async () => {
    const open = await h.api('GET', '/healthz', undefined, NONE);
    expect(open.status).toBe(200);
    expect(open.body).toEqual({ ok: true, store: true });
    // The same for an admin: the details are elsewhere.
    expect((await h.api('GET', '/healthz')).body).toEqual({ ok: true, store: true });
  });

  it('/api/health gives the details to an admin only', async () => {
    expect((await h.api('GET', '/api/health', undefined, NONE)).status).toBe(401);
    const device = await h.api<{ error: { code: string } }>('GET', '/api/health', undefined, bearer(till.token));
    expect(device.status).toBe(403);
    expect(device.body.error.code).toBe('admin_required');
    const admin = await h.api<Record<string, unknown>>('GET', '/api/health');
    expect(admin.status).toBe(200);
    expect(admin.body).toMatchObject({ ok: true, store: true, mode: 'demo', version: '0.1.0' });
    expect(admin.body).toHaveProperty('mypos');
    expect(admin.body).toHaveProperty('certificates');
    expect(admin.body).toHaveProperty('protocol');
    // An admin device reads it too (the Terminals screen of an admin till).
    const adminDevice = await h.pairDevice({ role: 'admin', name: 'Back office' });
    expect((await h.api('GET', '/api/health', undefined, bearer(adminDevice.token))).status).toBe(200);
  });
});

interface OpenApi {
  paths: Record<string, Record<string, { security?: unknown[] }>>;
  components: { securitySchemes: Record<string, unknown> };
  security: unknown[];
}

describe('the OpenAPI document', () => {
  it('needs a credential like every other route', async () => {
    expect((await h.api('GET', '/api/openapi.json', undefined, NONE)).status).toBe(401);
    expect((await h.api('GET', '/api/openapi.json', undefined, bearer(till.token))).status).toBe(200);
  });

  it('lists every route the app registers, and no route it does not', async () => {
    const { body } = await h.api<OpenApi>('GET', '/api/openapi.json');
    // Middleware and the catch-all are ALL; every handler is one method on one path.
    const registered = new Set(
      h.edge.edge.app.routes.filter((route) => route.method !== 'ALL').map((route) => `${route.method.toLowerCase()} ${route.path.replace(/\/$/, '').replace(/:([A-Za-z]+)/g, '{$1}')}`),
    );
    expect(registered.size).toBeGreaterThan(30);
    const documented = new Set(Object.entries(body.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`)));
    expect([...registered].filter((route) => !documented.has(route)), 'routes missing from the document').toEqual([]);
    expect([...documented].filter((route) => !registered.has(route)), 'documented routes the app does not have').toEqual([]);
    for (const route of ['post /api/devices/pair', 'get /api/devices/me', 'post /api/devices/pairing-codes', 'get /api/devices', 'patch /api/devices/{id}', 'post /api/devices/{id}/revoke']) {
      expect(documented.has(route), route).toBe(true);
    }
  });

  it('says which routes need no credential: pairing, /healthz, the customer\'s checkout pages and myPOS\'s signed notification', async () => {
    const { body } = await h.api<OpenApi>('GET', '/api/openapi.json');
    expect(Object.keys(body.components.securitySchemes).sort()).toEqual(['bearer', 'deviceCookie']);
    expect(body.security).toEqual([{ bearer: [] }, { deviceCookie: [] }]);
    const open = Object.entries(body.paths).flatMap(([path, operations]) => Object.entries(operations).filter(([, operation]) => operation.security?.length === 0).map(([method]) => `${method} ${path}`));
    expect(open.sort()).toEqual(['get /c/submit.js', 'get /c/{token}', 'get /c/{token}/done', 'get /healthz', 'post /api/devices/pair', 'post /api/ipc/notify', 'post /c/{token}', 'post /c/{token}/done']);
  });
});

describe('names and free text refuse control, direction and zero-width characters', () => {
  const rule = (answer: { status: number; body: { error?: { code?: string; field?: string; rule?: string } } }) => [answer.status, answer.body.error?.code, answer.body.error?.field, answer.body.error?.rule];

  it('a device name when pairing and when renamed', async () => {
    const { body: code } = await h.api<{ code: string }>('POST', '/api/devices/pairing-codes', { role: 'till' });
    expect(rule(await h.api('POST', '/api/devices/pair', { code: code.code, name: 'Till\u202Etxt.exe' }, NONE))).toEqual([400, 'invalid', 'name', 'plain_text']);
    expect(rule(await h.api('PATCH', `/api/devices/${till.id}`, { name: 'Front\u200Btill' }))).toEqual([400, 'invalid', 'name', 'plain_text']);
    expect((await h.api('PATCH', `/api/devices/${till.id}`, { name: 'Каса 1' })).status).toBe(200);
  });

  it('product names and categories', async () => {
    expect(rule(await h.api('PUT', '/api/products/P-TEXT', { name: 'Cof\u0007fee', price: '3.50', vatRate: '20' }))).toEqual([400, 'invalid', 'name', 'plain_text']);
    expect(rule(await h.api('PUT', '/api/products/P-TEXT', { name: 'Coffee', price: '3.50', vatRate: '20', category: 'Drinks\u2066' }))).toEqual([400, 'invalid', 'category', 'plain_text']);
    expect((await h.api('PUT', '/api/products/P-TEXT', { name: 'Café crème', price: '3.50', vatRate: '20', category: 'Напитки' })).status).toBe(200);
  });

  it('sale line names and notes', async () => {
    const sale = cashSale('2.00');
    const line = sale.lines[0];
    if (!line) throw new Error('no line');
    expect(rule(await h.api('PUT', '/api/sales/S-TEXT-1', { ...sale, lines: [{ ...line, name: 'Item\u009B' }] }, bearer(till.token)))).toEqual([400, 'invalid', 'lines[0].name', 'plain_text']);
    expect(rule(await h.api('PUT', '/api/sales/S-TEXT-1', { ...sale, lines: [{ ...line, note: 'no\uFEFFsugar' }] }, bearer(till.token)))).toEqual([400, 'invalid', 'lines[0].note', 'plain_text']);
    expect(rule(await h.api('PUT', '/api/sales/S-TEXT-1', { ...sale, note: 'x\u2029y' }, bearer(till.token)))).toEqual([400, 'invalid', 'note', 'plain_text']);
    expect((await h.api('PUT', '/api/sales/S-TEXT-1', { ...sale, note: 'Table 4' }, bearer(till.token))).status).toBe(201);
  });

  it('the shop name and address; a settled-by-hand reference', async () => {
    const shop = { name: 'Corner shop', currency: 'EUR', freeAmountVat: '20' };
    expect(rule(await h.api('PUT', '/api/shop', { ...shop, name: 'Corner\u202Dshop' }))).toEqual([400, 'invalid', 'name', 'plain_text']);
    expect(rule(await h.api('PUT', '/api/shop', { ...shop, address: '1 Main St\n\u2067Sofia' }))).toEqual([400, 'invalid', 'address', 'plain_text']);
    expect((await h.api('PUT', '/api/shop', { ...shop, address: '1 Main St\nSofia' })).status).toBe(200);
    expect(rule(await h.api('POST', '/api/payments/R-ANY/resolve', { state: 'approved', ref: 'AUTH\u0000123' }))).toEqual([400, 'invalid', 'ref', 'plain_text']);
  });
});
