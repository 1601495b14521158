import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRuid } from '../../shared/ruid.js';
import { screenshotBothSizes, VIEWPORTS } from '../helpers/browser.js';
import { ROOT, useTillInChromium } from '../helpers/e2e.js';
import { cashSale as cashSaleBody } from '../helpers/sale-bodies.js';
import { tillSales } from '../helpers/till-db.js';
import { saleScreen } from '../helpers/sale-screen.js';

// Every sale shows what happened to it, on a till device (not an admin) with give-back limits:
// History's status, items and receipt number; the sale view's refund buttons, its limit and why a
// void is not offered; a refund's own screen and REFUND receipt; an offline sale's local number.

const SHOTS = resolve(ROOT, 'test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
// A till may give back 5.00 of a sale and 10.00 a day.
const env = useTillInChromium({ EDGE_REFUND_LIMIT: '5.00', EDGE_DEVICE_REFUND_DAY_LIMIT: '10.00' });
let context: BrowserContext;
let page: Page;
let deviceToken = '';

beforeAll(async () => {
  await env.h.api('PUT', '/api/products/P-ESPRESSO', { name: 'Espresso', price: '2.40', vatRate: '20', category: 'Drinks' });
  await env.h.api('PUT', '/api/products/P-CROISSANT', { name: 'Croissant', price: '1.80', vatRate: '20', category: 'Bakery' });
  await env.h.api('PUT', '/api/products/P-WATER', { name: 'Mineral water', price: '1.00', vatRate: '20', category: 'Drinks' });
  await env.h.sim('/terminals/90000015/mode', { mode: 'auto' });
  context = await env.browser.newContext({ viewport: VIEWPORTS.tablet });
  const { token } = await env.h.pairDevice({ role: 'till', name: 'Front till' });
  deviceToken = token;
  await context.addCookies([{ name: 'till_device', value: token, url: env.h.url, httpOnly: true, sameSite: 'Strict' }]);
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('dialog', (dialog) => void dialog.accept());
}, 60_000);

afterAll(async () => {
  await context.close();
});

const idInUrl = () => decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
const receiptNo = async (id: string) => (await env.h.api<{ sale: { receiptNo: number } }>('GET', `/api/sales/${encodeURIComponent(id)}`)).body.sale.receiptNo;

async function ringUp(products: readonly string[]): Promise<void> {
  await page.goto(env.h.url);
  const keys = page.getByTestId('quick-keys');
  for (const product of products) await keys.getByRole('button', { name: new RegExp(product) }).click();
}

async function cardSale(products: readonly string[], total: string): Promise<string> {
  await ringUp(products);
  await page.getByLabel('Terminal', { exact: true }).selectOption('90000015');
  await page.getByRole('button', { name: `Charge €${total}` }).click();
  await page.waitForURL(/\/pay\//);
  await expect.poll(() => page.getByTestId('payment-status').textContent(), { timeout: 10_000 }).toBe('Approved');
  return idInUrl();
}

async function cashSale(products: readonly string[], total: string): Promise<string> {
  await ringUp(products);
  await page.getByRole('button', { name: `Cash €${total}` }).click();
  await page.getByText(/^Cash sale of .* recorded\.$/).waitFor();
  return newestSale();
}

/** The sale stored last on the till: the one with the highest local number. */
async function newestSale(): Promise<string> {
  const sales = (await tillSales(page)) as Array<{ id: string; localNo?: number }>;
  return [...sales].sort((a, b) => (a.localNo ?? 0) - (b.localNo ?? 0)).at(-1)?.id ?? '';
}

/** The sale view once the till's own record is synced (the outbox has had the edge's answer). */
async function openSale(id: string): Promise<void> {
  await expect.poll(async () => (await tillSales(page)).find((sale) => sale.id === id)?.sync, { timeout: 10_000 }).toBe('synced');
  await page.goto(`${env.h.url}/sales/${encodeURIComponent(id)}`);
  await page.getByTestId('sale-status').filter({ hasText: /Paid|refunded|Voided/ }).waitFor();
}

const row = (id: string) => page.getByTestId('history').locator('li').filter({ has: page.getByRole('button', { name: new RegExp(`Open .*${id}`) }) });

const shoot = (name: string) => screenshotBothSizes(page, `${SHOTS}/${name}`);

/** Nothing on the page is wider than the screen (a long word or a row that does not wrap). */
async function expectNoOverflow(): Promise<void> {
  const widest = await page.evaluate(() =>
    Math.max(...[...document.querySelectorAll('main *')].filter((element) => !element.closest('.visually-hidden')).map((element) => element.getBoundingClientRect().right)),
  );
  expect(widest).toBeLessThanOrEqual((page.viewportSize()?.width ?? 0) + 1);
}

describe('every sale shows what happened to it', () => {
  it('a partial card refund, a void and a full cash refund, each shown in History with its receipt number', async () => {
    // 1. A card sale of 5.20, more than this till may give back of one sale (5.00).
    const first = await cardSale(['Espresso', 'Croissant', 'Mineral water'], '5.20');
    await openSale(first);
    const firstNo = await receiptNo(first);
    expect(await page.getByTestId('sale-number').textContent()).toBe(`No. ${firstNo}`);
    expect(await page.getByTestId('sale-status').textContent()).toContain('Paid');
    expect(await page.getByTestId('refundable').textContent()).toBe('Left to refund: €0.00 cash, €5.20 card.');
    expect(await page.getByTestId('limit-left').textContent()).toContain('This till may give back €5.00 more');
    // A void would give back 5.20: over the limit, so none is offered, and the till says why.
    expect(await page.getByRole('button', { name: 'Void payment' }).count()).toBe(0);
    expect(await page.getByTestId('void-refusal').textContent()).toContain('an admin must do it');
    expect(await page.getByRole('button', { name: /in cash$/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Refund up to €5.00 to the card' }).click();
    await page.getByLabel('Amount to refund to the card').fill('5.10');
    expect(await page.locator('#refund-over').textContent()).toBe('An admin must do this: this till may give back €5.00 more');
    expect(await page.getByRole('button', { name: 'Refund €5.10 to the card' }).isDisabled()).toBe(true);
    await shoot('sale-view-limit');
    await page.getByLabel('Amount to refund to the card').fill('2.00');
    await page.getByRole('button', { name: 'Refund €2.00 to the card' }).click();

    // The refund's own screen: titled Refund, never APPROVED, no void; its receipt reads REFUND.
    await page.waitForURL(/\/pay\//);
    const refundRuid = idInUrl();
    await expect.poll(() => page.getByTestId('payment-status').textContent(), { timeout: 10_000 }).toBe('Refund approved');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Refund');
    await expect.poll(() => page.getByTestId('payment-kind').textContent()).toBe(`Refund of sale No. ${firstNo}`);
    expect(await page.getByRole('button', { name: 'Void payment' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Cancel payment' }).count()).toBe(0);
    const refundReceipt = page.getByTestId('refund-receipt');
    await expect.poll(() => refundReceipt.locator('[data-field="auth_code"]').count()).toBe(1);
    expect(await refundReceipt.getByTestId('receipt-title').textContent()).toBe('REFUND');
    await expect.poll(() => refundReceipt.locator('[data-field="original"]').textContent()).toBe(`No. ${firstNo}`);
    expect(await refundReceipt.locator('[data-field="refunded"]').textContent()).toBe('€2.00');
    expect(await refundReceipt.textContent()).not.toContain('APPROVED');
    expect(await page.locator('main').textContent()).not.toContain('APPROVED');
    expect(await env.h.payment(refundRuid)).toMatchObject({ kind: 'refund', originalRuid: first, amountCents: 200, state: 'approved' });
    await shoot('refund-approved');
    await refundReceipt.screenshot({ path: `${SHOTS}/receipt-refund-card.png` });

    // Back on the sale: partly refunded; a void is no longer possible, and the till says why.
    await page.getByRole('button', { name: 'Back to the sale' }).click();
    await expect.poll(() => page.getByTestId('sale-status').textContent()).toContain('Partly refunded');
    await expect.poll(() => page.getByTestId('refundable').textContent()).toBe('Left to refund: €0.00 cash, €3.20 card.');
    expect(await page.getByTestId('void-refusal').textContent()).toBe('Part of this sale has been given back, so it can no longer be voided; refund what is left instead.');

    // 2. A card sale voided: the terminal's last payment, within the limits.
    const second = await cardSale(['Espresso'], '2.40');
    await openSale(second);
    await page.getByRole('button', { name: 'Void payment' }).click();
    await expect.poll(() => page.getByTestId('sale-status').textContent()).toContain('Voided');
    expect(await page.getByRole('button', { name: 'Void payment' }).count()).toBe(0);
    expect(await page.getByTestId('refundable').textContent()).toBe('The card payment was voided: nothing is left to give back.');

    // 3. A cash sale given back in full, with its REFUND receipt.
    const third = await cashSale(['Croissant'], '1.80');
    await openSale(third);
    const thirdNo = await receiptNo(third);
    expect(await page.getByTestId('void-refusal').textContent()).toBe('There is no card payment to void: this sale was paid in cash.');
    await page.getByRole('button', { name: 'Refund up to €1.80 in cash' }).click();
    // Never pre-filled: the cashier types what is given back.
    expect(await page.getByLabel('Amount to give back in cash').inputValue()).toBe('');
    await page.getByLabel('Amount to give back in cash').fill('1.80');
    await page.getByRole('button', { name: 'Refund €1.80 in cash' }).click();
    await expect.poll(() => page.getByTestId('sale-status').textContent()).toContain('Refunded');
    const cashReceipt = page.getByTestId('refund-receipt');
    expect(await cashReceipt.getByTestId('receipt-title').textContent()).toBe('REFUND');
    expect(await cashReceipt.locator('[data-field="original"]').textContent()).toBe(`No. ${thirdNo}`);
    expect(await cashReceipt.locator('[data-field="refunded"]').textContent()).toBe('€1.80');
    expect(await cashReceipt.textContent()).toContain('Given back in cash');
    await shoot('sale-view-cash-refunded');
    // Printing prints the refund receipt alone.
    await page.evaluate(() => {
      window.print = () => undefined;
    });
    await cashReceipt.getByRole('button', { name: 'Print' }).click();
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('receipt').isVisible()).toBe(false);
    expect(await cashReceipt.isVisible()).toBe(true);
    await cashReceipt.screenshot({ path: `${SHOTS}/receipt-refund-cash-print.png` });
    await page.emulateMedia({ media: 'screen' });

    // History: what happened to each, the items in short and the receipt number.
    await page.getByRole('link', { name: 'History' }).click();
    await expect.poll(() => row(first).getByTestId('sale-state').textContent()).toBe('Partly refunded');
    expect(await row(first).getByTestId('sale-number').textContent()).toBe(`No. ${firstNo}`);
    expect(await row(first).getByTestId('sale-items').textContent()).toBe('Espresso, Croissant +1');
    await expect.poll(() => row(second).getByTestId('sale-state').textContent()).toBe('Voided');
    await expect.poll(() => row(third).getByTestId('sale-state').textContent()).toBe('Refunded');
    expect(await row(third).getByTestId('sale-number').textContent()).toBe(`No. ${thirdNo}`);
    await shoot('history-statuses');
    await page.setViewportSize(VIEWPORTS.phone);
    await expectNoOverflow();
    await page.setViewportSize(VIEWPORTS.tablet);
  });

  it('an admin must give back more than the till may: the edge says how much is left', async () => {
    const sale = await cashSale(['Mineral water', 'Mineral water', 'Mineral water'], '3.00');
    await openSale(sale);
    // Today so far: 2.00 + 2.40 + 1.80 given back, 3.80 left; the screen shows it.
    expect(await page.getByRole('button', { name: 'Refund up to €3.00 in cash' }).count()).toBe(1);
    // Meanwhile the same till gives back 3.00 of another sale (booked by the API): 0.80 left today.
    const other = newRuid();
    const headers = { authorization: `Bearer ${deviceToken}` };
    expect((await env.h.api('PUT', `/api/sales/${other}`, cashSaleBody('3.00'), headers)).status).toBe(201);
    expect((await env.h.api('POST', `/api/sales/${other}/cash-refunds`, { id: newRuid(), amount: '3.00' }, headers)).status).toBe(201);
    await page.getByRole('button', { name: 'Refund up to €3.00 in cash' }).click();
    await page.getByLabel('Amount to give back in cash').fill('3.00');
    await page.getByRole('button', { name: 'Refund €3.00 in cash' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'admin' }).textContent()).toBe('An admin must do this: this till may give back €0.80 more');
    expect(await page.getByTestId('sale-status').textContent()).toContain('Paid');
  });

  it('an offline sale has a local number until it is synced, then the receipt number', async () => {
    await page.goto(env.h.url);
    await saleScreen(page);
    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('connection').textContent()).toBe('Offline');
    const sale = await cashSaleOffline();
    await page.getByRole('link', { name: 'History' }).click();
    const local = (await tillSales(page)).find((item) => item.id === sale) as { localNo?: number } | undefined;
    expect(local?.localNo).toBeGreaterThan(4);
    expect(await row(sale).getByTestId('sale-number').textContent()).toBe(`L-${local?.localNo}`);
    expect(await row(sale).getByTestId('sale-state').textContent()).toBe('Waiting to sync');
    expect(await row(sale).getByTestId('sale-items').textContent()).toBe('Espresso');
    await shoot('history-offline');
    await context.setOffline(false);
    await expect.poll(async () => (await tillSales(page)).find((item) => item.id === sale)?.sync, { timeout: 15_000 }).toBe('synced');
    await page.reload();
    await expect.poll(() => row(sale).getByTestId('sale-number').textContent()).toBe(`No. ${await receiptNo(sale)}`);
    await expect.poll(() => row(sale).getByTestId('sale-state').textContent()).toBe('Paid');
  });

  it('in Bulgarian: History and the sale view, with no English words left and nothing overflowing', async () => {
    await page.goto(`${env.h.url}/settings`);
    await page.getByLabel('Language').selectOption('bg');
    await page.getByRole('link', { name: 'История' }).click();
    await expect.poll(() => page.getByTestId('history').getByText('Частично върната').count()).toBe(1);
    await expect.poll(() => page.getByTestId('history').getByText('Анулирана').count()).toBe(1);
    const text = (await page.locator('main').textContent()) ?? '';
    for (const word of ['Paid', 'refunded', 'Voided', 'Open', 'Synced', 'No. ']) expect(text).not.toContain(word);
    await shoot('history-bg');
    await page.setViewportSize(VIEWPORTS.phone);
    await expectNoOverflow();
    await page.setViewportSize(VIEWPORTS.tablet);
    await page.getByTestId('history').locator('li').filter({ hasText: 'Частично върната' }).getByRole('button').click();
    await page.getByTestId('sale-status').filter({ hasText: 'Частично върната' }).waitFor();
    await page.getByRole('button', { name: /^Връщане до .* по картата$/ }).waitFor();
    const view = (await page.locator('main').textContent()) ?? '';
    for (const word of ['Refund', 'Paid', 'Left to', 'Void', 'Receipt']) expect(view).not.toContain(word);
    await shoot('sale-view-bg');
    await page.setViewportSize(VIEWPORTS.phone);
    await expectNoOverflow();
    await page.goto(`${env.h.url}/settings`);
    await page.getByLabel('Език').selectOption('en');
    await page.setViewportSize(VIEWPORTS.tablet);
  });
});

async function cashSaleOffline(): Promise<string> {
  const keys = page.getByTestId('quick-keys');
  await keys.getByRole('button', { name: /Espresso/ }).click();
  await page.getByRole('button', { name: 'Cash €2.40' }).click();
  await page.getByText(/^Cash sale of .* recorded\.$/).waitFor();
  return newestSale();
}
