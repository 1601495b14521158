import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Payment } from '../../shared/payments.js';
import { VIEWPORTS } from '../helpers/browser.js';
import { ROOT, useTillInChromium } from '../helpers/e2e.js';
import { pairContext } from '../helpers/paired-browser.js';
import { typeOnKeypad } from '../helpers/sale-screen.js';

// A terminal busy with another payment is the cashier's decision: the second sale is stopped at
// once (never queued, never sent by itself when the first ends) and the till offers the way out.

const SHOTS = resolve(ROOT, 'test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
const BUSY = '90000016';
const FREE = '90000015';

const env = useTillInChromium();
let context: BrowserContext | undefined;
afterEach(async () => {
  await context?.close();
  for (const tid of [FREE, BUSY]) await env.h.sim(`/terminals/${tid}/mode`, { mode: 'auto' });
});

async function ringUp(page: Page, tid: string, digits: string): Promise<string> {
  await page.getByLabel('Terminal', { exact: true }).selectOption(tid);
  await typeOnKeypad(page, digits);
  await page.getByRole('button', { name: /^Charge / }).click();
  await page.waitForURL(/\/pay\//);
  return decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
}

describe('a card sale on a busy terminal', () => {
  it('stops at once with the busy panel: go to that payment, or choose another terminal with the cart back', async () => {
    await env.h.sim(`/terminals/${BUSY}/mode`, { mode: 'manual' });
    context = await env.browser.newContext({ viewport: VIEWPORTS.tablet });
    await pairContext(context, env.h);
    // Every headline the payment screen shows, in order, to prove "Waiting for the connection" never appears.
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { seenStatuses: string[] }).seenStatuses = seen;
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="payment-status"]')?.textContent?.trim();
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });

    // Sale A waits on the terminal for the cardholder.
    const first = await context.newPage();
    await first.goto(env.h.url);
    const a = await ringUp(first, BUSY, '1200');
    await expect.poll(() => first.getByTestId('payment-status').textContent()).toBe('Press O on the terminal');
    const inFlight = await env.h.payment(a);

    // A second tab of the till rings up sale B on the same terminal.
    const page = await context.newPage();
    await page.goto(env.h.url);
    const b = await ringUp(page, BUSY, '850');
    const started = await page.evaluate((iso) => new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }), inFlight.createdAt);
    const headline = `Terminal busy with another sale (€12.00, started ${started})`;
    await expect.poll(() => page.getByTestId('payment-status').textContent()).toBe(headline);
    expect(await page.locator('.status').getAttribute('data-state')).toBe('busy');
    const goThere = page.getByRole('button', { name: 'Go to that payment' });
    const another = page.getByRole('button', { name: 'Choose another terminal' });
    expect(await goThere.isVisible()).toBe(true);
    expect(await another.isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Cancel payment' }).count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/payment-busy-tablet.png` });
    await page.setViewportSize(VIEWPORTS.phone);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/payment-busy-phone.png` });
    await page.setViewportSize(VIEWPORTS.tablet);
    // On its way, then stopped: never "waiting for the connection" (it would send by itself later).
    const seen = await page.evaluate(() => (window as unknown as { seenStatuses: string[] }).seenStatuses);
    expect(seen.filter((text) => text !== 'Sending to the terminal…')).toEqual([headline]);
    expect((await env.h.api('GET', `/api/payments/${b}`)).status).toBe(404);

    // "Go to that payment" opens A, live.
    await goThere.click();
    await page.waitForURL(`**/pay/${encodeURIComponent(a)}`);
    await expect.poll(() => page.getByTestId('payment-status').textContent()).toBe('Press O on the terminal');

    // Back to B (as after a reload): still stopped, still offering the choice.
    await page.goBack();
    await page.reload();
    await expect.poll(() => page.getByTestId('payment-status').textContent()).toBe(headline);

    // "Choose another terminal" (A still on the terminal, which the selector says): the sale screen
    // with B's cart, charged again on another terminal under a new RUID.
    await another.click();
    await page.waitForURL((url) => url.pathname === '/');
    await expect.poll(() => page.getByTestId('cart-total').textContent()).toBe('€8.50');
    expect(await page.getByTestId('line-total').allTextContents()).toEqual(['€8.50']);
    await expect.poll(() => page.locator(`#terminal option[value="${BUSY}"]`).textContent()).toContain('Payment in progress');
    await page.screenshot({ path: `${SHOTS}/payment-busy-back-to-cart-tablet.png` });
    await page.getByLabel('Terminal', { exact: true }).selectOption(FREE);
    await page.getByRole('button', { name: 'Charge €8.50' }).click();
    await page.waitForURL(/\/pay\//);
    const again = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    expect(again).not.toBe(b);
    await expect.poll(() => page.getByTestId('payment-status').textContent(), { timeout: 5_000 }).toBe('Approved');
    const paid = (await env.h.api<{ payment: Payment }>('GET', `/api/payments/${again}`)).body.payment;
    expect(paid).toMatchObject({ tid: FREE, amount: '8.50', state: 'approved' });

    // A ends on the terminal; B is still never sent, whatever the tabs do (a reload, B's screen open again).
    await env.h.sim(`/terminals/${BUSY}/press-o`, {});
    await env.h.sim(`/terminals/${BUSY}/card`, { outcome: 'approve' });
    await expect.poll(() => first.getByTestId('payment-status').textContent(), { timeout: 5_000 }).toBe('Approved');
    await first.reload();
    await page.goto(`${env.h.url}/pay/${encodeURIComponent(b)}`);
    await expect.poll(() => page.getByTestId('payment-status').textContent()).toBe(headline);
    await page.waitForTimeout(1_500);
    expect((await env.h.api('GET', `/api/payments/${b}`)).status).toBe(404);
    expect(await page.getByTestId('payment-status').textContent()).toBe(headline);
  });
});
