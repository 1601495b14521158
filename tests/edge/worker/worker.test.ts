import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Payment } from '../../../shared/payments.js';
import { newRuid } from '../../../shared/ruid.js';
import { readSse } from '../../helpers/edge-harness.js';
import { startWorkerHarness, WORKER_ADMIN, type WorkerHarness } from '../../helpers/worker-harness.js';

// The edge issue's integration scenarios, against the Worker in local workerd (a Durable Object
// per terminal, the store in Durable Object SQLite), with the simulator as myPOS over real HTTP.

let w: WorkerHarness;
beforeAll(async () => {
  w = await startWorkerHarness();
  for (const tid of ['90000015', '90000016']) expect((await w.api('POST', '/api/terminals', { tid, currency: 'EUR' })).status).toBe(201);
}, 60_000);
afterAll(async () => {
  await w?.close();
});
afterEach(async () => {
  await fetch(`${w.sim.url}/sim/faults`, { method: 'DELETE' });
  for (const tid of ['90000015', '90000016']) await w.simControl(`/terminals/${tid}/mode`, { mode: 'auto' });
});

type LedgerEntry = { ruid: string; kind: string };
const pay = (amount: string, tid = '90000015', ruid = newRuid()) =>
  w.api<{ payment: Payment; error?: { code: string; inFlightRuid?: string } }>('POST', '/api/payments', { ruid, tid, amount }).then((r) => ({ ...r, ruid }));
const charges = async (ruid: string) => (await w.simControl<LedgerEntry[]>('/ledger')).filter((entry) => entry.ruid === ruid && entry.kind === 'purchase').length;
const states = async (ruid: string) => (await readSse(`${w.url}/api/payments/${ruid}/events`, { headers: WORKER_ADMIN })).events.map((event) => (JSON.parse(event.data) as Payment).state);

describe('the edge on Workers (local workerd)', () => {
  it('approves: 202, then sent and approved with the receipt fields, one charge, streamed by SSE', async () => {
    const { status, ruid } = await pay('23.45');
    expect(status).toBe(202);
    const done = await w.waitFor(ruid, ['approved']);
    expect(done.receipt).toMatchObject({ response_code: '00', merch_name: 'Demo Shop' });
    expect(await states(ruid)).toEqual(['accepted', 'sent', 'approved']);
    expect(await charges(ruid)).toBe(1);
  });

  it('declines (.51) with the issuer code and its reason', async () => {
    const { ruid } = await pay('10.51');
    const done = await w.waitFor(ruid, ['declined']);
    expect(done).toMatchObject({ responseCode: '51', reason: 'insufficient_funds' });
    expect(await charges(ruid)).toBe(0);
  });

  it('goes through the PIN (.55), polled by the terminal object\'s alarm, and is approved', async () => {
    // Manual mode: the PIN is entered once the edge showed it (in auto mode it lasts 48 ms here).
    await w.simControl('/terminals/90000015/mode', { mode: 'manual' });
    const { ruid } = await pay('10.55');
    await w.waitFor(ruid, ['sent']);
    await w.simControl('/terminals/90000015/press-o', {});
    await w.simControl('/terminals/90000015/card', {});
    await w.waitFor(ruid, ['pin']);
    await w.simControl('/terminals/90000015/pin', { correct: true });
    await w.waitFor(ruid, ['approved']);
    const seen = await states(ruid);
    expect(seen).toContain('pin');
    expect(seen.at(-1)).toBe('approved');
  });

  it('refuses a second payment while the terminal is busy (409 terminal_busy)', async () => {
    await w.simControl('/terminals/90000016/mode', { mode: 'manual' });
    const first = await pay('12.00', '90000016');
    await w.waitFor(first.ruid, ['sent']);
    const second = await pay('13.00', '90000016');
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'terminal_busy', inFlightRuid: first.ruid, inFlight: { ruid: first.ruid, amount: '12.00', currency: 'EUR' } });
    expect((await w.api<{ payment: Payment }>('POST', `/api/payments/${first.ruid}/cancel`)).body.payment.state).toBe('cancelled');
  });

  it('resends a lost answer with the same RUID: approved, one charge', async () => {
    await w.simControl('/faults', { kind: 'drop', method: 'MPRPurchase', count: 1 });
    const { ruid } = await pay('14.00');
    await w.waitFor(ruid, ['approved']);
    expect(await charges(ruid)).toBe(1);
  });

  it('never approves on an answer whose signature fails; settles once answers verify', async () => {
    await w.simControl('/faults', { kind: 'bad_signature', count: 1000 });
    const { ruid } = await pay('15.00');
    expect((await w.waitFor(ruid, ['unknown', 'approved'])).state).toBe('unknown');
    await fetch(`${w.sim.url}/sim/faults`, { method: 'DELETE' });
    expect((await w.waitFor(ruid, ['approved'])).receipt?.response_code).toBe('00');
    expect(await charges(ruid)).toBe(1);
  });

  it('replays what was missed after Last-Event-ID, and only that', async () => {
    const { ruid } = await pay('24.00');
    await w.waitFor(ruid, ['approved']);
    const all = (await readSse(`${w.url}/api/payments/${ruid}/events`, { headers: WORKER_ADMIN })).events;
    expect(all).toHaveLength(3);
    const rest = await readSse(`${w.url}/api/payments/${ruid}/events`, { headers: WORKER_ADMIN, lastEventId: all[0]?.id ?? '' });
    expect(rest.events.map((e) => e.id)).toEqual([all[1]?.id, all[2]?.id]);
  });

  it('20 concurrent purchases at one TID: exactly one is accepted', async () => {
    await w.simControl('/terminals/90000015/mode', { mode: 'manual' });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => pay(`${30 + index}.00`, '90000015')));
    const accepted = answers.filter((answer) => answer.status === 202);
    expect(accepted).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 409 && answer.body.error?.code === 'terminal_busy')).toHaveLength(19);
    const [winner] = accepted;
    await w.waitFor(winner?.ruid ?? '', ['sent']);
    await w.api('POST', `/api/payments/${winner?.ruid ?? ''}/cancel`);
    await w.waitFor(winner?.ruid ?? '', ['cancelled']);
  });

  it('serves the rest of the API from the same app: pairing a device, the catalogue, the ledger', async () => {
    const { body: code } = await w.api<{ code: string }>('POST', '/api/devices/pairing-codes', { role: 'till' });
    const paired = await w.api<{ token: string }>('POST', '/api/devices/pair', { code: code.code, name: 'Worker till' }, { authorization: '' });
    expect(paired.status).toBe(201);
    const asTill = { authorization: `Bearer ${paired.body.token}` };
    expect((await w.api('PUT', '/api/products/P-1', { name: 'Tea', price: '2.00', vatRate: '20' })).status).toBe(200);
    expect((await w.api<{ products: Array<{ name: string }> }>('GET', '/api/products', undefined, asTill)).body.products.map((p) => p.name)).toEqual(['Tea']);
    const sale = { lines: [{ name: 'Tea', unitPrice: '2.00', quantity: 1, vatRate: '20' }], total: '2.00', currency: 'EUR', cash: { kept: '2.00', tendered: '5.00' }, createdAt: '2026-11-22T10:00:00.000Z', completedAt: '2026-11-22T10:00:00.000Z' };
    expect((await w.api('PUT', `/api/sales/${newRuid()}`, sale, asTill)).status).toBe(201);
    const close = await w.api<{ close: { report: { byCurrency: Record<string, unknown>; drawer: unknown } } }>('POST', '/api/day-closes', { openingFloat: '0.00', countedCash: '2.00' });
    expect(close.body.close.report.byCurrency.EUR).toMatchObject({ count: 1, gross: '2.00', cash: '2.00', net: '2.00' });
    expect(close.body.close.report.drawer).toMatchObject({ expected: '2.00', difference: '0.00' });
  });
});
