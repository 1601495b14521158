import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRuid } from '../../../shared/ruid.js';
import type { Payment } from '../../../shared/payments.js';
import { startEdgeHarness, type EdgeHarness } from '../../helpers/edge-harness.js';

// Pay by link (myPOS Online Checkout) through the edge and the simulator over real HTTP: the link,
// the customer's page, the signed form posted to myPOS, the notification and the status poll, a
// replayed and a forged notification, an expired link, and a refund.

const APPROVE = '4111111111111111';
const DECLINE = '4000000000000002';

interface Checkout {
  payment: Payment;
  checkout: { url: string; qrSvg: string; expiresAt: string };
}

let h: EdgeHarness;
beforeAll(async () => {
  h = await startEdgeHarness({ MYPOS_IPC_POLL_MS: '150' });
});
afterAll(async () => {
  await h?.close();
});

async function checkout(amount: string): Promise<Checkout> {
  const answer = await h.api<Checkout>('POST', '/api/checkouts', { ruid: newRuid(), amount });
  expect(answer.status).toBe(202);
  return answer.body;
}

/** The customer opens the link, presses Pay, and their browser posts the signed form to myPOS's page. */
async function openLink(url: string): Promise<{ page: string; payment: string }> {
  const shown = await (await fetch(url)).text();
  expect(shown).toContain(`<form method="post" action="/c/${url.split('/c/')[1] ?? ''}">`);
  const page = await (await fetch(url, { method: 'POST' })).text();
  const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1] ?? '';
  const fields = [...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((match) => [match[1] ?? '', (match[2] ?? '').replaceAll('&#38;', '&').replaceAll('&#34;', '"').replaceAll('&#39;', "'").replaceAll('&#60;', '<').replaceAll('&#62;', '>')]);
  const myposPage = await fetch(action.replaceAll('&#38;', '&'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  return { page, payment: await myposPage.text() };
}

describe('pay by link', () => {
  it('lists the online checkout with the terminals, as a checkout (not a terminal to charge on)', async () => {
    const { body } = await h.api<{ terminals: Array<{ tid: string; transport: string; operations: string[] }> }>('GET', '/api/terminals');
    expect(body.terminals.find((terminal) => terminal.transport === 'online')).toMatchObject({ tid: 'ONLINE01', operations: ['checkout', 'refund', 'cancel', 'settle_unknown'] });
  });

  it('answers a short link and its QR code; the customer pays on myPOS\'s page; the notification approves it, and the page shows ✓', async () => {
    const created = await checkout('12.30');
    expect(created.payment).toMatchObject({ state: 'accepted', transport: 'online', tid: 'ONLINE01', amount: '12.30' });
    expect(created.checkout.url).toMatch(new RegExp(`^${h.url}/c/${created.payment.ruid}\\.[A-Za-z0-9_-]{22}$`));
    expect(created.checkout.qrSvg).toContain('<svg');
    // The same request again is the same checkout.
    const again = await h.api<Checkout>('POST', '/api/checkouts', { ruid: created.payment.ruid, amount: '12.30' });
    expect([again.status, again.body.checkout.url]).toEqual([200, created.checkout.url]);
    const opened = await openLink(created.checkout.url);
    expect(opened.page).toContain('12.30 EUR');
    expect(opened.payment).toContain('12.30');
    expect((await h.payment(created.payment.ruid)).state).toBe('sent');
    await h.sim(`/checkouts/${created.payment.ruid}/pay`, { card: APPROVE });
    const paid = await h.waitFor(created.payment.ruid, ['approved']);
    expect(paid.receipt?.ref).toBeTruthy();
    expect(await (await fetch(`${created.checkout.url}/done`)).text()).toContain('data-state="approved"');
    // A link with another MAC is no link of this edge.
    expect((await fetch(created.checkout.url.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A')))).status).toBe(404);
  });

  it('shows the cart\'s lines on myPOS\'s page; lines that do not add up to the amount are refused, naming the rule', async () => {
    const lines = [{ name: 'Espresso', quantity: 2, unitPrice: '2.50' }, { name: 'Croissant', quantity: 1, unitPrice: '3.20' }];
    const created = await h.api<Checkout>('POST', '/api/checkouts', { ruid: newRuid(), amount: '8.20', lines });
    expect(created.status).toBe(202);
    expect(created.body.payment.lines).toEqual([{ name: 'Espresso', quantity: 2, unitPriceCents: 250 }, { name: 'Croissant', quantity: 1, unitPriceCents: 320 }]);
    const opened = await openLink(created.body.checkout.url);
    expect(opened.page).toContain('name="Article_2" value="Croissant"');
    expect(opened.payment).toContain('Croissant');
    const wrong = await h.api<{ error: { field: string; rule: string } }>('POST', '/api/checkouts', { ruid: newRuid(), amount: '9.00', lines });
    expect([wrong.status, wrong.body.error.field, wrong.body.error.rule]).toEqual([400, 'lines', 'sum_of_lines']);
  });

  it('refuses a forged notification and leaves the payment as it was; a replayed one changes nothing', async () => {
    const created = await checkout('3.00');
    await openLink(created.checkout.url);
    const forged = new URLSearchParams({ IPCmethod: 'IPCPurchaseNotify', IPCVersion: '1.4', SID: '000000000000010', Amount: '3.00', Currency: 'EUR', OrderID: created.payment.ruid, IPC_Trnref: '123', Signature: 'AAAA' });
    const refused = await fetch(`${h.url}/api/ipc/notify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: forged.toString() });
    expect(refused.status).toBe(400);
    expect((await h.payment(created.payment.ruid)).state).toBe('sent');
    // The simulator's OK is lost twice: it sends the same notification again, and the edge books once.
    const switched = await h.sim<{ lostNotifyAnswers?: number }>('/ipc/switches', { lostNotifyAnswers: 2 });
    expect(switched.lostNotifyAnswers).toBe(2);
    await h.sim(`/checkouts/${created.payment.ruid}/pay`, { card: APPROVE });
    await h.waitFor(created.payment.ruid, ['approved']);
    // The simulator sent it three times (two OKs lost): the edge answered each, and booked it once.
    await expect.poll(async () => (await h.sim<{ notifies?: unknown[] }>(`/checkouts/${created.payment.ruid}`)).notifies?.length ?? 0, { timeout: 3_000 }).toBeGreaterThanOrEqual(3);
    const events = h.logs.filter((line) => line.includes('"msg":"online payment"') && line.includes(created.payment.ruid) && line.includes('"state":"approved"'));
    expect(events).toHaveLength(1);
    await fetch(`${h.simUrl}/sim/ipc/switches`, { method: 'DELETE' });
  });

  it('a card declined on the page, and the customer gone, is not charged (myPOS records it as cancelled)', async () => {
    const created = await checkout('4.00');
    await openLink(created.checkout.url);
    await h.sim(`/checkouts/${created.payment.ruid}/pay`, { card: DECLINE });
    const ended = await h.waitFor(created.payment.ruid, ['declined', 'cancelled']);
    expect(['declined', 'cancelled']).toContain(ended.state);
    expect(ended.state).not.toBe('approved');
  });

  it('without a notification, IPCGetTxnStatus settles it', async () => {
    await h.sim('/ipc/switches', { notify: 'never' });
    const created = await checkout('5.00');
    await openLink(created.checkout.url);
    await h.sim(`/checkouts/${created.payment.ruid}/pay`, { card: APPROVE });
    expect((await h.waitFor(created.payment.ruid, ['approved'], 5_000)).state).toBe('approved');
    await fetch(`${h.simUrl}/sim/ipc/switches`, { method: 'DELETE' });
  });

  it('status first, notification after: the late notification agrees and changes nothing', async () => {
    const switched = await h.sim<{ notifyDelayMs?: number }>('/ipc/switches', { notifyDelayMs: 1_500 });
    expect(switched.notifyDelayMs).toBe(1_500);
    const created = await checkout('5.50');
    await openLink(created.checkout.url);
    await h.sim(`/checkouts/${created.payment.ruid}/pay`, { card: APPROVE });
    await h.waitFor(created.payment.ruid, ['approved'], 1_400);
    await expect.poll(async () => (await h.sim<{ notifies?: unknown[] }>(`/checkouts/${created.payment.ruid}`)).notifies?.length ?? 0, { timeout: 4_000 }).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await h.payment(created.payment.ruid)).state).toBe('approved');
    expect(h.logs.filter((line) => line.includes('"msg":"online payment"') && line.includes(created.payment.ruid) && line.includes('"state":"approved"'))).toHaveLength(1);
    await fetch(`${h.simUrl}/sim/ipc/switches`, { method: 'DELETE' });
  });

  it('the customer leaves myPOS\'s page: cancelled, nothing charged', async () => {
    const created = await checkout('8.00');
    await openLink(created.checkout.url);
    await h.sim(`/checkouts/${created.payment.ruid}/cancel`, {});
    expect(await h.waitFor(created.payment.ruid, ['cancelled'])).toMatchObject({ state: 'cancelled', reason: 'checkout_cancelled' });
  });

  it('notification first, IPCGetTxnStatus after: the status confirms it and changes nothing', async () => {
    const created = await checkout('5.60');
    await openLink(created.checkout.url);
    await h.sim(`/checkouts/${created.payment.ruid}/pay`, { card: APPROVE });
    await h.waitFor(created.payment.ruid, ['approved']);
    const confirmed = () => h.logs.filter((line) => line.includes('confirmed by IPCGetTxnStatus') && line.includes(created.payment.ruid));
    await expect.poll(() => confirmed().length, { timeout: 3_000 }).toBe(1);
    expect(confirmed()[0]).toContain('"agrees":true');
    expect((await h.payment(created.payment.ruid)).state).toBe('approved');
  });

  it('a link preview (GET) starts nothing; the till cancels a link nobody opened, and its page then refuses', async () => {
    const created = await checkout('9.10');
    const preview = await (await fetch(created.checkout.url, { headers: { 'user-agent': 'WhatsApp/2.0' } })).text();
    expect(preview).toContain('9.10 EUR');
    // Whom the customer pays: the shop's name from its profile.
    const shop = (await h.api<{ shop: { name: string } }>('GET', '/api/shop')).body.shop.name;
    expect(shop.length).toBeGreaterThan(0);
    expect(preview).toContain(`<p class="shop">${shop}</p>`);
    expect(preview).not.toContain('name="Signature"');
    expect((await h.payment(created.payment.ruid)).state).toBe('accepted');
    const cancelled = await h.api<{ payment: Payment }>('POST', `/api/payments/${created.payment.ruid}/cancel`);
    expect([cancelled.status, cancelled.body.payment.state, cancelled.body.payment.reason]).toEqual([200, 'cancelled', 'cancelled']);
    const pressed = await fetch(created.checkout.url, { method: 'POST' });
    const after = await pressed.text();
    expect(after).not.toContain('name="Signature"');
    expect(after).toContain('no longer valid');
    // myPOS never had the order: nothing can be paid by it.
    expect((await fetch(`${h.simUrl}/sim/checkouts/${created.payment.ruid}`)).status).toBe(404);
  });

  it('once the customer pressed Pay, the till\'s cancel is refused (customer_paying): myPOS may still take the payment', async () => {
    const created = await checkout('9.20');
    await openLink(created.checkout.url);
    const refused = await h.api<{ error: { code: string }; payment: Payment }>('POST', `/api/payments/${created.payment.ruid}/cancel`);
    expect([refused.status, refused.body.error.code, refused.body.payment.state]).toEqual([409, 'customer_paying', 'sent']);
    await h.sim(`/checkouts/${created.payment.ruid}/pay`, { card: APPROVE });
    await h.waitFor(created.payment.ruid, ['approved']);
    // A paid link is refunded, not voided.
    const voided = await h.api<{ error: { code: string } }>('POST', `/api/payments/${created.payment.ruid}/cancel`);
    expect([voided.status, voided.body.error.code]).toEqual([409, 'not_supported']);
  });

  it('speaks the phone\'s language, and asks myPOS for its page in it; the way back reloads until the outcome is known', async () => {
    const created = await checkout('9.30');
    const shown = await (await fetch(created.checkout.url, { headers: { 'accept-language': 'bg-BG,bg;q=0.9,en;q=0.8' } })).text();
    expect(shown).toContain('<html lang="bg">');
    expect(shown).toContain('Плащане с карта');
    const pressed = await (await fetch(created.checkout.url, { method: 'POST', headers: { 'accept-language': 'bg' } })).text();
    expect(pressed).toContain('name="IPCLanguage" value="bg"');
    const english = await (await fetch(created.checkout.url, { method: 'POST', headers: { 'accept-language': 'de-DE,de;q=0.9' } })).text();
    expect(english).toContain('name="IPCLanguage" value="en"');
    const back = await (await fetch(`${created.checkout.url}/done`)).text();
    expect(back).toContain('http-equiv="refresh"');
    expect(back).toContain('data-state="sent"');
  });

  it('refunds a paid link with IPCRefund', async () => {
    const created = await checkout('6.00');
    await openLink(created.checkout.url);
    await h.sim(`/checkouts/${created.payment.ruid}/pay`, { card: APPROVE });
    await h.waitFor(created.payment.ruid, ['approved']);
    const refund = await h.api<{ payment: Payment }>('POST', '/api/refunds', { ruid: newRuid(), originalRuid: created.payment.ruid, amount: '2.50' });
    expect(refund.status).toBe(202);
    expect((await h.waitFor(refund.body.payment.ruid, ['approved', 'declined', 'unknown'])).state).toBe('approved');
  });
});

describe('an expired link', () => {
  let short: EdgeHarness;
  beforeAll(async () => {
    short = await startEdgeHarness({ MYPOS_IPC_POLL_MS: '100', MYPOS_IPC_LINK_TTL_MS: '1000' });
  });
  afterAll(async () => {
    await short?.close();
  });

  it('fails when myPOS has no payment for it, and the page no longer takes the customer to myPOS', async () => {
    const answer = await short.api<Checkout>('POST', '/api/checkouts', { ruid: newRuid(), amount: '7.00' });
    const failed = await short.waitFor(answer.body.payment.ruid, ['failed'], 5_000);
    expect(failed.reason).toBe('checkout_expired');
    const page = await (await fetch(answer.body.checkout.url)).text();
    expect(page).not.toContain('<form');
    expect(page).toContain('data-state="failed"');
  });
});

describe('the customer back from myPOS\'s page', () => {
  let slow: EdgeHarness;
  beforeAll(async () => {
    // A poll a minute apart: only the way back can make the edge ask at once.
    slow = await startEdgeHarness({ MYPOS_IPC_POLL_MS: '60000' });
  });
  afterAll(async () => {
    await slow?.close();
  });

  it('makes the edge ask myPOS now: a cancel (which myPOS does not notify) is known within a moment, not at the next poll', async () => {
    const answer = await slow.api<Checkout>('POST', '/api/checkouts', { ruid: newRuid(), amount: '6.10' });
    const url = answer.body.checkout.url;
    const page = await (await fetch(url, { method: 'POST' })).text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1] ?? '';
    const fields = [...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((match) => [match[1] ?? '', (match[2] ?? '').replaceAll('&#38;', '&')]);
    await fetch(action.replaceAll('&#38;', '&'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    await slow.sim(`/checkouts/${answer.body.payment.ruid}/cancel`, {});
    expect((await slow.payment(answer.body.payment.ruid)).state).toBe('sent');
    const back = await (await fetch(`${url}/done`)).text();
    expect(back).toContain('http-equiv="refresh"');
    expect((await slow.waitFor(answer.body.payment.ruid, ['cancelled', 'declined'], 3_000)).state).not.toBe('approved');
    expect(await (await fetch(`${url}/done`)).text()).not.toContain('http-equiv="refresh"');
  });
});
