import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerOnline } from '../../../edge/adapters/cloudflare/online-settings.js';
import type { Payment } from '../../../shared/payments.js';
import { newRuid } from '../../../shared/ruid.js';
import { readSse } from '../../helpers/edge-harness.js';
import { startWorkerHarness, WORKER_ADMIN, type WorkerHarness } from '../../helpers/worker-harness.js';

// Pay by link (myPOS Online Checkout) on Workers, in local workerd with the simulator as myPOS's
// checkout: every request of a link (the new payment, its page, the Pay press, myPOS's
// notification) reaches the Online Checkout's terminal object (ONLINE01), whose alarm polls
// IPCGetTxnStatus and ends an expired link. The same flow on Node: tests/edge/service/checkouts.test.ts.

const APPROVE = '4111111111111111';
const TILL_PAGE = '<!doctype html><title>the till</title>';

interface Checkout {
  payment: Payment;
  checkout: { url: string; qrSvg: string; expiresAt: string };
}

interface SimCheckout {
  notify: string;
  notifies: Array<{ method: string; httpStatus?: number; body?: string; accepted: boolean }>;
}

let assetsDir: string;
beforeAll(async () => {
  // The till's files, as wrangler.jsonc serves them: the links must not fall to their single-page fallback.
  assetsDir = await mkdtemp(join(tmpdir(), 'worker-assets-'));
  await writeFile(join(assetsDir, 'index.html'), TILL_PAGE);
});
afterAll(async () => {
  await rm(assetsDir, { recursive: true, force: true });
});

async function checkout(w: WorkerHarness, amount: string, extra: Record<string, unknown> = {}): Promise<Checkout> {
  const answer = await w.api<Checkout>('POST', '/api/checkouts', { ruid: newRuid(), amount, ...extra });
  expect(answer.status).toBe(202);
  return answer.body;
}

const unescape = (text: string) => text.replaceAll('&#38;', '&').replaceAll('&#34;', '"').replaceAll('&#39;', "'").replaceAll('&#60;', '<').replaceAll('&#62;', '>');

/** The customer presses Pay: the page with the signed form, then their browser posts it to myPOS's checkout. */
async function pressPay(url: string): Promise<{ page: string; action: string; fields: string[][]; mypos: string }> {
  const pressed = await fetch(url, { method: 'POST' });
  expect(pressed.status).toBe(200);
  const page = await pressed.text();
  const action = unescape(/<form method="post" action="([^"]+)"/.exec(page)?.[1] ?? '');
  const fields = [...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((match) => [match[1] ?? '', unescape(match[2] ?? '')]);
  const mypos = await fetch(action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  expect(mypos.status).toBe(200);
  return { page, action, fields, mypos: await mypos.text() };
}

const simCheckout = async (w: WorkerHarness, ruid: string) => (await fetch(`${w.sim.url}/sim/checkouts/${ruid}`)).json() as Promise<SimCheckout>;

describe('pay by link on Workers: the notification', () => {
  let w: WorkerHarness;
  beforeAll(async () => {
    // A status poll far off: within these tests only the notification can settle a link.
    w = await startWorkerHarness({ online: true, bindings: { MYPOS_IPC_POLL_MS: '60000' }, ports: { worker: 47431, simulator: 47432 }, assetsDir });
  }, 60_000);
  afterAll(async () => {
    await w?.close();
  });

  it('lists the online checkout; answers a link whose page (the edge\'s, not the till\'s files) shows the amount and a Pay button and starts nothing', async () => {
    const { body } = await w.api<{ terminals: Array<{ tid: string; transport: string }> }>('GET', '/api/terminals');
    expect(body.terminals.find((terminal) => terminal.transport === 'online')).toMatchObject({ tid: 'ONLINE01' });
    const created = await checkout(w, '12.30', { lines: [{ name: 'Espresso', quantity: 2, unitPrice: '2.50' }, { name: 'Cake', quantity: 1, unitPrice: '7.30' }] });
    const { ruid } = created.payment;
    expect(created.payment).toMatchObject({ state: 'accepted', transport: 'online', tid: 'ONLINE01', amount: '12.30' });
    expect(created.checkout.url).toMatch(new RegExp(`^${w.url}/c/${ruid}\\.[A-Za-z0-9_-]{22}$`));
    expect(created.checkout.qrSvg).toContain('<svg');
    // The same request again, and the checkout read back after a reload: the same link.
    const again = await w.api<Checkout>('POST', '/api/checkouts', { ruid, amount: '12.30', lines: created.payment.lines?.map((line) => ({ name: line.name, quantity: line.quantity, unitPrice: (line.unitPriceCents / 100).toFixed(2) })) });
    expect([again.status, again.body.checkout.url]).toEqual([200, created.checkout.url]);
    const read = await w.api<Checkout>('GET', `/api/checkouts/${ruid}`);
    expect([read.status, read.body.checkout.url]).toEqual([200, created.checkout.url]);

    const shown = await fetch(created.checkout.url, { headers: { 'user-agent': 'WhatsApp/2.0' } });
    expect(shown.status).toBe(200);
    expect(shown.headers.get('content-type')).toContain('text/html');
    const page = await shown.text();
    expect(page).not.toContain(TILL_PAGE);
    expect(page).toContain('12.30 EUR');
    expect(page).toContain(`<form method="post" action="/c/${created.checkout.url.split('/c/')[1] ?? ''}"><button type="submit">`);
    expect(page).not.toContain('name="Signature"');
    expect((await w.api<{ payment: Payment }>('GET', `/api/payments/${ruid}`)).body.payment.state).toBe('accepted');
    // myPOS never heard of it.
    expect((await fetch(`${w.sim.url}/sim/checkouts/${ruid}`)).status).toBe(404);
    // The page's script is the edge's too; the till's own routes are still its files.
    const script = await fetch(`${w.url}/c/submit.js`);
    expect([script.status, script.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(await (await fetch(`${w.url}/history`)).text()).toBe(TILL_PAGE);
    // A link with another MAC is no link of this edge.
    expect((await fetch(created.checkout.url.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A')))).status).toBe(404);
  });

  it('Pay signs the form for myPOS; paid there, myPOS\'s notification reaches the ONLINE01 object: its event stream sees the approval live, answered OK once', async () => {
    const created = await checkout(w, '23.45');
    const { ruid } = created.payment;
    const pressed = await pressPay(created.checkout.url);
    expect(pressed.action).toBe(w.sim.checkoutEndpoint);
    expect(pressed.fields.find(([name]) => name === 'Signature')?.[1]).toBeTruthy();
    expect(pressed.fields.find(([name]) => name === 'URL_Notify')?.[1]).toBe(`${w.url}/api/ipc/notify`);
    expect(pressed.mypos).toContain('23.45');
    expect((await w.api<{ payment: Payment }>('GET', `/api/payments/${ruid}`)).body.payment.state).toBe('sent');
    // The stream is served by the ONLINE01 object: it sees the approval only if the notification was handled there.
    const seen: string[] = [];
    const stream = readSse(`${w.url}/api/payments/${ruid}/events`, { headers: WORKER_ADMIN, maxMs: 8_000, onEvent: (event) => seen.push((JSON.parse(event.data) as Payment).state) });
    await expect.poll(() => seen.length, { timeout: 3_000 }).toBeGreaterThan(0);
    await fetch(`${w.sim.url}/sim/checkouts/${ruid}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ card: APPROVE }) });
    await stream;
    expect(seen.at(-1)).toBe('approved');
    const paid = await w.waitFor(ruid, ['approved']);
    expect(paid.receipt?.ref).toBeTruthy();
    const sim = await simCheckout(w, ruid);
    expect(sim.notifies.filter((attempt) => attempt.method === 'IPCPurchaseNotify' && attempt.accepted)).toHaveLength(1);
    expect(await (await fetch(`${created.checkout.url}/done`)).text()).toContain('data-state="approved"');
    expect(await (await fetch(`${created.checkout.url}/done`, { method: 'POST' })).text()).toContain('data-state="approved"');
    // Refunded by IPCRefund, in the same object (the refund's original is the link's payment).
    const refund = await w.api<{ payment: Payment }>('POST', '/api/refunds', { ruid: newRuid(), originalRuid: ruid, amount: '3.45' });
    expect(refund.status).toBe(202);
    expect((await w.waitFor(refund.body.payment.ruid, ['approved', 'declined', 'unknown'])).state).toBe('approved');
  });

  it('refuses a forged notification (routed by its OrderID, checked by the object): the payment stays as it was', async () => {
    const created = await checkout(w, '3.00');
    await pressPay(created.checkout.url);
    const forged = new URLSearchParams({ IPCmethod: 'IPCPurchaseNotify', IPCVersion: '1.4', SID: '000000000000010', Amount: '3.00', Currency: 'EUR', OrderID: created.payment.ruid, IPC_Trnref: '123', Signature: 'AAAA' });
    const refused = await fetch(`${w.url}/api/ipc/notify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: forged.toString() });
    expect(refused.status).toBe(400);
    expect((await w.api<{ payment: Payment }>('GET', `/api/payments/${created.payment.ruid}`)).body.payment.state).toBe('sent');
  });

  it('the till cancels a link nobody opened (in the ONLINE01 object); its page then refuses', async () => {
    const created = await checkout(w, '9.10');
    const cancelled = await w.api<{ payment: Payment }>('POST', `/api/payments/${created.payment.ruid}/cancel`);
    expect([cancelled.status, cancelled.body.payment.state]).toEqual([200, 'cancelled']);
    const after = await (await fetch(created.checkout.url, { method: 'POST' })).text();
    expect(after).not.toContain('name="Signature"');
    expect(after).toContain('data-state="cancelled"');
  });
});

describe('pay by link on Workers: the status poll (the ONLINE01 object\'s alarm)', () => {
  let w: WorkerHarness;
  beforeAll(async () => {
    w = await startWorkerHarness({ online: true, bindings: { MYPOS_IPC_POLL_MS: '150' }, ports: { worker: 47433, simulator: 47434 } });
  }, 60_000);
  afterAll(async () => {
    await w?.close();
  });

  it('without a notification, IPCGetTxnStatus (polled by the alarm) settles it', async () => {
    expect(await w.simControl('/ipc/switches', { notify: 'never' })).toMatchObject({ notify: 'never' });
    try {
      const created = await checkout(w, '5.00');
      await pressPay(created.checkout.url);
      await fetch(`${w.sim.url}/sim/checkouts/${created.payment.ruid}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ card: APPROVE }) });
      expect((await w.waitFor(created.payment.ruid, ['approved'], 5_000)).state).toBe('approved');
      expect((await simCheckout(w, created.payment.ruid)).notifies).toEqual([]);
    } finally {
      await fetch(`${w.sim.url}/sim/ipc/switches`, { method: 'DELETE' });
    }
  });
});

describe('an expired link on Workers (the ONLINE01 object\'s alarm)', () => {
  let w: WorkerHarness;
  beforeAll(async () => {
    // A link of one second (never opened here: myPOS's form takes 60 s at least).
    w = await startWorkerHarness({ online: true, bindings: { MYPOS_IPC_POLL_MS: '100', MYPOS_IPC_LINK_TTL_MS: '1000' }, ports: { worker: 47435, simulator: 47436 } });
  }, 60_000);
  afterAll(async () => {
    await w?.close();
  });

  it('fails when myPOS has no payment for it, and its page no longer takes the customer to myPOS', async () => {
    const created = await checkout(w, '7.00');
    const failed = await w.waitFor(created.payment.ruid, ['failed'], 8_000);
    expect(failed.reason).toBe('checkout_expired');
    const page = await (await fetch(created.checkout.url)).text();
    expect(page).not.toContain('<form');
    expect(page).toContain('data-state="failed"');
  });
});

describe('the Worker\'s Online Checkout settings', () => {
  const pem = '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----';
  const cert = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----';
  const all = { MYPOS_IPC_SID: '000000000000010', MYPOS_IPC_WALLET: '61938166610', MYPOS_IPC_KEY_INDEX: '1', MYPOS_IPC_ENDPOINT: 'test', MYPOS_IPC_PRIVATE_KEY: pem, MYPOS_IPC_CERT: cert };

  it('reads MYPOS_IPC_* as on Node, with the link\'s timings; unset MYPOS_IPC_SID: no online channel', () => {
    expect(workerOnline({})).toBeUndefined();
    expect(workerOnline(all)).toMatchObject({ ipc: { merchant: { sid: '000000000000010', walletNumber: '61938166610', keyIndex: '1' }, endpoint: 'https://www.mypos.com/vmp/checkout-test', environment: 'test' }, linkTtlMs: 900_000, pollMs: 10_000 });
    expect(workerOnline({ ...all, MYPOS_IPC_LINK_TTL_MS: '60000', MYPOS_IPC_POLL_MS: '5000' })).toMatchObject({ linkTtlMs: 60_000, pollMs: 5_000 });
  });

  it('refuses what a Worker cannot use, naming the setting: a _FILE, a half setting, a bad number', () => {
    expect(() => workerOnline({ ...all, MYPOS_IPC_PRIVATE_KEY_FILE: '/keys/ipc.pem' })).toThrow(/MYPOS_IPC_PRIVATE_KEY_FILE is not read on Workers: .*wrangler secret put MYPOS_IPC_PRIVATE_KEY/);
    expect(() => workerOnline({ ...all, MYPOS_IPC_CERT_FILE: '/keys/mypos.pem' })).toThrow(/MYPOS_IPC_CERT_FILE is not read on Workers/);
    expect(() => workerOnline({ MYPOS_IPC_SID: '000000000000010' })).toThrow(/MYPOS_IPC_WALLET is required/);
    expect(() => workerOnline({ MYPOS_IPC_WALLET: '61938166610' })).toThrow(/MYPOS_IPC_SID is not/);
    expect(() => workerOnline({ ...all, MYPOS_IPC_POLL_MS: 'soon' })).toThrow(/MYPOS_IPC_POLL_MS must be a whole number/);
  });
});
