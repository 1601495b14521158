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

const payments = new Map([['PAY-1', '90000015'], ['LINK-1', 'ONLINE01']]);
const post = (path: string, body: unknown) => new Request(`http://edge${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const form = (path: string, fields: Record<string, string>) => new Request(`http://edge${path}`, { method: 'POST', body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

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

  it('sends every request of a payment by link to the Online Checkout\'s terminal: the new one, its link\'s pages, myPOS\'s notification', async () => {
    const route = terminalRouter(h.edge.edge.app.routes, async (ruid) => payments.get(ruid));
    // No tid in the body: a checkout is always the online pseudo-terminal's.
    expect(await route(post('/api/checkouts', { ruid: 'NEW-LINK', amount: '1.00' }))).toBe('ONLINE01');
    expect(await route(new Request('http://edge/api/checkouts/LINK-1'))).toBe('ONLINE01');
    // The link's token is <ruid>.<mac>: routed by the ruid (the MAC is the app's to check).
    expect(await route(new Request('http://edge/c/LINK-1.AbC_-xyz'))).toBe('ONLINE01');
    expect(await route(new Request('http://edge/c/LINK-1.AbC_-xyz', { method: 'POST' }))).toBe('ONLINE01');
    expect(await route(new Request('http://edge/c/LINK-1.AbC_-xyz/done'))).toBe('ONLINE01');
    expect(await route(new Request('http://edge/c/LINK-1.AbC_-xyz/done', { method: 'POST' }))).toBe('ONLINE01');
    // A ruid may hold a '.': the token's last one separates the MAC.
    payments.set('LINK.2', 'ONLINE01');
    expect(await route(new Request('http://edge/c/LINK.2.mac'))).toBe('ONLINE01');
    const notify = form('/api/ipc/notify', { IPCmethod: 'IPCPurchaseNotify', OrderID: 'LINK-1', Amount: '1.00' });
    expect(await route(notify)).toBe('ONLINE01');
    // The body was read from a clone: the app still reads it whole.
    expect(await notify.text()).toContain('OrderID=LINK-1');
  });

  it('leaves the link\'s script, a token without a ruid, an unknown payment and a notification without OrderID to the app', async () => {
    const seen: string[] = [];
    const route = terminalRouter(h.edge.edge.app.routes, async (ruid) => {
      seen.push(ruid);
      return payments.get(ruid);
    });
    expect(await route(new Request('http://edge/c/submit.js'))).toBeUndefined();
    expect(seen).toEqual([]);
    expect(await route(new Request('http://edge/c/nodot'))).toBeUndefined();
    expect(await route(new Request('http://edge/c/.mac'))).toBeUndefined();
    expect(await route(new Request('http://edge/c/%E0%A4%A.mac'))).toBeUndefined();
    expect(await route(new Request('http://edge/c/UNKNOWN.mac'))).toBeUndefined();
    expect(await route(form('/api/ipc/notify', { IPCmethod: 'IPCPurchaseNotify' }))).toBeUndefined();
    expect(await route(form('/api/ipc/notify', { OrderID: 'UNKNOWN' }))).toBeUndefined();
    expect(await route(new Request('http://edge/api/payments/%E0%A4%A/events'))).toBeUndefined();
  });
});
