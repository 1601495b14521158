import type { BrowserContext, Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { VIEWPORTS } from '../helpers/browser.js';
import { useTillInChromium } from '../helpers/e2e.js';
import { pairContext } from '../helpers/paired-browser.js';
import { tillSales } from '../helpers/till-db.js';
import { saleScreen } from '../helpers/sale-screen.js';

// Offline-first in Chromium: the network goes away and comes back (context.setOffline), pages
// reload mid-sync, two tabs work offline. Nothing is lost, nothing arrives twice, and an expired
// card request never reaches myPOS.

let context: BrowserContext;

const env = useTillInChromium();

beforeEach(async () => {
  for (const tid of ['90000015', '90000016']) await env.h.sim(`/terminals/${tid}/mode`, { mode: 'auto' });
  context = await env.browser.newContext({ viewport: VIEWPORTS.tablet });
  await pairContext(context, env.h);
  return async () => {
    await context.close();
  };
});

/** A till page, loaded online, with its service worker in control, ready to go offline. */
async function till(): Promise<Page> {
  const page = await context.newPage();
  await page.goto(env.h.url);
  await page.evaluate(async () => navigator.serviceWorker.ready);
  await page.reload();
  await saleScreen(page);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  return page;
}

async function typeAmount(page: Page, digits: string): Promise<void> {
  // As on a keyboard with no field focused: Escape clears the keypad, then the digits (a tab in the
  // background is slow to click: its frames are not drawn).
  await page.keyboard.press('Escape');
  for (const digit of digits) await page.keyboard.press(digit);
}

async function cashSale(page: Page, digits: string): Promise<void> {
  await typeAmount(page, digits);
  await page.getByRole('button', { name: /^Cash / }).click();
  await page.getByText(/^Cash sale of .* recorded\.$/).waitFor();
}


async function ledgerIds(): Promise<string[]> {
  return (await env.h.api<{ sales: Array<{ id: string }> }>('GET', '/api/sales')).body.sales.map((sale) => sale.id);
}

const putRequests = (id: string) => env.h.logs.filter((line) => line.includes('"method":"PUT"') && line.includes(`/api/sales/${encodeURIComponent(id)}"`)).length;

describe('offline-first in Chromium', () => {
  it('a card sale made offline waits with a countdown, then goes through when the network is back', async () => {
    const page = await till();
    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('connection').textContent()).toBe('Offline');
    await typeAmount(page, '1500');
    await page.getByRole('button', { name: /^Charge / }).click();
    await page.waitForURL(/\/pay\//);
    await expect.poll(() => page.getByTestId('payment-status').textContent()).toBe('Waiting for the connection');
    expect(await page.getByTestId('countdown').textContent()).toMatch(/expires in 1[0-9]{2} s/);
    expect(await page.getByTestId('unsynced').textContent()).toBe('1 to sync');
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('payment-status').textContent(), { timeout: 10_000 }).toBe('Approved');
    const ruid = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await expect.poll(async () => (await ledgerIds()).includes(ruid), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.getByTestId('unsynced').count()).toBe(0);
  });

  it('an expired card request is never sent: the cashier is told to take the payment again', async () => {
    await context.addInitScript(() => localStorage.setItem('till.cardDeadlineMs', '1500'));
    const page = await till();
    await context.setOffline(true);
    await typeAmount(page, '1600');
    await page.getByRole('button', { name: /^Charge / }).click();
    await page.waitForURL(/\/pay\//);
    const ruid = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await expect.poll(() => page.getByTestId('payment-status').textContent(), { timeout: 10_000 }).toBe('Not sent');
    expect(await page.locator('.status').textContent()).toContain('take the payment again, or in cash');
    await context.setOffline(false);
    await page.waitForTimeout(1_000);
    expect((await env.h.api('GET', `/api/payments/${ruid}`)).status).toBe(404);
    const exchanges = (await env.h.sim<{ exchanges: Array<{ ruid: string }> }>('/state')).exchanges;
    expect(exchanges.some((exchange) => exchange.ruid === ruid)).toBe(false);
    expect((await tillSales(page)).find((sale) => sale.id === ruid)?.paymentState).toBe('expired');
  });

  it('two tabs ring up sales offline, reconnect: every sale arrives once', async () => {
    const first = await till();
    const second = await context.newPage();
    await second.goto(env.h.url);
    await saleScreen(second);
    await context.setOffline(true);
    for (let i = 1; i <= 4; i++) {
      await cashSale(first, `${i}01`);
      await cashSale(second, `${i}02`);
    }
    await expect.poll(() => first.getByTestId('unsynced').textContent()).toBe('8 to sync');
    await context.setOffline(false);
    await expect.poll(async () => (await tillSales(first)).filter((sale) => sale.sync === 'synced').length, { timeout: 15_000 }).toBe(8);
    const ids = (await tillSales(first)).map((sale) => sale.id);
    const ledger = await ledgerIds();
    for (const id of ids) {
      expect(ledger.filter((entry) => entry === id)).toHaveLength(1);
      // One tab sent each sale, once: the outbox lock kept the other one out.
      expect(putRequests(id)).toBe(1);
    }
    await expect.poll(() => second.getByTestId('unsynced').count()).toBe(0);
  });

  it('a card payment that ends while no page follows it still reaches the till and the ledger', async () => {
    await env.h.sim('/terminals/90000016/mode', { mode: 'manual' });
    const page = await till();
    await page.getByLabel('Terminal', { exact: true }).selectOption('90000016');
    await typeAmount(page, '1700');
    await page.getByRole('button', { name: /^Charge / }).click();
    await page.waitForURL(/\/pay\//);
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await expect.poll(() => page.getByTestId('payment-status').textContent()).toBe('Press O on the terminal');
    await page.close();
    // The customer pays while the till is closed.
    await env.h.sim('/terminals/90000016/press-o', {});
    await env.h.sim('/terminals/90000016/card', { outcome: 'approve' });
    await expect.poll(async () => (await env.h.payment(id)).state, { timeout: 10_000 }).toBe('approved');
    const again = await till();
    await expect.poll(async () => (await tillSales(again)).find((sale) => sale.id === id), { timeout: 15_000 }).toMatchObject({ paymentState: 'approved', sync: 'synced' });
    expect((await ledgerIds()).filter((entry) => entry === id)).toHaveLength(1);
  });

  it('a reload in the middle of syncing loses nothing and duplicates nothing', async () => {
    const page = await till();
    await context.setOffline(true);
    for (let i = 1; i <= 30; i++) await cashSale(page, `${i}`);
    await context.setOffline(false);
    await page.reload();
    await saleScreen(page);
    await expect.poll(async () => (await tillSales(page)).filter((sale) => sale.sync === 'synced').length, { timeout: 20_000 }).toBe(30);
    const ledger = await ledgerIds();
    for (const sale of await tillSales(page)) expect(ledger.filter((entry) => entry === sale.id)).toHaveLength(1);
  });

  it('200 cash sales made offline all arrive after reconnecting, with a progress bar', async () => {
    const page = await till();
    await context.setOffline(true);
    for (let i = 1; i <= 200; i++) await cashSale(page, String(100 + i));
    expect(await page.getByTestId('unsynced').textContent()).toBe('200 to sync');
    await page.getByRole('link', { name: 'History' }).click();
    await expect.poll(() => page.getByTestId('history').locator('li[data-sync="pending"]').count()).toBe(200);
    await context.setOffline(false);
    await expect.poll(() => page.locator('progress').count(), { timeout: 5_000 }).toBe(1);
    await expect.poll(async () => (await tillSales(page)).filter((sale) => sale.sync === 'synced').length, { timeout: 60_000 }).toBe(200);
    const ledger = new Set(await ledgerIds());
    const sales = await tillSales(page);
    expect(sales.filter((sale) => ledger.has(sale.id))).toHaveLength(200);
    await expect.poll(() => page.getByTestId('history').locator('li[data-sync="synced"]').count()).toBe(200);
  }, 120_000);
});
