import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRuid } from '../../shared/ruid.js';
import { screenshotBothSizes, VIEWPORTS } from '../helpers/browser.js';
import { ROOT, useTillInChromium } from '../helpers/e2e.js';
import { pairContext } from '../helpers/paired-browser.js';
import { tillSales } from '../helpers/till-db.js';

// One language end to end, in Bulgarian: the edge answers codes (a decline by the issuer is
// reason issuer_declined with its responseCode), the till words them; receipts, dates and money in
// the chosen language. No English word of the till's may show on these screens.

const SHOTS = resolve(ROOT, 'test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
const env = useTillInChromium();
let context: BrowserContext;
let page: Page;

/** Words of the till in English that must not appear on a Bulgarian screen (data such as the simulator's shop name may). */
const ENGLISH = ['Declined', 'Approved', 'APPROVED', 'DECLINED', 'VOIDED', 'Refund', 'REFUND', 'Receipt', 'receipt', 'Auth code', 'Card type', 'Merchant', 'Response code', 'issuer', 'Ask for', 'Nothing was charged', 'Cancel', 'Void', 'New sale', 'Print', 'Download', 'Terminal', 'Press O', 'Take cash', 'Try the card'];

beforeAll(async () => {
  // Bulgarian product names: the screen's only Latin letters are then data (TID, myPOS, the simulator's merchant).
  await env.h.api('PUT', '/api/products/P-COFFEE', { name: 'Кафе', price: '2.40', vatRate: '20', category: 'Напитки' });
  // .05 is declined by the issuer (05) on the simulator.
  await env.h.api('PUT', '/api/products/P-JUICE', { name: 'Сок', price: '3.05', vatRate: '9.5', category: 'Напитки' });
  // Each sale its own amount: the same amount again within two minutes is asked first.
  await env.h.api('PUT', '/api/products/P-TEA', { name: 'Чай', price: '1.80', vatRate: '20', category: 'Напитки' });
  await env.h.api('PUT', '/api/products/P-CAKE', { name: 'Торта', price: '3.00', vatRate: '20', category: 'Сладкиши' });
  await env.h.sim('/terminals/90000015/mode', { mode: 'auto' });
  context = await env.browser.newContext({ viewport: VIEWPORTS.tablet, acceptDownloads: true });
  await pairContext(context, env.h);
  // The language is kept on the device: Bulgarian from the first screen.
  await context.addInitScript(() => localStorage.setItem('till.language', 'bg'));
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
}, 60_000);

afterAll(async () => {
  await context.close();
});

const status = () => page.getByTestId('payment-status');
const idInUrl = () => decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');

async function cardSale(product: string, total: string): Promise<string> {
  await page.goto(env.h.url);
  await page.getByTestId('quick-keys').getByRole('button', { name: new RegExp(product) }).click();
  await page.getByLabel('Терминал', { exact: true }).selectOption('90000015');
  await page.getByRole('button', { name: new RegExp(`^Плащане с карта ${total.replace('.', ',')}`) }).click();
  await page.waitForURL(/\/pay\//);
  return idInUrl();
}

async function expectNoEnglish(where: string): Promise<void> {
  const text = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
  const found = ENGLISH.filter((word) => text.includes(word));
  expect(found, `${where}: ${text}`).toEqual([]);
}

const shoot = (name: string) => screenshotBothSizes(page, `${SHOTS}/${name}`);

describe('one language end to end: Bulgarian', () => {
  it('a card declined by the issuer reads in Bulgarian, with the issuer code', async () => {
    const ruid = await cardSale('Сок', '3.05');
    await expect.poll(() => status().textContent(), { timeout: 10_000 }).toBe('Отказано');
    expect(await env.h.payment(ruid)).toMatchObject({ state: 'declined', reason: 'issuer_declined', responseCode: '05' });
    const detail = (await page.getByTestId('payment-detail').textContent()) ?? '';
    expect(detail).toBe('Отказано от банката издател на картата. Поискайте друга карта или плащане в брой. Код на отговор от картата: 05.');
    // Money in the Bulgarian way.
    expect(await page.locator('.status .amount').textContent()).toMatch(/^3,05\s€$/);
    await expectNoEnglish('declined');
    await shoot('payment-declined-bg');
  });

  it('an approved card sale and its receipt: verdict, labels, date and VAT in Bulgarian; the saved text too', async () => {
    const ruid = await cardSale('Кафе', '2.40');
    await expect.poll(() => status().textContent(), { timeout: 10_000 }).toBe('Одобрено');
    const receipt = page.getByTestId('receipt');
    await expect.poll(() => receipt.locator('[data-field="auth_code"]').count()).toBe(1);
    const receiptText = (await receipt.innerText()).replace(/\s+/g, ' ');
    expect(receiptText).toContain('ОДОБРЕНО');
    expect(receiptText).toContain('Код за оторизация');
    expect(receiptText).toContain('TID');
    expect(receiptText).toContain('RRN');
    expect(receiptText).toMatch(/вкл\. ДДС 20 % от 2,40\s€/);
    // The date as every screen writes it, in the Bulgarian way ("22.11.2026 г., 10:39").
    expect(await receipt.locator('[data-field="when"]').textContent()).toMatch(/^\d{1,2}\.\d{2}\.\d{4}\s?г\.,? \d{1,2}:\d{2}$/);
    expect(await receipt.locator('[data-field="merch_txn_date"]').textContent()).toMatch(/^\d{1,2}\.\d{2}\.\d{4}\s?г\.$/);
    await expectNoEnglish('approved');
    await shoot('payment-approved-bg');
    await receipt.screenshot({ path: `${SHOTS}/receipt-approved-bg.png` });

    // The receipt saved as text (Chromium here cannot share) is Bulgarian too; then the next sale starts.
    const save = page.getByRole('button', { name: 'Запазване на бележка' });
    const [download] = await Promise.all([page.waitForEvent('download'), save.click()]);
    const text = readFileSync((await download.path()) ?? '', 'utf8');
    expect(text.trim().endsWith('ОДОБРЕНО')).toBe(true);
    expect(text).toContain('TID: 90000015');
    expect(text).toContain('Код за оторизация: ');
    for (const word of ENGLISH) expect(text).not.toContain(word);
    await page.waitForURL(`${env.h.url}/`);
    expect((await env.h.payment(ruid)).reason).toBe('approved');
  });

  it('a refund to the card and its receipt read in Bulgarian', async () => {
    const sale = await cardSale('Чай', '1.80');
    await expect.poll(() => status().textContent(), { timeout: 10_000 }).toBe('Одобрено');
    await expect.poll(async () => (await tillSales(page)).find((item) => item.id === sale)?.sync, { timeout: 10_000 }).toBe('synced');
    await page.goto(`${env.h.url}/sales/${encodeURIComponent(sale)}`);
    await page.getByRole('button', { name: /^Връщане до .* по картата$/ }).click();
    await page.getByLabel('Сума за връщане по картата').fill('1.00');
    await page.getByRole('button', { name: /^Връщане на 1,00\s€ по картата$/ }).click();
    await page.waitForURL(/\/pay\//);
    await expect.poll(() => status().textContent(), { timeout: 10_000 }).toBe('Връщането е одобрено');
    const refundReceipt = page.getByTestId('refund-receipt');
    await expect.poll(() => refundReceipt.locator('[data-field="auth_code"]').count()).toBe(1);
    expect(await refundReceipt.getByTestId('receipt-title').textContent()).toBe('ВРЪЩАНЕ');
    expect(await refundReceipt.locator('[data-field="refunded"]').textContent()).toMatch(/^1,00\s€$/);
    await expectNoEnglish('refund');
    await shoot('refund-approved-bg');
  });

  it('a refusal of the edge is worded by the till: over what is left of the purchase', async () => {
    const sale = await cardSale('Торта', '3.00');
    await expect.poll(() => status().textContent(), { timeout: 10_000 }).toBe('Одобрено');
    await expect.poll(async () => (await tillSales(page)).find((item) => item.id === sale)?.sync, { timeout: 10_000 }).toBe('synced');
    await page.goto(`${env.h.url}/sales/${encodeURIComponent(sale)}`);
    await page.getByRole('button', { name: /^Връщане до .* по картата$/ }).click();
    // Meanwhile 2.50 of it is given back elsewhere (the admin's API): 0.50 left.
    expect((await env.h.api('POST', '/api/refunds', { ruid: newRuid(), originalRuid: sale, amount: '2.50' })).status).toBe(202);
    await page.getByLabel('Сума за връщане по картата').fill('1.00');
    await page.getByRole('button', { name: /^Връщане на 1,00\s€ по картата$/ }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Остават' }).textContent()).toMatch(/^Остават най-много 0,50\s€ за връщане от това плащане\.$/);
    await expectNoEnglish('refused');
  });
});
