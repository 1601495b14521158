import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Product } from '../../shared/api.js';
import { VIEWPORTS } from '../helpers/browser.js';
import { ROOT, useTillInChromium } from '../helpers/e2e.js';
import { pairContext } from '../helpers/paired-browser.js';

// The owner's first run in Chromium: pairing an admin lands on the setup checklist, whose steps turn
// done from the edge's data; the catalogue edits, orders, colours and imports products (the sale
// screen follows the order); a till sees the shop read-only; every screen fits, in both languages.

const SHOTS = resolve(ROOT, 'test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
const env = useTillInChromium();
const contexts: BrowserContext[] = [];
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

async function open(viewport: { width: number; height: number }, role?: 'till' | 'admin'): Promise<Page> {
  const context = await env.browser.newContext({ viewport });
  contexts.push(context);
  if (role) await pairContext(context, env.h, role);
  const page = await context.newPage();
  page.setDefaultTimeout(5_000);
  return page;
}

async function products(): Promise<Product[]> {
  return (await env.h.api<{ products: Product[] }>('GET', '/api/products')).body.products;
}

/** Nothing sideways: the page does not scroll, and nothing in it reaches past the viewport (unless inside a box that scrolls or clips). */
async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const wide: string[] = [];
    if (document.documentElement.scrollWidth > width) wide.push(`page ${document.documentElement.scrollWidth}px`);
    const clipped = (element: Element): boolean => {
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(parent).overflowX)) return true;
      }
      return false;
    };
    for (const element of document.querySelectorAll('main *')) {
      const rect = element.getBoundingClientRect();
      if (rect.width > 0 && (rect.right > width + 1 || rect.left < -1) && !clipped(element)) wide.push(`${element.tagName.toLowerCase()}.${element.className} ${Math.round(rect.left)}-${Math.round(rect.right)}`);
    }
    return wide;
  });
}

const CSV = [
  'name,price,vat,category,barcode',
  '"Cake, chocolate",4.50,9,Cakes,4006381333931',
  'Lemonade,2,50,20,Drinks',
  'Water,1.20,20,Drinks,5901234123457',
].join('\n');

describe('the owner\'s first run', () => {
  it('pairing an admin lands on the checklist; the shop is saved; each step turns done from the edge', async () => {
    const page = await open(VIEWPORTS.tablet);
    const { body: code } = await env.h.api<{ link: string }>('POST', '/api/devices/pairing-codes', { role: 'admin' });
    await page.goto(code.link);
    await page.getByRole('button', { name: 'Pair this till' }).click();
    await page.waitForURL(/\/setup$/);
    await page.getByRole('heading', { name: 'Set up the shop' }).waitFor();
    const step = (name: string) => page.getByTestId('setup').locator(`[data-step="${name}"]`);
    const terminalActive = (await env.h.api<{ terminals: Array<{ state: string }> }>('GET', '/api/terminals')).body.terminals.some((t) => t.state === 'active');
    await expect.poll(() => step('shop').getAttribute('data-state')).toBe('todo');
    expect(await step('terminal').getAttribute('data-state')).toBe(terminalActive ? 'done' : 'todo');
    expect(await step('products').getAttribute('data-state')).toBe('todo');
    expect(await step('till').getAttribute('data-state')).toBe('todo');
    await page.screenshot({ path: `${SHOTS}/setup-first-en-tablet.png`, fullPage: true });

    await page.getByLabel('Shop name').fill('Corner Café');
    await page.getByLabel(/^Address/).fill('1 Vitosha Blvd\nSofia');
    await page.getByLabel('Currency').fill('eur');
    await page.getByLabel('VAT % of a typed amount').fill('9');
    await page.getByRole('button', { name: 'Save the shop' }).click();
    await expect.poll(() => step('shop').getAttribute('data-state')).toBe('done');
    expect((await env.h.api<{ shop: object }>('GET', '/api/shop')).body.shop).toMatchObject({ name: 'Corner Café', address: '1 Vitosha Blvd\nSofia', currency: 'EUR', freeAmountVatBp: 900 });

    // The other steps follow the edge: a product, a paired till, an active terminal.
    await env.h.api('PUT', '/api/products/P-FIRST', { name: 'Espresso', price: '2.40', vatRate: '20', category: 'Drinks' });
    await env.h.pairDevice({ role: 'till', name: 'Counter' });
    if (!terminalActive) throw new Error('the demo edge has no active terminal to count');
    await page.reload();
    await expect.poll(() => step('till').getAttribute('data-state')).toBe('done');
    expect(await step('products').getAttribute('data-state')).toBe('done');
    expect(await page.getByTestId('setup-progress').textContent()).toBe('4 of 4 done');
    expect(await page.getByText('Everything is set up.').isVisible()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/setup-done-en-tablet.png`, fullPage: true });
    await page.getByRole('link', { name: 'Start selling' }).click();
    await page.getByTestId('quick-keys').waitFor();
  });

  it('the checklist is reachable from Settings until done, and can be hidden', async () => {
    const page = await open(VIEWPORTS.phone, 'admin');
    await page.route('**/api/devices', (route) => route.fulfill({ json: { devices: [] } }));
    await page.goto(`${env.h.url}/settings`);
    await page.getByTestId('setup-entry').getByRole('link', { name: 'Open the checklist' }).click();
    await page.waitForURL(/\/setup$/);
    await expect.poll(() => page.getByTestId('setup').locator('[data-step="till"]').getAttribute('data-state')).toBe('todo');
    await page.screenshot({ path: `${SHOTS}/setup-todo-en-phone.png`, fullPage: true });
    expect(await overflow(page)).toEqual([]);
    await page.getByRole('button', { name: 'Hide the checklist' }).click();
    await page.getByTestId('quick-keys').waitFor();
    await page.goto(`${env.h.url}/settings`);
    await page.getByLabel('Language').waitFor();
    expect(await page.getByTestId('setup-entry').count()).toBe(0);
  });

  it('adds, edits, colours and reorders products; the sale screen shows them in that order', async () => {
    const page = await open(VIEWPORTS.tablet, 'admin');
    await page.goto(`${env.h.url}/catalogue`);
    const add = async (name: string, price: string, category: string) => {
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByLabel('Price (VAT included)').fill(price);
      await page.getByLabel('Category').fill(category);
      await page.getByRole('button', { name: 'Save product' }).click();
      await expect.poll(() => page.getByTestId('products').textContent()).toContain(name);
    };
    await add('Croissant', '3,20', 'Bakery');
    await page.getByLabel('Name', { exact: true }).fill('Tea');
    await page.getByLabel('Price (VAT included)').fill('2.00');
    await page.getByLabel('Category').fill('Drinks');
    await page.getByRole('radio', { name: 'Teal' }).check();
    await page.getByRole('button', { name: 'Save product' }).click();
    await expect.poll(() => page.getByTestId('products').textContent()).toContain('Tea');
    const croissant = (await products()).find((p) => p.name === 'Croissant');
    expect(croissant).toMatchObject({ priceCents: 320, category: 'Bakery' });
    expect((await products()).find((p) => p.name === 'Tea')).toMatchObject({ color: 'teal' });

    // Edit Tea: a new name, price, barcode and colour under the same id.
    const teaId = (await products()).find((p) => p.name === 'Tea')?.id;
    await page.getByRole('button', { name: 'Edit Tea' }).click();
    expect(await page.getByRole('heading', { name: 'Edit: Tea' }).isVisible()).toBe(true);
    // A full-page shot from the top (a fixed header would otherwise be drawn where the page was scrolled to).
    await page.evaluate(() => scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/catalogue-edit-en-tablet.png`, fullPage: true });
    await page.getByLabel('Name', { exact: true }).fill('Green tea');
    await page.getByLabel('Price (VAT included)').fill('2.30');
    await page.getByLabel('Barcode (optional)').fill('96385074');
    await page.getByRole('radio', { name: 'Purple' }).check();
    await page.getByRole('button', { name: 'Save product' }).click();
    await expect.poll(() => page.getByTestId('products').textContent()).toContain('Green tea');
    const tea = (await products()).find((p) => p.id === teaId);
    expect(tea).toMatchObject({ name: 'Green tea', priceCents: 230, barcode: '96385074', color: 'purple' });
    expect((await products()).filter((p) => p.name.includes('tea') || p.name === 'Tea')).toHaveLength(1);

    // Reorder: Green tea to the top.
    const names = () => page.getByTestId('products').locator('li .name').allTextContents();
    const before = await names();
    for (let i = before.indexOf('Green tea'); i > 0; i--) {
      await page.getByRole('button', { name: 'Move Green tea up' }).click();
      await expect.poll(async () => (await names()).indexOf('Green tea')).toBe(i - 1);
    }
    const order = await names();
    expect(order[0]).toBe('Green tea');
    expect((await products()).map((p) => p.name)).toEqual(order);
    await page.evaluate(() => scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/catalogue-list-en-tablet.png`, fullPage: true });

    // Hide Croissant: gone from the sale screen, kept (hidden) in the catalogue.
    await page.getByRole('button', { name: 'Hide Croissant' }).click();
    await expect.poll(() => page.locator('li.hidden').count()).toBe(1);

    await page.getByRole('link', { name: 'Sale', exact: true }).click();
    const keys = page.getByTestId('quick-keys');
    await expect.poll(() => keys.getByRole('button').first().textContent()).toContain('Green tea');
    const shown = (await keys.getByRole('button').allTextContents()).map((text) => order.find((name) => text.includes(name)));
    expect(shown).toEqual(order.filter((name) => name !== 'Croissant'));
    // Its own colour: Green tea's tile is not the colour of its category (Espresso's, also Drinks).
    const tileColour = (name: string) => keys.getByRole('button', { name: new RegExp(name) }).evaluate((key) => getComputedStyle(key).borderLeftColor + getComputedStyle(key).backgroundColor);
    expect(await tileColour('Green tea')).not.toBe(await tileColour('Espresso'));
    await page.screenshot({ path: `${SHOTS}/sale-ordered-products-en-tablet.png` });
  });

  it('imports a CSV: the preview names the bad row and field, the good rows appear, and a second import adds nothing', async () => {
    const page = await open(VIEWPORTS.tablet, 'admin');
    await page.goto(`${env.h.url}/catalogue`);
    const file = { name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) };
    await page.getByLabel('CSV file', { exact: true }).setInputFiles(file);
    const problems = page.getByTestId('csv-problems');
    await expect.poll(() => problems.textContent()).toContain('Line 3');
    expect(await problems.textContent()).toContain('price: “2,50” has a decimal comma — use a dot, like 2.50.');
    expect(await page.getByTestId('csv-good').locator('li').count()).toBe(2);
    await page.screenshot({ path: `${SHOTS}/catalogue-import-en-tablet.png`, fullPage: true });
    await page.getByRole('button', { name: 'Import 2 products' }).click();
    await expect.poll(() => page.getByTestId('csv-status').textContent()).toBe('2 products imported.');
    await expect.poll(() => page.getByTestId('products').textContent()).toContain('Cake, chocolate');
    expect(await page.getByTestId('products').textContent()).toContain('Water');
    const count = (await products()).length;
    expect((await products()).find((p) => p.name === 'Cake, chocolate')).toMatchObject({ priceCents: 450, vatRateBp: 900, category: 'Cakes', barcode: '4006381333931' });

    await page.getByLabel('CSV file', { exact: true }).setInputFiles(file);
    await page.getByRole('button', { name: 'Import 2 products' }).click();
    await expect.poll(() => page.getByTestId('csv-status').textContent()).toBe('2 products imported.');
    expect((await products()).length).toBe(count);
  });

  it('a till device sees the shop read-only, and the edge refuses it a change', async () => {
    const page = await open(VIEWPORTS.phone, 'till');
    await page.goto(`${env.h.url}/settings`);
    const shop = page.getByTestId('shop-readonly');
    await expect.poll(() => shop.textContent()).toContain('Corner Café');
    expect(await shop.textContent()).toContain('9 %');
    expect(await page.getByTestId('shop-form').count()).toBe(0);
    expect(await page.getByText('Only an admin device can change these.').isVisible()).toBe(true);
    const refused = await page.evaluate(async () => (await fetch('/api/shop', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Mine', currency: 'EUR', freeAmountVat: '0' }) })).status);
    expect(refused).toBe(403);
    await page.screenshot({ path: `${SHOTS}/settings-till-en-phone.png`, fullPage: true });
    // The till rings up with the shop's cached profile (its VAT of a typed amount and its header).
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('till.shop') ?? '{}'))).toMatchObject({ name: 'Corner Café', freeAmountVatBp: 900 });
  });

  for (const language of ['en', 'bg'] as const) {
    for (const [size, viewport] of [['tablet', VIEWPORTS.tablet], ['phone', VIEWPORTS.phone]] as const) {
      it(`fits ${size} in ${language}: setup, catalogue (form, list, import preview) and settings`, async () => {
        const page = await open(viewport, 'admin');
        await page.addInitScript((lang) => localStorage.setItem('till.language', lang), language);
        const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${name}-${language}-${size}.png`, fullPage: true });
        // A till not yet paired, so the checklist shows a step to do next to the done ones.
        await page.route('**/api/devices', (route) => route.fulfill({ json: { devices: [] } }));
        await page.goto(`${env.h.url}/setup`);
        await page.getByTestId('setup-progress').waitFor();
        await expect.poll(() => page.getByTestId('setup').locator('[data-step="till"]').getAttribute('data-state')).toBe('todo');
        expect(await page.getByTestId('setup').locator('[data-step="shop"]').getAttribute('data-state')).toBe('done');
        await page.locator('[data-step="shop"] summary').click();
        await page.getByTestId('shop-form').waitFor();
        expect(await overflow(page)).toEqual([]);
        await shot('setup');

        await page.goto(`${env.h.url}/catalogue`);
        await expect.poll(() => page.getByTestId('products').locator('li').count()).toBeGreaterThan(2);
        expect(await overflow(page)).toEqual([]);
        const save = await page.locator('form.product button[type="submit"]').boundingBox();
        expect(save && save.x >= 0 && save.x + save.width <= viewport.width).toBe(true);
        await shot('catalogue');
        await page.getByLabel(language === 'bg' ? 'CSV файл' : 'CSV file', { exact: true }).setInputFiles({ name: 'p.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
        await page.getByTestId('csv-problems').waitFor();
        expect(await overflow(page)).toEqual([]);
        await page.locator('section:has(#csv-file)').screenshot({ path: `${SHOTS}/catalogue-import-${language}-${size}.png` });

        await page.goto(`${env.h.url}/settings`);
        await page.getByTestId('shop-form').waitFor();
        expect(await overflow(page)).toEqual([]);
        await shot('settings');
      });
    }
  }
});
