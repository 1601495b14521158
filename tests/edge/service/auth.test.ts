import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Payment } from '../../../shared/payments.js';
import { newRuid } from '../../../shared/ruid.js';
import { readSse, startEdgeHarness, type EdgeHarness } from '../../helpers/edge-harness.js';
import { cashSale } from '../../helpers/sale-bodies.js';

const root = resolve(import.meta.dirname, '../../..');
let h: EdgeHarness;
let till: { token: string; id: string };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const NONE = { authorization: '' };

beforeAll(async () => {
  h = await startEdgeHarness({ EDGE_REFUND_LIMIT: '5.00' });
  till = await h.pairDevice({ terminals: ['90000015'], name: 'Front till' });
});
afterAll(async () => {
  await h.close();
});

const ROUTES: Array<[string, string, unknown?]> = [
  ['GET', '/api/terminals'],
  ['POST', '/api/terminals', { tid: '90000015', currency: 'EUR' }],
  ['DELETE', '/api/terminals/90000015'],
  ['POST', '/api/payments', { ruid: 'R-AUTH', tid: '90000015', amount: '1.00' }],
  ['GET', '/api/payments/R-AUTH'],
  ['GET', '/api/payments/R-AUTH/events'],
  ['POST', '/api/payments/R-AUTH/cancel'],
  ['POST', '/api/refunds', { ruid: 'R-REF', originalRuid: 'R-AUTH', amount: '1.00' }],
  ['PUT', '/api/sales/S-1', cashSale('1.00')],
  ['GET', '/api/day-closes/current'],
  ['GET', '/api/sales'],
  ['GET', '/api/products'],
  ['PUT', '/api/products/P-1', { name: 'Coffee', price: '3.50', vatRate: '20' }],
  ['GET', '/api/devices'],
  ['GET', '/api/devices/me'],
  ['POST', '/api/devices/pairing-codes', {}],
  ['PATCH', '/api/devices/x', { name: 'y' }],
  ['POST', '/api/devices/x/revoke'],
];

describe('credentials', () => {
  it.each(ROUTES)('%s %s is 401 without a credential', async (method, path, body) => {
    const response = await h.api<{ error: { code: string } }>(method, path, body, NONE);
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unauthorized');
  });

  it.each(ROUTES)('%s %s is 401 with a made-up token', async (method, path, body) => {
    expect((await h.api(method, path, body, bearer('x'.repeat(43)))).status).toBe(401);
  });

  it('a revoked device is refused at its next request, and its open stream is closed', async () => {
    const device = await h.pairDevice();
    expect((await h.api('GET', '/api/devices/me', undefined, bearer(device.token))).status).toBe(200);
    await h.sim('/terminals/90000016/mode', { mode: 'manual' });
    const ruid = newRuid();
    expect((await h.api('POST', '/api/payments', { ruid, tid: '90000016', amount: '2.00' }, bearer(device.token))).status).toBe(202);
    await h.waitFor(ruid, ['sent']);
    const started = Date.now();
    const stream = readSse(`${h.url}/api/payments/${ruid}/events`, { headers: bearer(device.token), maxMs: 5_000 });
    await new Promise((r) => setTimeout(r, 200));
    expect((await h.api('POST', `/api/devices/${device.id}/revoke`)).status).toBe(200);
    const { events } = await stream;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(events.map((e) => (JSON.parse(e.data) as Payment).state)).toEqual(['accepted', 'sent']);
    for (const [method, path, body] of ROUTES) expect((await h.api(method, path, body, bearer(device.token))).status).toBe(401);
    await h.api('POST', `/api/payments/${ruid}/cancel`);
  });

  it('the device token never appears in the logs', () => {
    expect(h.logs.some((line) => line.includes(till.token))).toBe(false);
  });
});

describe('what a till device may do', () => {
  it('uses only the terminals it is bound to (403 otherwise)', async () => {
    const mine = newRuid();
    expect((await h.api('POST', '/api/payments', { ruid: mine, tid: '90000015', amount: '3.00' }, bearer(till.token))).status).toBe(202);
    const other = await h.api<{ error: { code: string; rule: string } }>('POST', '/api/payments', { ruid: newRuid(), tid: '90000016', amount: '3.00' }, bearer(till.token));
    expect(other.status).toBe(403);
    expect(other.body.error).toMatchObject({ code: 'terminal_not_allowed', rule: 'bound_terminal' });
    const foreign = newRuid();
    await h.api('POST', '/api/payments', { ruid: foreign, tid: '90000016', amount: '3.00' });
    expect((await h.api('GET', `/api/payments/${foreign}`, undefined, bearer(till.token))).status).toBe(403);
    expect((await h.api('GET', `/api/payments/${foreign}/events`, undefined, bearer(till.token))).status).toBe(403);
    expect((await h.api('POST', `/api/payments/${foreign}/cancel`, undefined, bearer(till.token))).status).toBe(403);
    const listed = await h.api<{ terminals: Array<{ tid: string }> }>('GET', '/api/terminals', undefined, bearer(till.token));
    expect(listed.body.terminals.map((t) => t.tid)).toEqual(['90000015']);
    await h.waitFor(mine, ['approved']);
    await h.api('POST', `/api/payments/${foreign}/cancel`);
  });

  it.each([
    ['POST', '/api/terminals', { tid: '90000017', currency: 'BGN' }],
    ['DELETE', '/api/terminals/90000015'],
    ['GET', '/api/devices'],
    ['POST', '/api/devices/pairing-codes', {}],
    ['GET', '/api/sales'],
    ['GET', '/api/day-closes/current'],
    ['POST', '/api/day-closes', { openingFloat: '0.00', countedCash: '0.00' }],
  ] as Array<[string, string, unknown?]>)('%s %s is admin-only (403)', async (method, path, body) => {
    const response = await h.api<{ error: { code: string } }>(method, path, body, bearer(till.token));
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('admin_required');
  });

  it('refunds over the limit need an admin', async () => {
    const ruid = newRuid();
    await h.api('POST', '/api/payments', { ruid, tid: '90000015', amount: '20.00' }, bearer(till.token));
    await h.waitFor(ruid, ['approved']);
    const big = await h.api<{ error: { code: string; rule: string; left: string } }>('POST', '/api/refunds', { ruid: newRuid(), originalRuid: ruid, amount: '6.00' }, bearer(till.token));
    expect(big.status).toBe(403);
    expect(big.body.error).toMatchObject({ code: 'admin_required', rule: 'sale_limit', left: '5.00' });
    const small = newRuid();
    expect((await h.api('POST', '/api/refunds', { ruid: small, originalRuid: ruid, amount: '5.00' }, bearer(till.token))).status).toBe(202);
    await h.waitFor(small, ['approved']);
    expect((await h.api('POST', '/api/refunds', { ruid: newRuid(), originalRuid: ruid, amount: '6.00' })).status).toBe(202);
  });

  it('state changes with the cookie need this origin', async () => {
    const cookie = { cookie: `till_device=${till.token}`, authorization: '' };
    const body = cashSale('1.00');
    expect((await h.api('GET', '/api/devices/me', undefined, cookie)).status).toBe(200);
    expect((await h.api('PUT', `/api/sales/${newRuid()}`, body, cookie)).status).toBe(403);
    expect((await h.api('PUT', `/api/sales/${newRuid()}`, body, { ...cookie, origin: 'https://evil.example' })).status).toBe(403);
    expect((await h.api('PUT', `/api/sales/${newRuid()}`, body, { ...cookie, origin: h.url })).status).toBe(201);
    expect((await h.api('PUT', `/api/sales/${newRuid()}`, body, { ...bearer(till.token), origin: 'https://evil.example' })).status).toBe(403);
  });
});

describe('pairing codes', () => {
  it('work once', async () => {
    const { body: code } = await h.api<{ code: string; link: string; qrSvg: string }>('POST', '/api/devices/pairing-codes', { role: 'till' });
    expect(code.code).toMatch(/^[A-Z2-9]{10}$/);
    expect(code.link).toBe(`${h.url}/pair?code=${code.code}`);
    expect(code.qrSvg).toContain('<svg');
    const first = await h.api<{ token: string; device: { name: string } }>('POST', '/api/devices/pair', { code: code.code.toLowerCase(), name: 'Back till' }, NONE);
    expect(first.status).toBe(201);
    expect(first.body.device.name).toBe('Back till');
    const second = await h.api<{ error: { field: string } }>('POST', '/api/devices/pair', { code: code.code, name: 'Thief' }, NONE);
    expect(second.status).toBe(400);
    expect(second.body.error.field).toBe('code');
  });

  it('expire', async () => {
    const { body: code } = await h.api<{ code: string }>('POST', '/api/devices/pairing-codes', { ttlSeconds: 1 });
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await h.api('POST', '/api/devices/pair', { code: code.code, name: 'Late' }, NONE)).status).toBe(400);
  });

  it('set an HttpOnly, SameSite=Strict cookie (not Secure on localhost)', async () => {
    const { body: code } = await h.api<{ code: string }>('POST', '/api/devices/pairing-codes', {});
    const response = await fetch(`${h.url}/api/devices/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: code.code, name: 'Cookie till' }) });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^till_device=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain('Secure');
  });
});

describe('hardening', () => {
  it('sends the security headers', async () => {
    const response = await fetch(`${h.url}/api/devices/me`, { headers: bearer(till.token) });
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('limits the requests of each device (429 with Retry-After)', async () => {
    const limited = await startEdgeHarness({ EDGE_DEVICE_RATE_LIMIT: '5' });
    try {
      const device = await limited.pairDevice();
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await limited.api('GET', '/api/devices/me', undefined, bearer(device.token))).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const response = await fetch(`${limited.url}/api/devices/me`, { headers: bearer(device.token) });
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      // The admin is not limited.
      expect((await limited.api('GET', '/api/devices/me')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('the audit log', () => {
  it('records who did what, and npm run audit:verify detects a changed or removed line', async () => {
    const lines = await h.edge.store.auditLines();
    const actions = lines.map((line) => line.action);
    expect(actions).toEqual(expect.arrayContaining(['pairing_code.create', 'device.pair', 'payment.create', 'device.revoke', 'refund.create', 'sale.put']));
    expect(lines.find((line) => line.action === 'payment.create' && line.actor === `device:${till.id}`)).toBeDefined();

    const copy = mkdtempSync(join(tmpdir(), 'audit-'));
    try {
      cpSync(h.edge.config.dataDir, copy, { recursive: true });
      const verify = () => spawnSync('npm', ['run', '--silent', 'audit:verify'], { cwd: root, env: { ...process.env, EDGE_DATA_DIR: copy }, encoding: 'utf8' });
      const ok = verify();
      expect(ok.status).toBe(0);
      expect(ok.stdout).toContain(`audit log OK: ${lines.length} lines`);

      const db = new DatabaseSync(join(copy, 'edge.sqlite'));
      expect(() => db.exec("UPDATE audit_log SET result = 'forged' WHERE seq = 3")).toThrow(/append-only/);
      db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete');
      db.exec("UPDATE audit_log SET result = 'forged' WHERE seq = 3");
      db.close();
      const changed = verify();
      expect(changed.status).toBe(1);
      expect(changed.stderr).toContain('BROKEN at line 3');

      // A fresh copy, with one line removed instead.
      rmSync(copy, { recursive: true, force: true });
      cpSync(h.edge.config.dataDir, copy, { recursive: true });
      const db2 = new DatabaseSync(join(copy, 'edge.sqlite'));
      db2.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete');
      db2.exec('DELETE FROM audit_log WHERE seq = 2');
      db2.close();
      const removed = verify();
      expect(removed.status).toBe(1);
      expect(removed.stderr).toContain('BROKEN at line 3: expected line 2 (a line was removed)');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
