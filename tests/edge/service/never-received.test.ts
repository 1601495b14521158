import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SimExchange } from '../../../edge/simulator/soap-endpoint.js';
import type { Payment } from '../../../shared/payments.js';
import { newRuid } from '../../../shared/ruid.js';
import { startEdgeHarness, type EdgeHarness } from '../../helpers/edge-harness.js';
import { storedExchanges } from '../../helpers/stored-exchanges.js';

// "Nothing charged" needs two agreeing facts (issue 16, item 4): a purchase whose MPRPurchase never
// reached myPOS (the simulator's drop_request: lost on its way, every attempt) is failed only when
// MPRGetTxnStatus and MPRCancel of its RUID both answer 4; otherwise it stays unknown with
// check_terminal until a verified answer or an admin settles it.

type Answer = { payment: Payment; error?: { code: string; message: string } };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function exchanges(h: EdgeHarness): Promise<SimExchange[]> {
  return (await h.sim<{ exchanges: SimExchange[] }>('/state')).exchanges;
}

/** What the simulator answered since `from` (an index into its exchanges), as method:status[:fault]. */
async function answeredSince(h: EdgeHarness, from: number): Promise<string[]> {
  return (await exchanges(h)).slice(from).map((exchange) => `${exchange.method}:${exchange.status}${exchange.fault ? `:${exchange.fault}` : ''}`);
}

async function clearFaults(h: EdgeHarness): Promise<void> {
  await fetch(`${h.simUrl}/sim/faults`, { method: 'DELETE' });
}

/** A purchase on a terminal that nothing else uses here, with every MPRPurchase attempt lost on its way. */
async function lostPurchase(h: EdgeHarness, tid: string, amount: string): Promise<string> {
  await h.sim('/faults', { kind: 'drop_request', method: 'MPRPurchase', count: 50 });
  const ruid = newRuid();
  const created = await h.api<Answer>('POST', '/api/payments', { ruid, tid, amount });
  expect(created.status).toBe(202);
  return ruid;
}

describe('a purchase that never reached myPOS (status checks at the tests\' pace)', () => {
  let h: EdgeHarness;
  beforeAll(async () => {
    h = await startEdgeHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await clearFaults(h);
  });

  it('MPRGetTxnStatus 4 and MPRCancel 4: failed, never received, nothing charged', async () => {
    const from = (await exchanges(h)).length;
    const ruid = await lostPurchase(h, '90000015', '31.00');
    const failed = await h.waitFor(ruid, ['failed']);
    expect(failed).toMatchObject({ state: 'failed', reason: 'never_received' });
    // myPOS never saw the purchase; it was asked once about it, then the cancel confirmed it.
    expect(await answeredSince(h, from)).toEqual(['MPRGetTxnStatus:4', 'MPRCancel:4']);
    expect((await h.sim<Array<{ ruid: string }>>('/ledger')).some((entry) => entry.ruid === ruid)).toBe(false);
    // It went through unknown first: one 4 was not enough.
    const purchases = storedExchanges(h.edge, ruid).filter((exchange) => exchange.method === 'MPRPurchase');
    expect(purchases.every((exchange) => exchange.phase === 'sending' || exchange.error === 'transport')).toBe(true);
    expect(h.logs.some((line) => line.includes(ruid) && line.includes('both answered 4'))).toBe(true);
  });

  it('a cancel whose 4 cannot be verified is no second fact: unknown with check_terminal, asked again with back-off, the cancel never repeated; an admin settles it', async () => {
    const from = (await exchanges(h)).length;
    await h.sim('/faults', { kind: 'bad_signature', method: 'MPRCancel', count: 50 });
    const ruid = await lostPurchase(h, '90000016', '32.00');
    const waiting = await h.waitFor(ruid, ['unknown', 'failed', 'cancelled']);
    for (let i = 0; i < 100 && (await h.payment(ruid)).reason !== 'check_terminal'; i++) await sleep(10);
    expect(await h.payment(ruid)).toMatchObject({ state: 'unknown', reason: 'check_terminal' });
    expect(waiting.state).toBe('unknown');
    // Still asked (MPRGetTxnStatus keeps answering 4), never failed on that alone, never cancelled again.
    await sleep(400);
    const answered = await answeredSince(h, from);
    expect(answered.filter((line) => line.startsWith('MPRCancel'))).toEqual(['MPRCancel:4:bad_signature']);
    expect(answered.filter((line) => line === 'MPRGetTxnStatus:4').length).toBeGreaterThan(2);
    expect(answered.some((line) => line.startsWith('MPRPurchase'))).toBe(false);
    expect(await h.payment(ruid)).toMatchObject({ state: 'unknown', reason: 'check_terminal' });
    expect(h.logs.some((line) => line.includes(ruid) && line.includes('MPRCancel did not confirm'))).toBe(true);

    // Settling by hand is an admin's: a till device is refused; the admin says how it ended.
    const till = await h.pairDevice({ role: 'till' });
    const refused = await h.api<Answer>('POST', `/api/payments/${ruid}/resolve`, { state: 'declined' }, { authorization: `Bearer ${till.token}` });
    expect([refused.status, refused.body.error?.code]).toEqual([403, 'admin_required']);
    const settled = await h.api<Answer>('POST', `/api/payments/${ruid}/resolve`, { state: 'declined' });
    expect(settled.status).toBe(200);
    expect(settled.body.payment).toMatchObject({ state: 'declined', reason: 'checked_not_charged' });
    expect(await h.payment(ruid)).toMatchObject({ state: 'declined', reason: 'checked_not_charged' });
    // Once settled, myPOS is no longer asked about it, and the terminal is free.
    const after = (await exchanges(h)).length;
    await sleep(300);
    expect(await answeredSince(h, after)).toEqual([]);
    expect((await h.api<Answer>('POST', `/api/payments/${ruid}/resolve`, { state: 'approved' })).body.error?.code).toBe('not_unknown');
    const lines = await h.edge.store.auditLines();
    expect(lines.filter((line) => line.action === 'payment.resolve' && line.ruid === ruid).map((line) => line.result)).toEqual(['declined', 'refused']);
    await clearFaults(h);
    const next = newRuid();
    expect((await h.api('POST', '/api/payments', { ruid: next, tid: '90000016', amount: '5.00' })).status).toBe(202);
    expect((await h.waitFor(next, ['approved'])).state).toBe('approved');
  });

  it('no answer to the cancel is no second fact either; an admin may record the payment as approved with the terminal\'s reference', async () => {
    await h.sim('/faults', { kind: 'drop_request', method: 'MPRCancel', count: 50 });
    const ruid = await lostPurchase(h, '90000015', '33.00');
    for (let i = 0; i < 200 && (await h.payment(ruid)).reason !== 'check_terminal'; i++) await sleep(10);
    expect(await h.payment(ruid)).toMatchObject({ state: 'unknown', reason: 'check_terminal' });
    const settled = await h.api<Answer>('POST', `/api/payments/${ruid}/resolve`, { state: 'approved', ref: ' 000123 ' });
    expect(settled.body.payment).toMatchObject({ state: 'approved', reason: 'checked_approved', receipt: { ref: '000123' } });
  });

  it('only an unknown payment at check_terminal is settled by hand: an approved cloud payment is refused', async () => {
    const ruid = newRuid();
    await h.api('POST', '/api/payments', { ruid, tid: '90000015', amount: '6.00' });
    await h.waitFor(ruid, ['approved']);
    const refused = await h.api<Answer>('POST', `/api/payments/${ruid}/resolve`, { state: 'declined' });
    expect([refused.status, refused.body.error?.code]).toEqual([409, 'not_unknown']);
    expect((await h.payment(ruid)).state).toBe('approved');
  });
});

describe("the cashier's cancel of a request myPOS never acknowledged (status checks far apart)", () => {
  let h: EdgeHarness;
  beforeAll(async () => {
    // The unknown back-off starts at a minute: only the cancel asks myPOS during a test.
    h = await startEdgeHarness({ PAYMENT_UNKNOWN_POLL_MS: '60000', PAYMENT_UNKNOWN_POLL_MAX_MS: '60000' });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await clearFaults(h);
  });

  it('MPRCancel 4 and MPRGetTxnStatus 4: cancelled', async () => {
    const ruid = await lostPurchase(h, '90000015', '34.00');
    await h.waitFor(ruid, ['unknown']);
    await clearFaults(h);
    const from = (await exchanges(h)).length;
    const cancelled = await h.api<Answer>('POST', `/api/payments/${ruid}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.payment).toMatchObject({ state: 'cancelled', reason: 'cancelled' });
    expect(await answeredSince(h, from)).toEqual(['MPRCancel:4', 'MPRGetTxnStatus:4']);
  });

  it('MPRCancel 4 alone is not enough: refused as not confirmed, still unknown, checked again', async () => {
    const ruid = await lostPurchase(h, '90000016', '35.00');
    await h.waitFor(ruid, ['unknown']);
    await clearFaults(h);
    await h.sim('/faults', { kind: 'bad_signature', method: 'MPRGetTxnStatus', count: 1 });
    const from = (await exchanges(h)).length;
    const refused = await h.api<Answer>('POST', `/api/payments/${ruid}/cancel`);
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe('no_answer');
    // The check scheduled at once asks again: 4 once more, then MPRCancel to confirm.
    const failed = await h.waitFor(ruid, ['failed']);
    expect(failed.reason).toBe('never_received');
    expect(await answeredSince(h, from)).toEqual(['MPRCancel:4', 'MPRGetTxnStatus:4:bad_signature', 'MPRGetTxnStatus:4', 'MPRCancel:4']);
  });
});
