import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VIEWPORTS } from '../helpers/browser.js';
import { ROOT, useTillInChromium } from '../helpers/e2e.js';
import { pairContext } from '../helpers/paired-browser.js';
import { openCart, overflowing, saleScreen, typeOnKeypad } from '../helpers/sale-screen.js';

// The sale in one screen, in Chromium at a tablet's 1280x800 and a phone's 390x844, in English and
// Bulgarian: the charge bar always on screen, the end of a sale (receipt choice, change, a decline
// paid in cash), the keyboard and the scanner, and the same amount again asked first.

const SHOTS = resolve(ROOT, 'test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
const env = useTillInChromium();
const contexts: BrowserContext[] = [];

/** Whole and half euros only: no total ends in a cents value of the simulator's outcome table. */
const PRODUCTS = [
  ['Espresso', '2.50', 'Drinks'],
  ['Cappuccino', '3.00', 'Drinks'],
  ['Hot chocolate with cream', '4.50', 'Drinks'],
  ['Sparkling water', '1.50', 'Drinks'],
  ['Croissant', '2.00', 'Bakery'],
  ['Banitsa with cheese', '3.50', 'Bakery'],
  ['Chocolate muffin', '4.00', 'Bakery'],
  ['Atlas of Bulgaria', '15.00', 'Books'],
  ['Orange juice', '5.00', 'Drinks'],
  ['Apple pie', '6.00', 'Bakery'],
  ['Капучино с канела', '7.00', 'Напитки'],
] as const;
const BARCODE = '4006381333931';

beforeAll(async () => {
  for (const [index, [name, price, category]] of PRODUCTS.entries()) {
    await env.h.api('PUT', `/api/products/P-${index}`, { name, price, vatRate: index === 7 ? '9' : '20', category, ...(index === 1 ? { barcode: BARCODE } : {}) });
  }
});

beforeEach(async () => {
  for (const tid of ['90000015', '90000016']) await env.h.sim(`/terminals/${tid}/mode`, { mode: 'auto' });
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

async function open(viewport: { width: number; height: number }, language: 'en' | 'bg' = 'en'): Promise<Page> {
  const context = await env.browser.newContext({ viewport, acceptDownloads: true });
  contexts.push(context);
  await pairContext(context, env.h);
  if (language === 'bg') await context.addInitScript(() => localStorage.setItem('till.language', 'bg'));
  const page = await context.newPage();
  page.setDefaultTimeout(8_000);
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(env.h.url);
  await saleScreen(page);
  await page.getByTestId('quick-keys').getByRole('button').first().waitFor();
  return page;
}

const tile = (page: Page, name: string) => page.getByTestId('quick-keys').getByRole('button', { name: new RegExp(`^${name}`) });
const status = (page: Page) => page.getByTestId('payment-status');
const lines = (page: Page) => page.getByTestId('cart').locator('li');
/** The sales the edge booked (admin). */
async function ledger(): Promise<Array<{ id: string; totalCents: number; cashKeptCents: number; cashTenderedCents: number; cardCents: number; lines: Array<{ name: string; quantity: number }> }>> {
  return (await env.h.api<{ sales: Awaited<ReturnType<typeof ledger>> }>('GET', '/api/sales')).body.sales;
}
/** How many purchases (by RUID) reached the simulated myPOS, on any terminal. */
async function purchases(): Promise<number> {
  const { exchanges } = await env.h.sim<{ exchanges: Array<{ method: string; ruid: string }> }>('/state');
  return new Set(exchanges.filter((exchange) => exchange.method === 'MPRPurchase').map((exchange) => exchange.ruid)).size;
}
const box = async (page: Page, name: RegExp) => (await page.getByRole('button', { name }).boundingBox()) ?? { x: -1, y: -1, width: 0, height: 0 };
const inside = (b: { x: number; y: number; width: number; height: number }, viewport: { width: number; height: number }) => b.x >= 0 && b.y >= 0 && b.x + b.width <= viewport.width && b.y + b.height <= viewport.height;

const WORDS = {
  en: { charge: /^Charge €[0-9.]+$/, cash: /^Cash €/, approved: 'Approved', press: 'Press O on the terminal', declined: 'Declined', noReceipt: 'No receipt', cashInstead: 'Take cash instead', cashReceived: 'Cash received', change: /^Change €/, recorded: /^Cash sale of .* recorded\.$/ },
  bg: { charge: /^Плащане с карта [0-9,]+\s€$/, cash: /^В брой /, approved: 'Одобрено', press: 'Натиснете O на терминала', declined: 'Отказано', noReceipt: 'Без бележка', cashInstead: 'В брой вместо това', cashReceived: 'Получени в брой', change: /^Ресто /, recorded: /^Продажбата в брой за .* е записана\.$/ },
} as const;

describe('the sale screen at both sizes, in both languages', () => {
  const runs = (['en', 'bg'] as const).flatMap((language) => (['tablet', 'phone'] as const).map((size) => ({ language, size })));
  it.each(runs.map((run, index) => ({ ...run, index })))('$size in $language: 8 lines and Charge on screen; card sale, receipt choice, next sale; change; decline paid in cash', async ({ language, size, index }) => {
    const viewport = VIEWPORTS[size];
    const words = WORDS[language];
    const page = await open(viewport, language);
    const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${name}-${size}-${language}.png` });

    // Eight lines (a different eight each run: each total is another amount).
    for (const [name] of PRODUCTS.slice(index, index + 8)) await tile(page, name).click();
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    expect(await overflowing(page)).toEqual([]);
    if (size === 'tablet') {
      expect(await lines(page).count()).toBe(8);
      // The charge bar under the cart, whole, at scroll 0, and the header with the connection above.
      expect(inside(await box(page, words.charge), viewport)).toBe(true);
      expect(inside(await box(page, words.cash), viewport)).toBe(true);
      expect(inside((await page.getByTestId('cart-total').boundingBox()) ?? { x: -1, y: -1, width: 0, height: 0 }, viewport)).toBe(true);
      expect(((await page.getByTestId('connection').boundingBox())?.y ?? 999) < 64).toBe(true);
      await shot('sale');
    } else {
      // The phone: the bar at the bottom of the products, whole, with the total and the items.
      const bar = (await page.getByTestId('phone-bar').boundingBox()) ?? { x: -1, y: -1, width: 0, height: 0 };
      expect(inside(bar, viewport)).toBe(true);
      expect(bar.y + bar.height).toBeGreaterThan(viewport.height - 24);
      expect(await page.getByTestId('phone-bar').textContent()).toContain(language === 'en' ? '8 items' : '8 артикула');
      await shot('sale');
      await openCart(page);
      expect(await lines(page).count()).toBe(8);
      expect(inside(await box(page, words.charge), viewport)).toBe(true);
      expect(inside(await box(page, words.cash), viewport)).toBe(true);
      expect(await overflowing(page)).toEqual([]);
      await shot('cart-sheet');
    }

    // A card sale: the payment follows the terminal, then the receipt choice, then an empty sale.
    await env.h.sim('/terminals/90000016/mode', { mode: 'manual' });
    await page.getByLabel(language === 'en' ? 'Terminal' : 'Терминал', { exact: true }).selectOption('90000016');
    await page.getByRole('button', { name: words.charge }).click();
    await page.waitForURL(/\/pay\//);
    const ruid = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await expect.poll(() => status(page).textContent()).toBe(words.press);
    expect(await overflowing(page)).toEqual([]);
    await shot('payment');
    await env.h.sim('/terminals/90000016/press-o', {});
    await env.h.sim('/terminals/90000016/card', { outcome: 'approve' });
    await expect.poll(() => status(page).textContent(), { timeout: 5_000 }).toBe(words.approved);
    await page.locator('[data-field="auth_code"]').waitFor();
    expect(await overflowing(page)).toEqual([]);
    await shot('receipt-choice');
    // Void is apart: below the receipt choice, not the first button.
    const firstButton = page.getByTestId('payment-status').locator('xpath=ancestor::section[1]').getByRole('button').first();
    expect(await firstButton.textContent()).not.toMatch(/Void|Анулиране/);
    if (index === 0) {
      // Print: the print dialog closes (here at once), and the next sale starts.
      await page.evaluate(() => (window.print = () => void setTimeout(() => dispatchEvent(new Event('afterprint')), 50)));
      await page.getByRole('button', { name: 'Print receipt' }).click();
    } else await page.getByRole('button', { name: words.noReceipt }).click();
    await page.waitForURL(`${env.h.url}/`);
    await saleScreen(page);
    // An empty sale: the total (on the phone, in its bar) is zero.
    expect(await page.getByTestId(size === 'tablet' ? 'cart-total' : 'phone-bar').textContent()).toMatch(/(€0\.00|0,00\s€)/);
    await expect.poll(async () => (await ledger()).find((sale) => sale.id === ruid)?.lines.length, { timeout: 10_000 }).toBe(8);

    // Cash with change: full screen, until a tap.
    await tile(page, 'Espresso').click();
    await tile(page, 'Cappuccino').click();
    await openCart(page);
    await page.getByLabel(words.cashReceived).fill('20');
    await page.getByRole('button', { name: words.cash }).click();
    const overlay = page.getByTestId('change-overlay');
    await overlay.waitFor();
    expect(await page.getByTestId('change').textContent()).toMatch(language === 'en' ? /^Change €14\.50$/ : /^Ресто 14,50\s€$/);
    const cover = (await overlay.boundingBox()) ?? { x: 1, y: 1, width: 0, height: 0 };
    expect([cover.x, cover.y, cover.width, cover.height]).toEqual([0, 0, viewport.width, viewport.height]);
    await shot('change');
    await overlay.click();
    await expect.poll(() => overlay.count()).toBe(0);
    expect(await page.getByText(words.recorded).count()).toBe(1);

    // Declined (.05): "Take cash instead" books the same sale as cash, and the next sale starts.
    await typeOnKeypad(page, '1005');
    await openCart(page);
    await page.getByLabel(language === 'en' ? 'Terminal' : 'Терминал', { exact: true }).selectOption('90000015');
    await page.getByRole('button', { name: words.charge }).click();
    await page.waitForURL(/\/pay\//);
    const declined = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await expect.poll(() => status(page).textContent(), { timeout: 5_000 }).toBe(words.declined);
    expect(await overflowing(page)).toEqual([]);
    await shot('declined');
    // The customer hands over 20: the change shows full screen on the sale screen.
    await page.getByLabel(words.cashReceived, { exact: true }).fill('20');
    await page.getByRole('button', { name: words.cashInstead }).click();
    await page.waitForURL(`${env.h.url}/`);
    await expect.poll(() => page.getByText(words.change).count()).toBeGreaterThan(0);
    await expect
      .poll(async () => (await ledger()).some((sale) => sale.id !== declined && sale.totalCents === 1005 && sale.cashKeptCents === 1005 && sale.cashTenderedCents === 2000 && sale.cardCents === 0), { timeout: 10_000 })
      .toBe(true);
    expect((await ledger()).some((sale) => sale.id === declined)).toBe(false);
  });
});

describe('keys and scanners', () => {
  it('Enter with the focus elsewhere does not charge; Enter on the focused Charge button does', async () => {
    const page = await open(VIEWPORTS.tablet);
    await tile(page, 'Croissant').click();
    await tile(page, 'Orange juice').click();
    const before = await purchases();
    // Nothing focused, then the cash received field, then the terminal picker: Enter charges nothing.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Enter');
    await page.getByLabel('Cash received').focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('Terminal', { exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    expect(page.url()).toBe(`${env.h.url}/`);
    expect(await purchases()).toBe(before);
    expect(await lines(page).count()).toBe(2);
    // The Charge button itself, focused: Enter presses it.
    await page.getByRole('button', { name: 'Charge €7.00' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/pay\//);
    await expect.poll(() => status(page).textContent(), { timeout: 5_000 }).toBe('Approved');
  });

  it('a scan with the cash received field focused adds the product, and its digits leave the field', async () => {
    const page = await open(VIEWPORTS.tablet);
    await tile(page, 'Espresso').click();
    const cash = page.getByLabel('Cash received');
    await cash.click();
    await page.keyboard.type('20', { delay: 250 });
    await page.keyboard.type(BARCODE, { delay: 5 });
    await page.keyboard.press('Enter');
    await expect.poll(() => lines(page).count()).toBe(2);
    expect(await lines(page).nth(1).textContent()).toContain('Cappuccino');
    expect(await cash.inputValue()).toBe('20');
    expect(await page.getByTestId('cart-total').textContent()).toBe('€5.50');
    expect(page.url()).toBe(`${env.h.url}/`);
  });

  it('a scan with the Charge button focused adds the product and charges nothing', async () => {
    const page = await open(VIEWPORTS.tablet);
    await tile(page, 'Croissant').click();
    await page.getByRole('button', { name: 'Charge €2.00' }).focus();
    const before = await purchases();
    await page.keyboard.type(BARCODE, { delay: 5 });
    await page.keyboard.press('Enter');
    await expect.poll(() => lines(page).count()).toBe(2);
    await page.waitForTimeout(300);
    expect(page.url()).toBe(`${env.h.url}/`);
    expect(await purchases()).toBe(before);
  });

  it('the keypad takes digits and Backspace from a keyboard', async () => {
    const page = await open(VIEWPORTS.tablet);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.type('1234', { delay: 150 });
    await page.keyboard.press('Backspace');
    // On the products tab the amount shows on the Keypad tab and as a grey line of the cart.
    expect(await page.getByTestId('keypad-pending').textContent()).toBe('€1.23');
    expect(await page.getByTestId('cart-total').textContent()).toBe('€1.23');
    await page.getByRole('tab', { name: /^Keypad/ }).click();
    expect(await page.getByTestId('amount').textContent()).toBe('€1.23');
  });
});

describe('no accidental second charge', () => {
  it('the same amount on the same terminal within 2 minutes of an approval is asked first, on every till', async () => {
    const page = await open(VIEWPORTS.tablet);
    await page.getByLabel('Terminal', { exact: true }).selectOption('90000016');
    await typeOnKeypad(page, '2021');
    await page.getByRole('button', { name: 'Charge €20.21' }).click();
    await page.waitForURL(/\/pay\//);
    await expect.poll(() => status(page).textContent(), { timeout: 5_000 }).toBe('Approved');
    await page.getByRole('button', { name: 'No receipt' }).click();
    await saleScreen(page);

    // Another till of the shop, the same amount on the same terminal: asked first.
    const other = await open(VIEWPORTS.phone);
    await typeOnKeypad(other, '2021');
    await openCart(other);
    await other.getByLabel('Terminal', { exact: true }).selectOption('90000016');
    const before = await purchases();
    await other.getByRole('button', { name: 'Charge €20.21', exact: true }).click();
    const asked = other.getByTestId('repeat-charge');
    await asked.getByRole('heading').waitFor();
    expect(await asked.locator('p').textContent()).toMatch(/^€20\.21 was approved on this terminal \d+ s ago — charge again\?$/);
    await other.screenshot({ path: `${SHOTS}/repeat-asked-phone-en.png` });
    // "Don't charge" has the focus: a stray Enter sends nothing.
    await other.keyboard.press('Enter');
    await expect.poll(() => asked.getByRole('heading').count()).toBe(0);
    await other.waitForTimeout(300);
    expect(await purchases()).toBe(before);
    expect(other.url()).toBe(`${env.h.url}/`);

    // Another amount, or another terminal: not asked.
    await other.getByLabel('Terminal', { exact: true }).selectOption('90000015');
    await other.getByRole('button', { name: 'Charge €20.21', exact: true }).click();
    await other.waitForURL(/\/pay\//);
    await expect.poll(() => other.getByTestId('payment-status').textContent(), { timeout: 5_000 }).toBe('Approved');

    // Asked again on the first till, and charged when the cashier says so.
    await typeOnKeypad(page, '2021');
    await page.getByRole('button', { name: 'Charge €20.21' }).click();
    await page.getByTestId('repeat-charge').getByRole('heading').waitFor();
    await page.screenshot({ path: `${SHOTS}/repeat-asked-tablet-en.png` });
    await page.getByRole('button', { name: 'Charge again' }).click();
    await page.waitForURL(/\/pay\//);
    await expect.poll(() => status(page).textContent(), { timeout: 5_000 }).toBe('Approved');
    // The other till's charge on the other terminal, and this one.
    expect(await purchases()).toBe(before + 2);
  });

  it('"Try the card again" after a decline is a new payment with a new RUID', async () => {
    const page = await open(VIEWPORTS.phone);
    await typeOnKeypad(page, '305');
    await openCart(page);
    await page.getByLabel('Terminal', { exact: true }).selectOption('90000015');
    await page.getByRole('button', { name: 'Charge €3.05', exact: true }).click();
    await page.waitForURL(/\/pay\//);
    const first = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await expect.poll(() => status(page).textContent(), { timeout: 5_000 }).toBe('Declined');
    await page.getByRole('button', { name: 'Try the card again' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/pay/') && !url.pathname.endsWith(encodeURIComponent(first)));
    const second = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    expect(second).not.toBe(first);
    await expect.poll(() => status(page).textContent(), { timeout: 5_000 }).toBe('Declined');
    expect(await env.h.payment(second)).toMatchObject({ tid: '90000015', amountCents: 305, state: 'declined' });
  });
});
