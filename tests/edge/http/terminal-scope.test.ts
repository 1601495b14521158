import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalRouter } from '../../../edge/core/http/terminal-scope.js';
import { startEdgeHarness, type EdgeHarness } from '../../helpers/edge-harness.js';

// The Worker sends a request to its terminal's Durable Object by what the route declares: this is
// that table, read from the real app's routes.

let h: EdgeHarness;
beforeAll(async () => {
  h = await startEdgeHarness();
});
afterAll(async () => {
  await h?.close();
});

const payments = new Map([['PAY-1', '90000015']]);
const post = (path: string, body: unknown) => new Request(`http://edge${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

describe('the terminal a request belongs to', () => {
  it('follows the declarations: a new payment by its tid, a refund by its purchase, a payment\'s own routes by the payment', async () => {
    const route = terminalRouter(h.edge.edge.app.routes, async (ruid) => payments.get(ruid));
    expect(await route(post('/api/payments', { tid: '90000020', ruid: 'X', amount: '1.00' }))).toBe('90000020');
    expect(await route(post('/api/refunds', { originalRuid: 'PAY-1', ruid: 'R', amount: '1.00' }))).toBe('90000015');
    expect(await route(new Request('http://edge/api/payments/PAY-1/events'))).toBe('90000015');
    expect(await route(post('/api/payments/PAY-1/cancel', {}))).toBe('90000015');
    expect(await route(post('/api/payments/PAY-1/resolve', { state: 'approved' }))).toBe('90000015');
  });

  it('leaves everything else to the app: other routes, bad or unknown ids, a body that is not JSON', async () => {
    const route = terminalRouter(h.edge.edge.app.routes, async (ruid) => payments.get(ruid));
    expect(await route(new Request('http://edge/api/terminals'))).toBeUndefined();
    expect(await route(post('/api/sales/S-1/cash-refunds', { id: 'C', amount: '1.00' }))).toBeUndefined();
    expect(await route(post('/api/payments', { tid: 'not a tid' }))).toBeUndefined();
    expect(await route(new Request('http://edge/api/payments', { method: 'POST', body: '{' }))).toBeUndefined();
    expect(await route(new Request('http://edge/api/payments/UNKNOWN/events'))).toBeUndefined();
    expect(await route(new Request('http://edge/api/payments/PAY-1/events', { method: 'DELETE' }))).toBeUndefined();
  });
});
