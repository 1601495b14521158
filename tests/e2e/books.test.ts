import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRuid } from '../../shared/ruid.js';
import type { ZReport } from '../../shared/z-report.js';
import { VIEWPORTS } from '../helpers/browser.js';
import { ROOT, useTillInChromium } from '../helpers/e2e.js';
import { pairContext } from '../helpers/paired-browser.js';
import { expectReportReconciled } from '../helpers/z-identities.js';
import { clearKeypad, saleScreen, typeOnKeypad } from '../helpers/sale-screen.js';

// A mixed day in Chromium, and its books: cash and card sales rung up on the till, a card refund, a
// void, a cash refund, and a sale made offline that syncs after the close. The X report on screen,
// the Z report on screen, its print layout and its CSV all show the figures of the edge's one
// report object, and they reconcile.

const SHOTS = resolve(ROOT, 'test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
const env = useTillInChromium({ EDGE_SHOP_NAME: 'Corner Café' });
let tillContext: BrowserContext;
let officeContext: BrowserContext;
let till: Page;
let office: Page;

beforeAll(async () => {
  await env.h.api('POST', '/api/day-closes', { openingFloat: '0.00', countedCash: '0.00' });
  tillContext = await env.browser.newContext({ viewport: VIEWPORTS.tablet, acceptDownloads: true });
  officeContext = await env.browser.newContext({ viewport: VIEWPORTS.tablet, acceptDownloads: true });
  await pairContext(tillContext, env.h);
  await pairContext(officeContext, env.h);
  till = await tillContext.newPage();
  office = await officeContext.newPage();
  for (const page of [till, office]) {
    page.setDefaultTimeout(10_000);
    page.on('dialog', (dialog) => void dialog.accept());
  }
}, 60_000);

afterAll(async () => {
  await tillContext.close();
  await officeContext.close();
});

async function typeAmount(digits: string): Promise<void> {
  await clearKeypad(till);
  await typeOnKeypad(till, digits);
}

async function cashSale(digits: string): Promise<void> {
  await typeAmount(digits);
  await till.getByRole('button', { name: /^Cash / }).click();
  await till.getByText(/^Cash sale of .* recorded\.$/).waitFor();
}

async function cardSale(digits: string): Promise<string> {
  await till.goto(env.h.url);
  await till.getByLabel('Terminal', { exact: true }).selectOption('90000015');
  await typeAmount(digits);
  await till.getByRole('button', { name: /^Charge / }).click();
  await till.waitForURL(/\/pay\//);
  await expect.poll(() => till.getByTestId('payment-status').textContent(), { timeout: 10_000 }).toBe('Approved');
  return decodeURIComponent(new URL(till.url()).pathname.split('/').pop() ?? '');
}

const booked = async (id: string) => (await env.h.api('GET', `/api/sales/${encodeURIComponent(id)}`)).status === 200;
const money = (amount: string) => `€${amount.replace('-', '')}`;
const back = (amount: string) => (amount === '0.00' ? '€0.00' : `−€${amount}`);

/** The figures a report view shows, as text, keyed by their data-key. */
async function shown(view: Locator): Promise<Record<string, string>> {
  const keys = ['sales-count', 'gross', 'refunds', 'voids', 'net', 'cash', 'card', 'expected', 'difference'];
  const out: Record<string, string> = {};
  for (const key of keys) {
    const cell = view.locator(`[data-key="${key}"]`).first();
    if ((await cell.count()) > 0) out[key] = ((await cell.textContent()) ?? '').trim();
  }
  return out;
}

/** What a report view must show for the edge's report object. */
function expected(report: ZReport): Record<string, string> {
  const eur = report.byCurrency.EUR;
  if (!eur) throw new Error('no EUR figures');
  return {
    'sales-count': String(eur.count),
    gross: money(eur.gross),
    refunds: back(eur.refunds),
    voids: back(eur.voids),
    net: money(eur.net),
    cash: money(eur.cash),
    card: money(eur.card),
    expected: money(report.drawer.expected),
    ...(report.drawer.difference === undefined ? {} : { difference: money(report.drawer.difference) }),
  };
}

describe('a mixed day and its books', () => {
  it('shows the same reconciled figures in the X report, the Z report, its print layout and its CSV; a late offline sale lands in the next Z', async () => {
    await till.goto(env.h.url);
    await till.evaluate(async () => navigator.serviceWorker.ready);
    await till.reload();
    await saleScreen(till);

    // Cash 10.00; card 20.00; card 5.00 voided; 4.00 of the 20.00 back to the card; 3.00 of the cash back.
    await cashSale('1000');
    const card = await cardSale('2000');
    const voided = await cardSale('500');
    await expect.poll(() => booked(voided), { timeout: 10_000 }).toBe(true);
    expect((await env.h.api('POST', `/api/payments/${voided}/cancel`)).status).toBe(200);
    const refund = newRuid();
    await expect.poll(() => booked(card), { timeout: 10_000 }).toBe(true);
    expect((await env.h.api('POST', '/api/refunds', { ruid: refund, originalRuid: card, amount: '4.00' })).status).toBe(202);
    await env.h.waitFor(refund, ['approved']);
    const { body: cashSales } = await env.h.api<{ sales: Array<{ id: string; totalCents: number; cashKeptCents: number }> }>('GET', '/api/sales');
    const cashId = cashSales.sales.find((sale) => sale.totalCents === 1000 && sale.cashKeptCents === 1000)?.id ?? '';
    expect((await env.h.api('POST', `/api/sales/${cashId}/cash-refunds`, { id: newRuid(), amount: '3.00' })).status).toBe(201);

    // A sale made while the till is offline: the books do not have it yet.
    await till.goto(env.h.url);
    await saleScreen(till);
    await tillContext.setOffline(true);
    await expect.poll(() => till.getByTestId('connection').textContent()).toBe('Offline');
    await cashSale('750');

    // The X report on the office's screen.
    await office.goto(`${env.h.url}/day-close`);
    await office.getByLabel('Opening float').fill('50.00');
    await office.getByLabel('Opening float').blur();
    await office.getByLabel('Cash counted in the drawer').fill('57.00');
    await office.getByLabel('Cash counted in the drawer').blur();
    const { body: x } = await env.h.api<{ report: ZReport }>('GET', '/api/day-closes/current?openingFloat=50.00&countedCash=57.00');
    expectReportReconciled(x.report);
    expect(x.report.byCurrency.EUR).toMatchObject({ count: 3, gross: '35.00', refunds: '7.00', voids: '5.00', net: '23.00', cash: '7.00', card: '16.00' });
    expect(x.report.drawer).toMatchObject({ expected: '57.00', difference: '0.00' });
    const xView = office.getByTestId('z-report').first();
    await expect.poll(() => shown(xView)).toEqual(expected(x.report));
    await office.screenshot({ path: `${SHOTS}/books-x-report-tablet.png`, fullPage: true });

    // Close the day: the Z report shows the same figures, on screen and in its print layout.
    await office.getByRole('button', { name: 'Close the day' }).click();
    const closes = office.getByTestId('day-closes');
    await expect.poll(() => closes.locator('li').count()).toBeGreaterThan(1);
    const { body: list } = await env.h.api<{ closes: Array<{ no: number; report: ZReport }> }>('GET', '/api/day-closes');
    const z = list.closes[0];
    if (!z) throw new Error('no close');
    expect({ ...z.report.byCurrency, period: undefined }).toEqual({ ...x.report.byCurrency, period: undefined });
    // The report just closed opens by itself.
    expect(await closes.getByRole('button', { name: `Hide Z ${z.no}` }).getAttribute('aria-expanded')).toBe('true');
    const zView = closes.getByTestId('z-report');
    expect(await shown(zView)).toEqual(expected(z.report));
    await office.emulateMedia({ media: 'print' });
    const printable = closes.locator('.printable');
    expect(await printable.isVisible()).toBe(true);
    expect(await shown(printable)).toEqual(expected(z.report));
    await printable.screenshot({ path: `${SHOTS}/books-z-report-print.png` });
    await office.emulateMedia({ media: 'screen' });

    // Its CSV: the shop, the Z number, the period and the currency first, then the same figures.
    const [download] = await Promise.all([office.waitForEvent('download'), closes.getByRole('link', { name: `CSV Z ${z.no}` }).click()]);
    const csv = readFileSync((await download.path()) ?? '', 'utf8').trim().split('\n');
    expect(csv.slice(0, 6)).toEqual(['section,key,currency,value', 'report,shop,,Corner Café', `report,z,,${z.no}`, `report,from,,${z.report.period.from ?? ''}`, `report,to,,${z.report.period.to}`, 'report,currency,,EUR']);
    const cell = (section: string, key: string) => csv.find((line) => line.startsWith(`${section},${key},EUR,`))?.split(',')[3];
    const eur = z.report.byCurrency.EUR;
    expect([cell('sales', 'count'), cell('sales', 'gross'), cell('refunds', 'total'), cell('voids', 'total'), cell('total', 'net'), cell('tender', 'cash'), cell('tender', 'card'), cell('drawer', 'expected')]).toEqual([
      String(eur?.count),
      eur?.gross,
      eur?.refunds,
      eur?.voids,
      eur?.net,
      eur?.cash,
      eur?.card,
      z.report.drawer.expected,
    ]);
    expect(cell('terminal', 'cash drawer')).toBe('7.00');
    expect(cell('terminal', '90000015')).toBe('16.00');

    // The offline sale syncs after the close: it lands in the next period, and the Z does not change.
    await tillContext.setOffline(false);
    await expect.poll(async () => (await env.h.api<{ report: ZReport }>('GET', '/api/day-closes/current')).body.report.byCurrency.EUR?.gross, { timeout: 15_000 }).toBe('7.50');
    const again = await env.h.api<{ close: { report: ZReport }; reproduced: boolean }>('GET', `/api/day-closes/${z.no}`);
    expect(again.body.reproduced).toBe(true);
    expect(again.body.close.report).toEqual(z.report);
    await office.reload();
    await expect.poll(() => shown(office.getByTestId('z-report').first())).toMatchObject({ 'sales-count': '1', gross: '€7.50', cash: '€7.50' });
    await office.setViewportSize(VIEWPORTS.phone);
    await office.screenshot({ path: `${SHOTS}/books-day-close-phone.png`, fullPage: true });
  });
});
