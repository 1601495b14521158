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

type ErrorBody = { error: { code: string; field: string; rule: string; message: string } };

describe('bad input to every route is 400 with the field and the rule', () => {
  const payment = { ruid: 'R-1', tid: '90000015', amount: '1.00' };
  it.each([
    ['POST', '/api/payments', 'not json', 'body', 'json'],
    ['POST', '/api/payments', [], 'body', 'type'],
    ['POST', '/api/payments', { tid: '90000015', amount: '1.00' }, 'ruid', 'required'],
    ['POST', '/api/payments', { ...payment, amount: 1 }, 'amount', 'type'],
    ['POST', '/api/payments', { ...payment, tip: '1.00' }, 'tip', 'unknown'],
    ['POST', '/api/payments', { ...payment, amount: '12,50' }, 'amount', 'format'],
    ['POST', '/api/payments', { ...payment, amount: '-1' }, 'amount', 'format'],
    ['POST', '/api/payments', { ...payment, amount: '0.001' }, 'amount', 'format'],
    ['POST', '/api/payments', { ...payment, amount: '10000.00' }, 'amount', 'max'],
    ['POST', '/api/payments', { ...payment, amount: '0.00' }, 'amount', 'positive'],
    ['POST', '/api/payments', { ...payment, tid: '9000001' }, 'tid', 'an8'],
    ['POST', '/api/payments', { ...payment, tid: '99999999' }, 'tid', 'subscribed'],
    ['POST', '/api/payments', { ...payment, ruid: 'x'.repeat(256) }, 'ruid', 'length'],
    ['POST', '/api/payments', { ...payment, reference: { number: 'Счёт', type: '1' } }, 'reference.number', 'ascii'],
    ['POST', '/api/payments', { ...payment, reference: { number: 'x'.repeat(51), type: '1' } }, 'reference.number', 'length'],
    ['POST', '/api/payments', { ...payment, reference: { number: 'A&B', type: '1' } }, 'reference.number', 'no_markup'],
    ['POST', '/api/payments', { ...payment, reference: { number: 'A', type: '7' } }, 'reference.type', 'enum'],
    ['POST', '/api/refunds', { ruid: 'R-2', amount: '1.00' }, 'originalRuid', 'required'],
    ['POST', '/api/refunds', { ruid: 'R-2', originalRuid: 'nope', amount: '1.00' }, 'originalRuid', 'exists'],
    ['POST', '/api/refunds', { ruid: 'R-2', originalRuid: 'nope', amount: '1,00' }, 'amount', 'format'],
    ['POST', '/api/terminals', { tid: '9000001', currency: 'EUR' }, 'tid', 'an8'],
    ['POST', '/api/terminals', { tid: '90000019', currency: 'eur' }, 'currency', 'iso4217'],
    ['GET', `/api/payments/${'x'.repeat(256)}`, undefined, 'ruid', 'length'],
    ['GET', `/api/payments/${'x'.repeat(256)}/events`, undefined, 'ruid', 'length'],
    ['POST', `/api/payments/${'x'.repeat(256)}/cancel`, undefined, 'ruid', 'length'],
    ['DELETE', '/api/terminals/123', undefined, 'tid', 'an8'],
  ])('%s %s %j -> %s %s', async (method, path, body, field, rule) => {
    const response = await h.api<ErrorBody>(method, path, body);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'invalid', field, rule });
    expect(response.body.error.message).toContain(field === 'body' ? 'body' : (field.split('.').pop() ?? field));
  });

  it('a bad Last-Event-ID is 400', async () => {
    const created = await h.api('POST', '/api/payments', { ruid: newRuid(), tid: '90000015', amount: '1.00' });
    const ruid = (created.body as { payment: { ruid: string } }).payment.ruid;
    const response = await h.api<ErrorBody>('GET', `/api/payments/${ruid}/events`, undefined, { 'last-event-id': 'abc' });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ field: 'Last-Event-ID', rule: 'integer' });
  });

  it('a body over 64 KB is 413, and nothing was stored', async () => {
    const ruid = newRuid();
    const response = await h.api<ErrorBody>('POST', '/api/payments', { ruid, tid: '90000015', amount: '1.00', pad: 'x'.repeat(70 * 1024) });
    expect(response.status).toBe(413);
    expect(response.body.error).toMatchObject({ code: 'too_large', rule: 'max_size' });
    expect((await h.api('GET', `/api/payments/${ruid}`)).status).toBe(404);
  });

  it('unknown payments and routes are 404 as JSON', async () => {
    expect((await h.api('GET', '/api/payments/nope')).status).toBe(404);
    expect((await h.api('POST', '/api/payments/nope/cancel')).status).toBe(404);
    expect((await h.api('GET', '/api/nothing-here')).status).toBe(404);
  });
});

describe('terminals', () => {
  it('subscribes: the code to type on the device; cancels the subscription the same way', async () => {
    const created = await h.api<{ terminal: { tid: string; state: string; code: string } }>('POST', '/api/terminals', { tid: '90000017', currency: 'BGN' });
    expect(created.status).toBe(201);
    expect(created.body.terminal).toMatchObject({ tid: '90000017', state: 'pending_code' });
    expect(created.body.terminal.code).toMatch(/^[0-9]{8}$/);
    const listed = await h.api<{ terminals: Array<{ tid: string; state: string }> }>('GET', '/api/terminals');
    expect(listed.body.terminals.map((t) => t.tid)).toContain('90000017');
    await h.sim('/terminals/90000017/code', { code: created.body.terminal.code });
    const paid = await h.api<{ payment: { ruid: string } }>('POST', '/api/payments', { ruid: newRuid(), tid: '90000017', amount: '3.00' });
    expect(paid.status).toBe(202);
    await h.waitFor(paid.body.payment.ruid, ['approved']);
    const active = await h.api<{ terminals: Array<{ tid: string; state: string; currency: string }> }>('GET', '/api/terminals');
    expect(active.body.terminals.find((t) => t.tid === '90000017')).toMatchObject({ state: 'active', currency: 'BGN' });

    const removed = await h.api<{ terminal: { state: string; code: string } }>('DELETE', '/api/terminals/90000017');
    expect(removed.status).toBe(200);
    expect(removed.body.terminal.state).toBe('unsubscribing');
    expect(removed.body.terminal.code).toMatch(/^[0-9]{8}$/);
  });

  it('tells why myPOS refused: currency mismatch, unknown terminal', async () => {
    const mismatch = await h.api<{ error: { code: string; status: string } }>('POST', '/api/terminals', { tid: '90000015', currency: 'BGN' });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.error).toMatchObject({ code: 'mypos_refused', status: '4', reason: 'invalid_params' });
    const unknown = await h.api<{ error: { status: string; reason: string } }>('POST', '/api/terminals', { tid: '12345678', currency: 'EUR' });
    expect(unknown.body.error).toMatchObject({ status: '41', reason: 'not_subscribed' });
    expect((await h.api('DELETE', '/api/terminals/12345678')).status).toBe(404);
  });
});

describe('documents', () => {
  it('serves an OpenAPI 3.1 document whose schemas come from the validators', async () => {
    const { status, body } = await h.api<{ openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, { required?: string[] }> } }>('GET', '/api/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/api/payments', '/api/payments/{ruid}', '/api/payments/{ruid}/events', '/api/payments/{ruid}/cancel', '/api/refunds', '/api/terminals']));
    expect(body.components.schemas.CreatePayment?.required).toEqual(['ruid', 'tid', 'amount']);
  });

  it('reports health to an admin: store, mode, certificates', async () => {
    const { status, body } = await h.api<{ ok: boolean; store: boolean; mode: string; clockOffsetMs: number; certificates: Array<{ name: string; daysLeft: number }> }>('GET', '/api/health');
    // The terminal tests above talked to myPOS: its Date header gave an offset (same machine: small).
    expect(Math.abs(body.clockOffsetMs)).toBeLessThan(5_000);
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, store: true, mode: 'demo' });
    expect(body.certificates.map((c) => c.name).sort()).toEqual(['mypos', 'partner']);
  });
});
