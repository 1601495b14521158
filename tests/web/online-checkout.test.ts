import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { KeyedMutex } from '../../edge/core/keyed-mutex.js';
import type { SaleLine } from '../../shared/sale.js';
import { clockText, secondsLeft } from '../../web/src/lib/checkout/countdown.js';
import { cardTerminals, checkoutBody, checkoutTerminal, readLink } from '../../web/src/lib/checkout/online.js';
import { canPayAgain, cardAgain, startPayment, type SaleDraft } from '../../web/src/lib/checkout/sale.js';
import { recordCardSale } from '../../web/src/lib/db/outbox.js';
import { openTillDb, type LocalSale } from '../../web/src/lib/db/schema.js';
import { OutboxRunner } from '../../web/src/lib/sync/runner.js';
import { linkWords } from '../../web/src/lib/messages/link.js';

// "Pay by QR / link" without a browser: which terminal pays that way, the body of POST
// /api/checkouts made from the stored sale, the edge's answer read with care, the link's countdown,
// and the sale record (stored before any request, paid again by a new link).

const line = (name: string, unitPriceCents: number, quantity = 1, extra: Partial<SaleLine> = {}): SaleLine => ({ name, unitPriceCents, quantity, vatRateBp: 2000, ...extra });
const draft = (lines: SaleLine[], extra: Partial<SaleDraft> = {}): SaleDraft => ({ lines, discount: undefined, note: '', cashReceivedCents: undefined, reference: undefined, ...extra });
const made = { id: 'R-ONLINE-1', now: '2026-12-02T10:00:00.000Z', currency: 'EUR' };
const body = (sale: LocalSale) => checkoutBody({ id: sale.id, lines: sale.lines ?? [], discount: sale.discount, cardCents: sale.cardCents ?? 0, reference: sale.reference });

describe('which terminal pays how', () => {
  const cloud = { tid: '90000015', operations: ['purchase', 'refund', 'cancel', 'void', 'subscription'] as const };
  const lan = { tid: '90000016', operations: ['purchase', 'refund', 'preauth', 'settle_unknown'] as const };
  const online = { tid: 'ONLINE01', operations: ['checkout', 'refund'] as const };

  it('Charge never offers the online channel; "Pay by QR / link" is the channel with checkout', () => {
    expect(cardTerminals([online, cloud, lan]).map((item) => item.tid)).toEqual(['90000015', '90000016']);
    expect(checkoutTerminal([cloud, online, lan])?.tid).toBe('ONLINE01');
  });

  it('a phone-only shop: no card terminal, the link still pays; a shop without Online Checkout has no link', () => {
    expect(cardTerminals([online])).toEqual([]);
    expect(checkoutTerminal([online])?.tid).toBe('ONLINE01');
    expect(checkoutTerminal([cloud, lan])).toBeUndefined();
  });

  it('a list kept by an older till, without the operations, is read as card terminals', () => {
    const old = { tid: '90000015' } as unknown as typeof cloud;
    expect(cardTerminals([old])).toEqual([old]);
    expect(checkoutTerminal([old])).toBeUndefined();
  });
});

describe('the checkout request', () => {
  it('is made from the stored sale: its RUID, the total and the cart lines at their unit prices', () => {
    const sale = startPayment(draft([line('Espresso', 120, 2), line('Croissant', 205)]), { ...made, tid: 'ONLINE01', channel: 'checkout' });
    expect(body(sale)).toEqual({
      ruid: 'R-ONLINE-1',
      amount: '4.45',
      lines: [
        { name: 'Espresso', quantity: 2, unitPrice: '1.20' },
        { name: 'Croissant', quantity: 1, unitPrice: '2.05' },
      ],
    });
  });

  it('lists the lines after their discounts, adding up to the amount exactly; a line discounted to nothing is left out', () => {
    // 3 x 1.00 with 10 % off the sale: 2.70, which divides by 3; 1 x 2.00 free; 3 x 0.35 less 0.10: 0.95, which does not.
    const lines = [line('Tea', 100, 3), line('Cookie', 200, 1, { discount: { kind: 'percent', bp: 10_000 } }), line('Mint', 35, 3, { discount: { kind: 'amount', cents: 10 } })];
    const sale = startPayment(draft(lines, { discount: { kind: 'percent', bp: 1000 } }), { ...made, tid: 'ONLINE01', channel: 'checkout' });
    const sent = body(sale);
    expect(sent.lines).toEqual([
      { name: 'Tea', quantity: 3, unitPrice: '0.90' },
      { name: '3 × Mint', quantity: 1, unitPrice: '0.85' },
    ]);
    const sum = (sent.lines ?? []).reduce((total, item) => total + Math.round(Number(item.unitPrice) * 100) * item.quantity, 0);
    expect(sum).toBe(sale.amountCents);
    expect(sent.amount).toBe('3.55');
  });

  it('sends no lines when the link pays only part of the sale (the page shows the amount alone), and sends the reference', () => {
    const reference = { number: 'ORDER-7', type: '2' } as const;
    const split = startPayment(draft([line('Atlas', 1500)], { cashReceivedCents: 500, reference }), { ...made, tid: 'ONLINE01', channel: 'checkout' });
    expect(body(split)).toEqual({ ruid: 'R-ONLINE-1', amount: '10.00', reference });
  });
});

describe('the sale record', () => {
  it('is a card sale on the online channel, stored before any request; paid again it is a new link with a new RUID', () => {
    const sale = startPayment(draft([line('Espresso', 250)]), { ...made, tid: 'ONLINE01', channel: 'checkout' });
    expect(sale).toMatchObject({ id: 'R-ONLINE-1', tender: 'card', tid: 'ONLINE01', channel: 'checkout', amountCents: 250, cardCents: 250, cashKeptCents: 0, sync: 'none' });
    const declined: LocalSale = { ...sale, paymentState: 'failed' };
    expect(canPayAgain(declined)).toBe(true);
    const again = cardAgain(declined, 2000, { id: 'R-ONLINE-2', now: made.now });
    expect(again).toMatchObject({ id: 'R-ONLINE-2', tid: 'ONLINE01', channel: 'checkout', amountCents: 250 });
    expect(again.link).toBeUndefined();
  });

  it('a card sale on a terminal has no channel (and its "try again" stays on the terminal)', () => {
    const sale = startPayment(draft([line('Espresso', 250)]), { ...made, tid: '90000015' });
    expect('channel' in sale).toBe(false);
    expect('channel' in cardAgain({ ...sale, paymentState: 'declined' }, 2000, { id: 'R-2', now: made.now })).toBe(false);
  });
});

describe("the edge's answer and the countdown", () => {
  it('keeps a link only when its url, QR code and expiry are there', () => {
    const link = { url: 'http://127.0.0.1:8787/pay/Ab3', qrSvg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>', expiresAt: '2026-12-02T10:15:00.000Z' };
    expect(readLink({ ...link, extra: 1 })).toEqual(link);
    expect(readLink({ url: link.url, qrSvg: link.qrSvg })).toBeUndefined();
    expect(readLink(undefined)).toBeUndefined();
    expect(readLink('nonsense')).toBeUndefined();
  });

  it('counts whole seconds down to 0, and shows them as a clock', () => {
    const expiresAt = '2026-12-02T10:15:00.000Z';
    expect(secondsLeft(expiresAt, Date.parse('2026-12-02T10:00:00.000Z'))).toBe(900);
    expect(secondsLeft(expiresAt, Date.parse('2026-12-02T10:14:58.200Z'))).toBe(1);
    expect(secondsLeft(expiresAt, Date.parse('2026-12-02T10:14:59.200Z'))).toBe(0);
    expect(secondsLeft(expiresAt, Date.parse('2026-12-02T10:16:00.000Z'))).toBe(0);
    expect(secondsLeft('not a date', 0)).toBe(0);
    expect([905, 900, 59, 0, -3].map(clockText)).toEqual(['15:05', '15:00', '0:59', '0:00', '0:00']);
  });
});

describe('the words of the checkout view', () => {
  it('are there in English and in Bulgarian, and the Bulgarian ones are not English', () => {
    const flat = (words: object): string[] => Object.values(words).flatMap((value) => (typeof value === 'string' ? [value] : typeof value === 'function' ? [String((value as (x: string) => string)('1:00'))] : flat(value as object)));
    const en = flat(linkWords.en);
    const bg = flat(linkWords.bg);
    expect(bg).toHaveLength(en.length);
    for (const [index, text] of bg.entries()) {
      expect(text.trim().length).toBeGreaterThan(3);
      expect(text).not.toBe(en[index]);
      expect(text).toMatch(/[а-яА-Я]/);
    }
    expect(linkWords.en.expiresIn('14:32')).toBe('The link expires in 14:32');
  });
});

describe('the outbox sends a sale paid by link', () => {
  const link = { url: 'http://edge.test/c/R.sig', qrSvg: '<svg viewBox="0 0 37 37"></svg>', expiresAt: '2026-12-02T10:15:00.000Z' };
  let dbCount = 0;

  /** A runner over fake-indexeddb whose edge answers as `answer` says, keeping every request. */
  async function run(answer: (body: Record<string, unknown>, call: number) => Response | 'network') {
    const db = await openTillDb(`till-online-${++dbCount}`);
    const sale = startPayment(draft([line('Espresso', 120, 2)]), { ...made, id: `R-ONLINE-${dbCount}`, tid: 'ONLINE01', channel: 'checkout' });
    await recordCardSale(db, sale, Date.now(), 120_000);
    const requests: Array<{ url: string; body: Record<string, unknown> }> = [];
    const locks = new KeyedMutex();
    const runner = new OutboxRunner({
      db,
      baseUrl: 'http://edge.test',
      fetch: async (input, init) => {
        const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
        requests.push({ url: String(input), body });
        const reply = answer(body, requests.length);
        if (reply === 'network') throw new TypeError('fetch failed');
        return reply;
      },
      withLock: (work) => locks.run('outbox', work),
      now: () => Date.now(),
      random: () => 0.5,
      online: () => true,
      onSaleChanged: () => undefined,
      baseDelayMs: 5,
      maxDelayMs: 10,
    });
    return { db, sale, requests, runner };
  }
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const accepted = (ruid: string) => ({ payment: { ruid, state: 'accepted', transport: 'online', tid: 'ONLINE01' }, checkout: link });

  it('asks POST /api/checkouts for the stored RUID with the lines, again with the same RUID after a lost answer, and keeps the link', async () => {
    const { db, sale, requests, runner } = await run((body, call) => (call === 1 ? 'network' : json(202, accepted(String(body.ruid)))));
    await runner.kick();
    await expect.poll(async () => (await db.get('sales', sale.id))?.paymentState, { timeout: 2_000 }).toBe('accepted');
    runner.stop();
    expect(requests.map((request) => request.url)).toEqual(['http://edge.test/api/checkouts', 'http://edge.test/api/checkouts']);
    expect(requests[1]?.body).toEqual(requests[0]?.body);
    expect(requests[0]?.body).toEqual({ ruid: sale.id, amount: '2.40', lines: [{ name: 'Espresso', quantity: 2, unitPrice: '1.20' }] });
    expect((await db.get('sales', sale.id))?.link).toEqual(link);
    expect(await db.count('outbox')).toBe(0);
  });

  it('asks again without the lines when the edge refuses them (they only show on the payment page)', async () => {
    const refused = { error: { code: 'invalid', field: 'lines', rule: 'unknown', message: 'lines is not a field of this request' } };
    const { db, sale, requests, runner } = await run((body) => (body.lines ? json(400, refused) : json(202, accepted(String(body.ruid)))));
    await runner.kick();
    runner.stop();
    expect(requests.map((request) => request.body)).toEqual([
      { ruid: sale.id, amount: '2.40', lines: [{ name: 'Espresso', quantity: 2, unitPrice: '1.20' }] },
      { ruid: sale.id, amount: '2.40' },
    ]);
    expect(await db.get('sales', sale.id)).toMatchObject({ paymentState: 'accepted', link });
  });

  it('another refusal is kept on the sale, as for a card payment', async () => {
    const { db, sale, requests, runner } = await run(() => json(409, { error: { code: 'ruid_conflict', message: 'another body' } }));
    await runner.kick();
    runner.stop();
    expect(requests).toHaveLength(1);
    expect(await db.get('sales', sale.id)).toMatchObject({ paymentState: 'rejected', problem: { code: 'ruid_conflict' } });
  });
});
