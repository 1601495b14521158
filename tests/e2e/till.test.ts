import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { VIEWPORTS } from '../helpers/browser.js';
import { ROOT, useTillInChromium } from '../helpers/e2e.js';
import { pairContext } from '../helpers/paired-browser.js';
import { saleScreen, typeOnKeypad } from '../helpers/sale-screen.js';

// The till in Debian's Chromium against the edge and the simulator, as `npm start` runs them.

const SHOTS = resolve(ROOT, 'test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
let context: BrowserContext;
let page: Page;

// The edge checks a terminal waiting for its code every 250 ms here (5 s by default).
// The PIN window is long enough for a page reload during the PIN: this file tests the reload, not the window.
const env = useTillInChromium({ TERMINAL_CODE_POLL_MS: '250', PAYMENT_PIN_WINDOW_MS: '10000' });

beforeEach(async () => {
  for (const tid of ['90000015', '90000016']) await env.h.sim(`/terminals/${tid}/mode`, { mode: 'auto' });
  context = await env.browser.newContext({ viewport: VIEWPORTS.tablet });
  await pairContext(context, env.h);
  page = await context.newPage();
  return async () => {
    await context.close();
  };
});

async function ringUp(tid: string, digits: string, reference?: string): Promise<string> {
  await page.goto(env.h.url);
  await page.getByLabel('Terminal', { exact: true }).selectOption(tid);
  await typeOnKeypad(page, digits);
  if (reference) {
    // The reference folds under More.
    await page.getByRole('button', { name: 'More', exact: true }).click();
    await page.getByLabel('Reference (optional)').fill(reference);
  }
  await page.getByRole('button', { name: /^Charge / }).click();
  await page.waitForURL(/\/pay\//);
  return decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
}

const status = () => page.getByTestId('payment-status');

describe('the till in Chromium', () => {
  it('approves a sale end to end, driven through the simulator control API', async () => {
    await env.h.sim('/terminals/90000016/mode', { mode: 'manual' });
    await page.goto(env.h.url);
    await typeOnKeypad(page, '1');
    await expect.poll(() => page.getByTestId('amount').textContent()).toBe('€0.01');
    const ruid = await ringUp('90000016', '1200', 'INV-7');
    await expect.poll(() => status().textContent()).toBe('Press O on the terminal');
    await page.screenshot({ path: `${SHOTS}/payment-sent-tablet.png` });
    await page.setViewportSize(VIEWPORTS.phone);
    await page.screenshot({ path: `${SHOTS}/payment-sent-phone.png` });
    await page.setViewportSize(VIEWPORTS.tablet);
    await env.h.sim('/terminals/90000016/press-o', {});
    await env.h.sim('/terminals/90000016/card', { outcome: 'approve' });
    await expect.poll(() => status().textContent(), { timeout: 5_000 }).toBe('Approved');
    await expect.poll(() => page.locator('[data-field="auth_code"]').textContent()).toMatch(/^[0-9]{6}$/);
    expect(await page.locator('.status').textContent()).toContain('€12.00');
    expect((await env.h.payment(ruid)).state).toBe('approved');
    await page.screenshot({ path: `${SHOTS}/payment-approved-tablet.png` });

    // The receipt: printable on its own for 80 mm paper, and saved as text from the receipt choice.
    const authCode = await page.locator('[data-field="auth_code"]').textContent();
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header').evaluate((el) => getComputedStyle(el.querySelector('a') ?? el).visibility)).toBe('hidden');
    expect(await page.getByTestId('receipt').evaluate((el) => Math.round(el.getBoundingClientRect().width / (96 / 25.4)))).toBe(80);
    await page.getByTestId('receipt').screenshot({ path: `${SHOTS}/receipt-print-80mm.png` });
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize(VIEWPORTS.phone);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/payment-approved-phone.png`, fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save receipt' }).click()]);
    const { readFileSync } = await import('node:fs');
    const text = readFileSync((await download.path()) ?? '', 'utf8');
    expect(text).toContain(`Auth code: ${authCode}`);
    expect(text).toContain('TID: 90000016');
    expect(text).toContain('Demo Shop');
    expect(text.trim().endsWith('APPROVED')).toBe(true);
    // Then the next sale starts by itself.
    await page.waitForURL(`${env.h.url}/`);
    await saleScreen(page);
  });

  it('shows a decline with the cashier message', async () => {
    await ringUp('90000015', '1051');
    await expect.poll(() => status().textContent(), { timeout: 5_000 }).toBe('Declined');
    expect(await page.locator('.status').textContent()).toContain('not enough funds');
  });

  it('goes through the PIN, survives a reload during the PIN, and finishes approved', async () => {
    await env.h.sim('/terminals/90000016/mode', { mode: 'manual' });
    const ruid = await ringUp('90000016', '2500');
    await expect.poll(() => status().textContent()).toBe('Press O on the terminal');
    await env.h.sim('/terminals/90000016/press-o', {});
    await env.h.sim('/terminals/90000016/card', { outcome: 'pin' });
    await expect.poll(() => status().textContent(), { timeout: 5_000 }).toBe('Customer is entering PIN');
    await page.reload();
    expect(page.url()).toContain(`/pay/${encodeURIComponent(ruid)}`);
    await expect.poll(() => status().textContent(), { timeout: 5_000 }).toBe('Customer is entering PIN');
    await env.h.sim('/terminals/90000016/pin', { correct: true });
    await expect.poll(() => status().textContent(), { timeout: 5_000 }).toBe('Approved');
  });

  it('two tabs on one payment share one event stream and both see it finish', async () => {
    await env.h.sim('/terminals/90000016/mode', { mode: 'manual' });
    const ruid = await ringUp('90000016', '700');
    await expect.poll(() => status().textContent()).toBe('Press O on the terminal');
    const other = await context.newPage();
    await other.goto(page.url());
    await expect.poll(() => other.getByTestId('payment-status').textContent()).toBe('Press O on the terminal');
    await env.h.sim('/terminals/90000016/press-o', {});
    await env.h.sim('/terminals/90000016/card', { outcome: 'approve' });
    await expect.poll(() => status().textContent(), { timeout: 5_000 }).toBe('Approved');
    await expect.poll(() => other.getByTestId('payment-status').textContent(), { timeout: 5_000 }).toBe('Approved');
    await page.waitForTimeout(300);
    const streams = env.h.logs.filter((line) => line.includes('"method":"GET"') && line.includes(`/api/payments/${encodeURIComponent(ruid)}/events`));
    expect(streams).toHaveLength(1);
  });

  it('cancels a payment waiting on the terminal', async () => {
    await env.h.sim('/terminals/90000016/mode', { mode: 'manual' });
    const ruid = await ringUp('90000016', '300');
    await expect.poll(() => status().textContent()).toBe('Press O on the terminal');
    await page.getByRole('button', { name: 'Cancel payment' }).click();
    await expect.poll(() => status().textContent()).toBe('Cancelled');
    expect((await env.h.payment(ruid)).state).toBe('cancelled');
  });

  it('registers the service worker and opens the app shell with the network off', async () => {
    await page.goto(env.h.url);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await context.setOffline(true);
    // The page sees the network go: the indicator says so. (It is read before the reload: Chromium
    // 150 under playwright-core reports navigator.onLine true in a document loaded while emulated
    // offline, which a real device does not.)
    await expect.poll(() => page.locator('.connection').textContent()).toBe('Offline');
    await page.reload();
    await expect.poll(() => page.getByTestId('sale').isVisible()).toBe(true);
    // A deep link to a payment also gets the shell, from the cache.
    await page.goto(`${env.h.url}/pay/SOME-RUID`);
    expect(await page.title()).toBe('myPOS till');
    await context.setOffline(false);
  });

  it('the navigation fallback never answers /api', async () => {
    await page.goto(env.h.url);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    const response = await page.goto(`${env.h.url}/api/nothing-here`);
    expect(response?.status()).toBe(404);
    expect(response?.headers()['content-type']).toContain('application/json');
  });

  it('sets up a terminal: the code to type on the device, big; ready by itself once the code is typed', async () => {
    await page.goto(`${env.h.url}/terminals`);
    // The shop's currency by default; another one is said to take typed amounts only.
    await expect.poll(() => page.getByLabel('Currency').inputValue()).toBe('EUR');
    expect(await page.getByTestId('currency-note').count()).toBe(0);
    await page.getByLabel('Terminal ID (8 letters or digits)').fill('90000017');
    await page.getByLabel('Currency').fill('BGN');
    expect(await page.getByTestId('currency-note').textContent()).toBe("This terminal works in BGN; the catalogue's prices are in EUR, so it can only take typed amounts.");
    await page.getByRole('button', { name: 'Connect terminal' }).click();
    const code = await page.getByTestId('subscription-code').textContent();
    expect(code).toMatch(/^[0-9]{8}$/);
    const row = page.locator('li[data-tid="90000017"]');
    expect(await row.textContent()).toContain('Waiting for the code');
    const state = await env.h.sim<{ terminals: Array<{ tid: string; code?: string }> }>('/state');
    expect(state.terminals.find((t) => t.tid === '90000017')?.code).toBe(code);
    expect(await page.getByTestId('system').textContent()).toMatch(/Demo mode.*myPOS certificate: 36[45] days left/);
    await page.screenshot({ path: `${SHOTS}/terminals-tablet.png` });
    await page.setViewportSize(VIEWPORTS.phone);
    await page.screenshot({ path: `${SHOTS}/terminals-phone.png`, fullPage: true });
    await page.setViewportSize(VIEWPORTS.tablet);

    // The code typed on the device: the screen turns ready by itself, no reload, no payment.
    expect(await env.h.sim('/terminals/90000017/code', { code })).toMatchObject({ ok: true });
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 10_000 }).toBe('active');
    expect(await row.textContent()).toContain('Ready');
    expect(await page.getByTestId('terminal-ready').isVisible()).toBe(true);
    expect(await page.getByRole('status').filter({ hasText: 'Terminal 90000017 is ready' }).count()).toBe(1);
    expect(await page.getByTestId('subscription-code').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/terminals-ready-tablet.png` });
  });

  it('an admin manages the catalogue; the till keeps it for offline use', async () => {
    await page.goto(`${env.h.url}/`);
    await saleScreen(page);
    await page.getByRole('link', { name: 'Catalogue' }).click();
    await page.getByLabel('Name').fill('Espresso');
    await page.getByLabel('Price (VAT included)').fill('2.2x');
    await page.getByRole('button', { name: 'Save product' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('The price is an amount like 3.50.');
    // A decimal comma is fine in the form (it is refused only in a CSV file, where it splits fields).
    await page.getByLabel('Price (VAT included)').fill('2,20');
    await page.getByLabel('Category').fill('Drinks');
    await page.getByLabel('Barcode (optional)').fill('4006381333931');
    await page.getByRole('button', { name: 'Save product' }).click();
    await expect.poll(() => page.getByTestId('products').textContent()).toContain('Espresso');
    expect(await page.getByTestId('products').textContent()).toContain('€2.20');
    const { body } = await env.h.api<{ products: Array<{ name: string; priceCents: number; barcode?: string }> }>('GET', '/api/products');
    expect(body.products.find((p) => p.name === 'Espresso')).toMatchObject({ priceCents: 220, barcode: '4006381333931' });
    await page.evaluate(async () => navigator.serviceWorker.ready);
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await context.setOffline(true);
    await page.reload();
    await expect.poll(() => page.getByTestId('products').textContent()).toContain('Espresso');
    await context.setOffline(false);
  });

  it('switches to Bulgarian in Settings: texts and amounts follow, and the choice stays', async () => {
    await page.goto(`${env.h.url}/settings`);
    await page.getByLabel('Language').selectOption('bg');
    await page.getByRole('link', { name: 'Продажба' }).click();
    await typeOnKeypad(page, '5');
    await expect.poll(() => page.getByTestId('amount').textContent()).toMatch(/^0,05\s€$/);
    expect(await page.getByRole('button', { name: /^Плащане с карта/ }).count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('bg');
    await page.reload();
    // The keypad tab is kept on the device, as the cashier left it.
    await page.getByRole('group', { name: 'Клавиатура за сума' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/sale-bg-tablet.png` });
  });

  it.each(Object.entries(VIEWPORTS))('fits the %s screen without sideways scrolling, every control named', async (name, viewport) => {
    await page.setViewportSize(viewport);
    await page.goto(env.h.url);
    await saleScreen(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    const unnamed = await page.evaluate(() =>
      [...document.querySelectorAll('button, input, select, a')].filter((element) => {
        const labelled = element.getAttribute('aria-label') || (element as HTMLInputElement).labels?.[0]?.textContent || element.textContent;
        return !labelled?.trim();
      }).length,
    );
    expect(unnamed).toBe(0);
    const small = await page.evaluate(() => [...document.querySelectorAll('button')].filter((b) => b.getBoundingClientRect().height < 44).length);
    expect(small).toBe(0);
    await page.screenshot({ path: `${SHOTS}/sale-${name}.png`, fullPage: true });
  });
});
