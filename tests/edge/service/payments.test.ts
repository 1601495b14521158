import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../../edge/simulator/terminals.js';
import type { InFlightSummary } from '../../../shared/api.js';
import { newRuid } from '../../../shared/ruid.js';
import type { Payment } from '../../../shared/payments.js';
import { readSse, startEdgeHarness, type EdgeHarness } from '../../helpers/edge-harness.js';
import { storedExchanges } from '../../helpers/stored-exchanges.js';

let h: EdgeHarness;
beforeAll(async () => {
  h = await startEdgeHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.sim('/faults', undefined).catch(() => undefined);
  await fetch(`${h.simUrl}/sim/faults`, { method: 'DELETE' });
  for (const tid of ['90000015', '90000016']) {
    await h.sim(`/terminals/${tid}/mode`, { mode: 'auto' });
    await h.sim(`/terminals/${tid}/online`, { online: true });
  }
});

const pay = (amount: string, tid = '90000015', ruid = newRuid(), extra: Record<string, unknown> = {}) =>
  h.api<{ payment: Payment; error?: { code: string; inFlightRuid?: string; inFlight?: InFlightSummary } }>('POST', '/api/payments', { ruid, tid, amount, ...extra }).then((r) => ({ ...r, ruid }));

const charges = async (ruid: string) => (await h.sim<LedgerEntry[]>('/ledger')).filter((entry) => entry.ruid === ruid && entry.kind === 'purchase').length;

/** Every state the payment's event stream shows, from the start to its end. */
async function states(ruid: string): Promise<string[]> {
  const { events } = await readSse(`${h.url}/api/payments/${ruid}/events`);
  return events.map((event) => (JSON.parse(event.data) as Payment).state);
}

describe('payments through the edge and the simulator', () => {
  it('approves: 202 at once, then sent and approved with the receipt fields, one charge', async () => {
    const { status, body, ruid } = await pay('23.45', '90000015', newRuid(), { reference: { number: 'Inv 1', type: '2' } });
    expect(status).toBe(202);
    expect(body.payment).toMatchObject({ ruid, state: 'accepted', amount: '23.45', amountCents: 2345, currency: 'EUR', reference: { number: 'Inv 1', type: '2' } });
    const done = await h.waitFor(ruid, ['approved']);
    expect(done.receipt).toMatchObject({ response_code: '00', amount: '23.45', merch_name: 'Demo Shop' });
    expect(done.receipt?.auth_code).toMatch(/^[0-9]{6}$/);
    expect(await states(ruid)).toEqual(['accepted', 'sent', 'approved']);
    expect(await charges(ruid)).toBe(1);
  });

  it('declines (.51) with the issuer code and its reason', async () => {
    const { ruid } = await pay('10.51');
    const done = await h.waitFor(ruid, ['declined']);
    expect(done).toMatchObject({ reason: 'insufficient_funds', responseCode: '51' });
    expect(await charges(ruid)).toBe(0);
  });

  it('declined by the issuer (.05): reason issuer_declined with its responseCode, in the API and the event stream, and no sentence', async () => {
    const { ruid } = await pay('10.05');
    const done = await h.waitFor(ruid, ['declined']);
    expect(done).toMatchObject({ state: 'declined', reason: 'issuer_declined', responseCode: '05' });
    const read = await h.api<{ payment: Payment }>('GET', `/api/payments/${ruid}`);
    expect(read.body.payment).toMatchObject({ reason: 'issuer_declined', responseCode: '05' });
    expect(read.body.payment).not.toHaveProperty('message');
    const { events } = await readSse(`${h.url}/api/payments/${ruid}/events`);
    const reasons = events.map((event) => (JSON.parse(event.data) as Payment).reason);
    expect(reasons).toEqual(['sending', 'waiting_for_customer', 'issuer_declined']);
    expect(await charges(ruid)).toBe(0);
  });

  it('goes through the PIN (.55) and is approved', async () => {
    // Manual mode: the PIN is entered once the edge showed it (in auto mode it lasts 48 ms here).
    await h.sim('/terminals/90000015/mode', { mode: 'manual' });
    const { ruid } = await pay('10.55');
    await h.waitFor(ruid, ['sent']);
    await h.sim('/terminals/90000015/press-o', {});
    await h.sim('/terminals/90000015/card', {});
    await h.waitFor(ruid, ['pin']);
    // Cancel is offered until the card paid: during the PIN myPOS answers 17, and the till is told to cancel on the terminal.
    const cancel = await h.api<{ error: { code: string } }>('POST', `/api/payments/${ruid}/cancel`);
    expect([cancel.status, cancel.body.error.code]).toEqual([409, 'pin_entry']);
    await h.sim('/terminals/90000015/pin', { correct: true });
    await h.waitFor(ruid, ['approved']);
    const seen = await states(ruid);
    expect(seen).toContain('pin');
    expect(seen.at(-1)).toBe('approved');
  });

  it('PIN never entered (.65): after the PIN window it is unknown, never declined on a guess, then settles', async () => {
    const { ruid } = await pay('10.65');
    const final = await h.waitFor(ruid, ['declined']);
    expect(final.responseCode).toBe('75');
    // The stream's history shows it: unknown (with its warning) came before the decline.
    const { events } = await readSse(`${h.url}/api/payments/${ruid}/events`);
    const payments = events.map((event) => JSON.parse(event.data) as Payment);
    expect(payments.map((payment) => payment.state)).toEqual(['accepted', 'sent', 'pin', 'unknown', 'declined']);
    expect(payments.find((payment) => payment.state === 'unknown')?.reason).toBe('pin_timeout');
    expect(final.reason).toBe('pin_tries_exceeded');
  });

  it('fails when the terminal is offline (.42 and the switch), nothing charged, the terminal free again', async () => {
    const { ruid } = await pay('10.42');
    const failed = await h.waitFor(ruid, ['failed']);
    expect(failed).toMatchObject({ reason: 'terminal_offline', myposStatus: '42' });
    await h.sim('/terminals/90000015/online', { online: false });
    const second = await pay('11.00');
    expect((await h.waitFor(second.ruid, ['failed'])).myposStatus).toBe('42');
  });

  it('refuses a second purchase on a busy terminal with 409 terminal_busy, the RUID in flight and its amount, currency and start', async () => {
    await h.sim('/terminals/90000016/mode', { mode: 'manual' });
    const first = await pay('12.00', '90000016');
    const inFlight = await h.waitFor(first.ruid, ['sent']);
    const second = await pay('13.00', '90000016');
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'terminal_busy', inFlightRuid: first.ruid });
    // Data for the till to say it in its own words: which payment, how much, since when.
    expect(second.body.error?.inFlight).toEqual({ ruid: first.ruid, amount: '12.00', currency: 'EUR', createdAt: inFlight.createdAt });
    expect(Date.parse(second.body.error?.inFlight?.createdAt ?? '')).not.toBeNaN();
    expect((await h.api('GET', `/api/payments/${second.ruid}`)).status).toBe(404);
    const listed = await h.api<{ terminals: Array<{ tid: string; inFlightRuid?: string }> }>('GET', '/api/terminals');
    expect(listed.body.terminals.find((t) => t.tid === '90000016')?.inFlightRuid).toBe(first.ruid);
    // Cancel before the card: MPRCancel, and the terminal is free again.
    const cancelled = await h.api<{ payment: Payment }>('POST', `/api/payments/${first.ruid}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.payment.state).toBe('cancelled');
    const third = await pay('13.00', '90000016');
    expect(third.status).toBe(202);
    await h.waitFor(third.ruid, ['sent']);
    expect((await h.api<{ payment: Payment }>('POST', `/api/payments/${third.ruid}/cancel`)).body.payment.state).toBe('cancelled');
  });

  it('retries a lost answer with the same RUID: approved, one charge', async () => {
    await h.sim('/faults', { kind: 'drop', method: 'MPRPurchase', count: 1 });
    const { ruid } = await pay('14.00');
    await h.waitFor(ruid, ['approved']);
    expect(await charges(ruid)).toBe(1);
    const purchases = storedExchanges(h.edge, ruid).filter((e) => e.method === 'MPRPurchase');
    expect(purchases.map((e) => `${e.phase}:${e.attempt}:${e.error ?? 'ok'}`)).toEqual(['sending:0:ok', 'answered:1:transport', 'answered:2:ok']);
  });

  it('never approves on an answer whose signature fails; logs the exchange as unverified; settles once verified', async () => {
    await h.sim('/faults', { kind: 'bad_signature', count: 1000 });
    const { ruid } = await pay('15.00');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const during = await h.payment(ruid);
    expect(during.state).toBe('unknown');
    const unverified = storedExchanges(h.edge, ruid).filter((e) => e.verified === 0);
    expect(unverified.length).toBeGreaterThan(0);
    expect(h.logs.some((line) => line.includes('failed signature verification') && line.includes(ruid))).toBe(true);
    await fetch(`${h.simUrl}/sim/faults`, { method: 'DELETE' });
    const settled = await h.waitFor(ruid, ['approved']);
    expect(settled.receipt?.response_code).toBe('00');
    expect(await charges(ruid)).toBe(1);
  });

  it('is idempotent by RUID: the same body returns the same payment, another body is 409', async () => {
    const ruid = newRuid();
    const first = await pay('16.00', '90000015', ruid);
    const again = await pay('16.00', '90000015', ruid);
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body.payment.ruid).toBe(ruid);
    const different = await pay('16.01', '90000015', ruid);
    expect(different.status).toBe(409);
    expect(different.body.error?.code).toBe('ruid_conflict');
    await h.waitFor(ruid, ['approved']);
    expect(await charges(ruid)).toBe(1);
  });

  it('voids the last approved purchase, and only the last', async () => {
    const first = await pay('17.00');
    await h.waitFor(first.ruid, ['approved']);
    const second = await pay('18.00');
    await h.waitFor(second.ruid, ['approved']);
    const notLast = await h.api<{ error: { code: string } }>('POST', `/api/payments/${first.ruid}/cancel`);
    expect(notLast.status).toBe(409);
    expect(notLast.body.error.code).toBe('not_last');
    const voided = await h.api<{ payment: Payment }>('POST', `/api/payments/${second.ruid}/cancel`);
    expect(voided.body.payment.state).toBe('voided');
    expect((await h.sim<LedgerEntry[]>('/ledger')).filter((e) => e.ruid === second.ruid).map((e) => e.kind)).toEqual(['purchase', 'void']);
  });

  it('refunds part of a purchase, linked to it, and never more than was paid', async () => {
    const purchase = await pay('20.00');
    await h.waitFor(purchase.ruid, ['approved']);
    const refundRuid = newRuid();
    const refund = await h.api<{ payment: Payment }>('POST', '/api/refunds', { ruid: refundRuid, originalRuid: purchase.ruid, amount: '15.00' });
    expect(refund.status).toBe(202);
    expect(refund.body.payment).toMatchObject({ kind: 'refund', originalRuid: purchase.ruid, tid: '90000015' });
    await h.waitFor(refundRuid, ['approved']);
    const tooMuch = await h.api<{ error: { field: string; rule: string; message: string } }>('POST', '/api/refunds', { ruid: newRuid(), originalRuid: purchase.ruid, amount: '5.01' });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error).toMatchObject({ code: 'invalid', field: 'amount', rule: 'max_refundable', left: '5.00' });
    const rest = await h.api('POST', '/api/refunds', { ruid: newRuid(), originalRuid: purchase.ruid, amount: '5.00' });
    expect(rest.status).toBe(202);
    expect((await h.sim<LedgerEntry[]>('/ledger')).filter((e) => e.kind === 'refund' && e.ruid === refundRuid)).toHaveLength(1);
  });
});

describe('the event stream', () => {
  it('sends the first event at once, as text/event-stream with ids, and ends after the final state', async () => {
    await h.sim('/terminals/90000016/mode', { mode: 'manual' });
    const { ruid } = await pay('21.00', '90000016');
    await h.waitFor(ruid, ['sent']);
    const started = Date.now();
    let firstAt = 0;
    const reading = readSse(`${h.url}/api/payments/${ruid}/events`, { onEvent: () => (firstAt ||= Date.now()) });
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(firstAt - started).toBeLessThan(200);
    await h.sim('/terminals/90000016/press-o', {});
    await h.sim('/terminals/90000016/card', { outcome: 'approve' });
    const { events, comments, contentType } = await reading;
    expect(contentType).toContain('text/event-stream');
    expect(events.map((e) => (JSON.parse(e.data) as Payment).state)).toEqual(['accepted', 'sent', 'approved']);
    expect(events.every((e) => e.event === 'payment' && /^[0-9]+$/.test(e.id))).toBe(true);
    expect(comments).toContain('ping');
  });

  it('two clients on one payment both see every event', async () => {
    await h.sim('/terminals/90000016/mode', { mode: 'manual' });
    const { ruid } = await pay('22.00', '90000016');
    await h.waitFor(ruid, ['sent']);
    const a = readSse(`${h.url}/api/payments/${ruid}/events`);
    const b = readSse(`${h.url}/api/payments/${ruid}/events`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await h.sim('/terminals/90000016/press-o', {});
    await h.sim('/terminals/90000016/card', { outcome: 'pin' });
    await h.waitFor(ruid, ['pin']);
    await h.sim('/terminals/90000016/pin', { correct: true });
    const [one, two] = await Promise.all([a, b]);
    const seen = (r: typeof one) => r.events.map((e) => `${e.id}:${(JSON.parse(e.data) as Payment).state}`);
    expect(seen(one)).toEqual(seen(two));
    expect(seen(one).map((s) => s.split(':')[1])).toEqual(['accepted', 'sent', 'pin', 'approved']);
  });

  it('replays what was missed after Last-Event-ID, and only that', async () => {
    const { ruid } = await pay('24.00');
    await h.waitFor(ruid, ['approved']);
    const all = (await readSse(`${h.url}/api/payments/${ruid}/events`)).events;
    expect(all).toHaveLength(3);
    const rest = await readSse(`${h.url}/api/payments/${ruid}/events`, { lastEventId: all[0]?.id ?? '' });
    expect(rest.events.map((e) => e.id)).toEqual([all[1]?.id, all[2]?.id]);
    const none = await readSse(`${h.url}/api/payments/${ruid}/events`, { lastEventId: all[2]?.id ?? '' });
    // Nothing missed: the current state once, so the client knows where it stands.
    expect(none.events.map((e) => e.id)).toEqual([all[2]?.id]);
  });
});
