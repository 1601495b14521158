import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAmount } from '../../shared/money.js';
import { VIEWPORTS } from '../helpers/browser.js';
import { ROOT, useTillInChromium } from '../helpers/e2e.js';
import { pairContext } from '../helpers/paired-browser.js';
import { chargeAnyway, showProducts, typeOnKeypad } from '../helpers/sale-screen.js';

// The shop in Chromium: products from the catalogue, a cart with a discount, cash and card on one
// sale, a refund from history, and a day close whose CSV adds up to the sales made.

const SHOTS = resolve(ROOT, 'test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
const env = useTillInChromium();
let context: BrowserContext;
let page: Page;

interface LedgerSale {
  id: string;
  totalCents: number;
  cashKeptCents: number;
  cashTenderedCents: number;
  cardCents: number;
  lines: Array<{ name: string; quantity: number }>;
  discount?: { kind: string; bp?: number };
}

beforeAll(async () => {
  await env.h.api('PUT', '/api/products/P-ESPRESSO', { name: 'Espresso', price: '2.40', vatRate: '20', category: 'Drinks' });
  await env.h.api('PUT', '/api/products/P-BOOK', { name: 'Atlas of Bulgaria', price: '15.00', vatRate: '9', category: 'Books', barcode: '9789543651234' });
});

beforeEach(async () => {
  await env.h.sim('/terminals/90000015/mode', { mode: 'auto' });
  context = await env.browser.newContext({ viewport: VIEWPORTS.tablet, acceptDownloads: true });
  await pairContext(context, env.h);
  page = await context.newPage();
  page.setDefaultTimeout(5_000);
  page.on('dialog', (dialog) => void dialog.accept());
  return async () => {
    await context.close();
  };
});

const cents = (text: string) => {
  const parsed = parseAmount(text.replace(/^-/, ''));
  if (!parsed.ok) throw new Error(`not an amount: ${text}`);
  return text.startsWith('-') ? -parsed.value : parsed.value;
};

async function ledgerSale(id: string): Promise<LedgerSale | undefined> {
  const { body } = await env.h.api<{ sales: LedgerSale[] }>('GET', '/api/sales');
  return body.sales.find((sale) => sale.id === id);
}

/** Two espressos tapped, a book scanned, 10 % off the sale: 17.82, half in cash, half by card. */
async function splitSale(): Promise<string> {
  await page.goto(env.h.url);
  await page.getByLabel('Terminal', { exact: true }).selectOption('90000015');
  // The till keeps the tab the cashier left (the keypad, after a typed amount): the products.
  await showProducts(page);
  const keys = page.getByTestId('quick-keys');
  await keys.getByRole('button', { name: /Espresso/ }).click();
  await keys.getByRole('button', { name: /Espresso/ }).click();
  // The scanner types fast and presses Enter, with the focus anywhere but a text field.
  await page.getByRole('heading', { name: 'Cart' }).click();
  await page.keyboard.type('9789543651234', { delay: 2 });
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('cart').locator('li').count()).toBe(2);
  // The scanned digits never became a keypad amount.
  expect(await page.getByTestId('keypad-pending').count()).toBe(0);
  await page.getByRole('button', { name: 'Discount or note on the sale' }).click();
  await page.getByLabel('Discount on the sale').fill('10');
  await expect.poll(() => page.getByTestId('cart-total').textContent()).toBe('€17.82');
  expect(await page.getByTestId('discount-total').textContent()).toBe('−€1.98');
  await page.getByLabel(/^Cash received/).fill('8.91');
  expect(await page.getByTestId('tender-hint').textContent()).toContain('The rest, €8.91, by card.');
  await page.screenshot({ path: `${SHOTS}/cart-split-tablet.png` });
  // Every test rings up this same sale: from the second on, the till asks before charging it again.
  await chargeAnyway(page, 'Charge €8.91');
  const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
  await expect.poll(() => page.getByTestId('payment-status').textContent(), { timeout: 10_000 }).toBe('Approved');
  return id;
}

describe('the shop in Chromium', () => {
  it('a multi-item sale with a discount, paid half in cash and half by card, with its receipt', async () => {
    const id = await splitSale();
    expect(await page.getByTestId('split').textContent()).toBe('Sale of €17.82: €8.91 paid in cash');
    const receipt = page.getByTestId('receipt');
    await expect.poll(() => receipt.locator('[data-field="auth_code"]').count()).toBe(1);
    expect(await receipt.locator('[data-field="total"]').textContent()).toBe('€17.82');
    expect(await receipt.locator('[data-field="cash"]').textContent()).toBe('€8.91');
    expect(await receipt.locator('[data-field="card"]').textContent()).toBe('€8.91');
    const text = (await receipt.textContent()) ?? '';
    expect(text).toContain('2 × Espresso');
    expect(text).toContain('1 × Atlas of Bulgaria');
    // VAT per rate on the discounted lines: 4.32 at 20 % (0.72), 13.50 at 9 % (1.11).
    expect(text).toContain('incl. VAT 20 % of €4.32€0.72');
    expect(text).toContain('incl. VAT 9 % of €13.50€1.11');
    expect(text).toContain('APPROVED');
    await receipt.screenshot({ path: `${SHOTS}/receipt-split-sale.png` });
    await page.emulateMedia({ media: 'print' });
    await receipt.screenshot({ path: `${SHOTS}/receipt-split-sale-print-80mm.png` });
    await page.emulateMedia({ media: 'screen' });

    await expect.poll(async () => (await ledgerSale(id))?.totalCents, { timeout: 10_000 }).toBe(1782);
    expect(await ledgerSale(id)).toMatchObject({ cashKeptCents: 891, cashTenderedCents: 891, cardCents: 891, discount: { kind: 'percent', bp: 1000 }, lines: [{ name: 'Espresso', quantity: 2 }, { name: 'Atlas of Bulgaria', quantity: 1 }] });
    expect((await env.h.payment(id)).amountCents).toBe(891);
  });

  it('a refund from history: part to the card on the terminal, part in cash, never more than was paid', async () => {
    const id = await splitSale();
    await expect.poll(async () => (await ledgerSale(id))?.totalCents, { timeout: 10_000 }).toBe(1782);
    await page.getByRole('link', { name: 'History' }).click();
    await page.getByLabel('Amount').fill('17.82');
    await page.getByTestId('history').getByRole('button', { name: new RegExp(`Open .*${id}`) }).click();
    await expect.poll(() => page.getByTestId('refundable').textContent()).toBe('Left to refund: €8.91 cash, €8.91 card.');
    await page.getByRole('button', { name: 'Refund up to €8.91 to the card' }).click();
    await page.getByLabel('Amount to refund to the card').fill('9.00');
    expect(await page.getByRole('button', { name: /^Refund .* to the card$/ }).isDisabled()).toBe(true);
    await page.getByLabel('Amount to refund to the card').fill('5.00');
    await page.getByRole('button', { name: 'Refund €5.00 to the card' }).click();
    await page.waitForURL(/\/pay\//);
    await expect.poll(() => page.getByTestId('payment-status').textContent(), { timeout: 10_000 }).toBe('Refund approved');
    const refundRuid = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    expect(await env.h.payment(refundRuid)).toMatchObject({ kind: 'refund', originalRuid: id, amountCents: 500, state: 'approved' });

    await page.goto(`${env.h.url}/sales/${encodeURIComponent(id)}`);
    await expect.poll(() => page.getByTestId('refundable').textContent()).toBe('Left to refund: €8.91 cash, €3.91 card.');
    await page.getByRole('button', { name: 'Refund up to €8.91 in cash' }).click();
    await page.getByLabel('Amount to give back in cash').fill('2.00');
    await page.getByRole('button', { name: 'Refund €2.00 in cash' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'give back' }).textContent()).toBe('Refund recorded: give back €2.00 in cash.');
    await expect.poll(() => page.getByTestId('refundable').textContent()).toBe('Left to refund: €6.91 cash, €3.91 card.');
    await page.screenshot({ path: `${SHOTS}/sale-refund-tablet.png` });
  });

  it('closes the day: the Z report CSV adds up to the sales made, and the close is recorded', async () => {
    await env.h.api('POST', '/api/day-closes', { openingFloat: '0.00', countedCash: '0.00' });
    await page.goto(`${env.h.url}/settings`);
    // The shop's name and address, saved at the edge for every till (an admin device).
    await page.getByLabel('Shop name').fill('Demo Corner Shop');
    await page.getByLabel(/^Address/).fill('1 Vitosha Blvd, Sofia');
    await page.getByRole('button', { name: 'Save the shop' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved for every till.' }).count()).toBe(1);
    // A cash sale typed on the keypad, 20.00 handed over for 12.34; then the split sale.
    await page.goto(env.h.url);
    await typeOnKeypad(page, '1234');
    await page.getByLabel(/^Cash received/).fill('20');
    expect(await page.getByTestId('tender-hint').textContent()).toContain('Change due: €7.66');
    await page.getByRole('button', { name: 'Cash €12.34' }).click();
    // The change, full screen, until a tap.
    expect(await page.getByTestId('change').textContent()).toBe('Change €7.66');
    await page.getByTestId('change-overlay').click();
    // Its receipt: the shop's own header (the shop's profile), the cash handed over and the change.
    await page.getByRole('button', { name: 'Receipt of this sale' }).click();
    const cashReceipt = page.getByTestId('receipt');
    expect(await cashReceipt.locator('[data-field="cash"]').textContent()).toBe('€20.00');
    expect(await cashReceipt.locator('[data-field="change"]').textContent()).toBe('€7.66');
    expect(await page.getByTestId('shop-header').textContent()).toBe('Demo Corner Shop\n1 Vitosha Blvd, Sofia');
    await cashReceipt.screenshot({ path: `${SHOTS}/receipt-cash-sale.png` });
    const split = await splitSale();
    await expect.poll(async () => (await ledgerSale(split))?.totalCents, { timeout: 10_000 }).toBe(1782);
    const { body } = await env.h.api<{ sales: LedgerSale[] }>('GET', '/api/sales');
    await expect.poll(async () => (await env.h.api<{ sales: LedgerSale[] }>('GET', '/api/sales')).body.sales.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(body.sales.length);

    await page.getByRole('link', { name: 'Day close' }).click();
    await page.getByLabel('Opening float').fill('100.00');
    await page.getByLabel('Cash counted in the drawer').fill('121.25');
    await page.getByRole('button', { name: 'Close the day' }).click();
    const closes = page.getByTestId('day-closes');
    await expect.poll(() => closes.locator('li').count()).toBeGreaterThan(1);
    await page.screenshot({ path: `${SHOTS}/day-close-tablet.png`, fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), closes.getByRole('link', { name: /^CSV/ }).first().click()]);
    const csv = readFileSync((await download.path()) ?? '', 'utf8');
    const cell = (section: string, key: string) => {
      const row = csv.split('\n').find((line) => line.startsWith(`${section},${key},EUR,`));
      return cents(row?.split(',')[3] ?? 'missing');
    };
    // The sales made since the close before: 12.34 cash, and 17.82 split 8.91 / 8.91.
    expect(csv.split('\n').find((line) => line.startsWith('sales,count,'))).toBe('sales,count,EUR,2');
    expect(cell('sales', 'gross')).toBe(1234 + 1782);
    expect(cell('tender', 'cash')).toBe(1234 + 891);
    expect(cell('tender', 'card')).toBe(891);
    expect(cell('terminal', '90000015')).toBe(891);
    expect(cell('vat', '20% gross') + cell('vat', '9% gross')).toBe(1234 + 1782);
    expect(cell('vat', '9% gross')).toBe(1350);
    expect(cell('total', 'net')).toBe(1234 + 1782);
    expect(cell('drawer', 'expected')).toBe(10_000 + 1234 + 891);
    expect(cell('drawer', 'difference')).toBe(12_125 - (10_000 + 1234 + 891));

    // Recorded: the edge keeps it, and rebuilds the same report from the sales it took.
    const { body: list } = await env.h.api<{ closes: Array<{ no: number }> }>('GET', '/api/day-closes');
    const latest = list.closes[0]?.no ?? 0;
    expect((await env.h.api<{ reproduced: boolean }>('GET', `/api/day-closes/${latest}`)).body.reproduced).toBe(true);
    expect((await env.h.api<{ report: { byCurrency: Record<string, { count: number }> } }>('GET', '/api/day-closes/current')).body.report.byCurrency.EUR?.count).toBe(0);
  });
});
