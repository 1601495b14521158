import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIEWPORTS } from '../helpers/browser.js';
import { useTillInChromium } from '../helpers/e2e.js';
import { pairContext } from '../helpers/paired-browser.js';
import { chargeAnyway, saleScreen, showProducts, typeOnKeypad } from '../helpers/sale-screen.js';

// What a first-time cashier tripped over: a stray Enter on a product tile, a terminal of another
// currency that stayed selected for the next sale, and cash offered for an amount in leva.

const env = useTillInChromium({ SIM_TERMINALS: '90000015:EUR,90000016:EUR,90000018:BGN' });
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  await env.h.api('PUT', '/api/products/P-WATER', { name: 'Water', price: '1.80', vatRate: '20', category: 'Drinks' });
  // The BGN terminal is in cash-register mode at the simulator: connecting it makes it usable.
  await env.h.api('POST', '/api/terminals', { tid: '90000018', currency: 'BGN' });
  context = await env.browser.newContext({ viewport: VIEWPORTS.tablet });
  await pairContext(context, env.h);
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
}, 60_000);

afterAll(async () => {
  await context.close();
});

describe('the sale screen guards', () => {
  it('adds nothing when Enter is pressed on a focused product tile', async () => {
    await page.goto(env.h.url);
    await saleScreen(page);
    await showProducts(page);
    const tile = page.getByTestId('quick-keys').getByRole('button', { name: /Water/ });
    await tile.click();
    await expect.poll(() => page.getByTestId('cart-total').textContent()).toBe('€1.80');
    await tile.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(200);
    expect(await page.getByTestId('cart-total').textContent()).toBe('€1.80');
    expect(page.url()).not.toMatch(/\/pay\//);
  });

  it('charges a typed amount on the BGN terminal in leva by card only, then starts the next sale on a EUR terminal', async () => {
    // A new cart: the one of the test before is kept on the device (it survives reloads).
    await page.evaluate(() => localStorage.removeItem('till.cart'));
    await page.goto(env.h.url);
    await saleScreen(page);
    await page.getByLabel('Terminal', { exact: true }).selectOption('90000018');
    await typeOnKeypad(page, '2000');
    await expect.poll(() => page.getByTestId('cart-total').textContent()).toMatch(/^BGN\s20\.00$/);
    // Cash is taken in the shop's currency: no cash field, no cash button for leva.
    expect(await page.locator('#cash-received').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Cash / }).isDisabled()).toBe(true);
    await chargeAnyway(page, /^Charge BGN\s20\.00$/);
    await expect.poll(() => page.getByTestId('payment-status').textContent(), { timeout: 15_000 }).toBe('Approved');
    const ruid = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    expect(await env.h.payment(ruid)).toMatchObject({ currency: 'BGN', amountCents: 2000, tid: '90000018' });
    await page.getByRole('button', { name: 'No receipt' }).click();
    await saleScreen(page);
    expect(await page.getByLabel('Terminal', { exact: true }).inputValue()).not.toBe('90000018');
  });
});
