import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRuid } from '../../shared/ruid.js';
import type { ZReport } from '../../shared/z-report.js';
import { VIEWPORTS } from '../helpers/browser.js';
import { useTillInChromium } from '../helpers/e2e.js';
import { paidLink } from '../helpers/paid-link.js';
import { pairContext } from '../helpers/paired-browser.js';
import { cardSale, cashSale } from '../helpers/sale-bodies.js';

// A sale paid by link (myPOS Online Checkout), in Chromium: the day close screen shows it as its
// own tender, "Paid by link", apart from the terminals' card, and the sale's receipt says "Paid by
// link" instead of "Card" — opened from the edge on another device, in English and in Bulgarian.

const env = useTillInChromium({ MYPOS_IPC_POLL_MS: '150' });
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  context = await env.browser.newContext({ viewport: VIEWPORTS.tablet });
  await pairContext(context, env.h);
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
}, 60_000);

afterAll(async () => {
  await context.close();
});

describe('a link payment on the screens', () => {
  it('is "Paid by link" in the X report and on the receipt; a day without one shows no such line', async () => {
    await page.goto(`${env.h.url}/day-close`);
    const view = page.getByTestId('z-report').first();
    await view.locator('[data-key="card"]').waitFor();
    expect(await view.locator('[data-key="online"]').count()).toBe(0);

    const linkSale = newRuid();
    expect((await env.h.api('PUT', `/api/sales/${linkSale}`, cardSale('12.30', await paidLink(env.h, '12.30')))).status).toBe(201);
    expect((await env.h.api('PUT', `/api/sales/${newRuid()}`, cashSale('5.00'))).status).toBe(201);
    const { body } = await env.h.api<{ report: ZReport }>('GET', '/api/day-closes/current');
    expect(body.report.byCurrency.EUR).toMatchObject({ cash: '5.00', card: '0.00', online: '12.30' });

    await page.reload();
    await expect.poll(() => view.locator('[data-key="online"]').textContent()).toBe('€12.30');
    expect(await view.locator('[data-key="card"]').textContent()).toBe('€0.00');
    expect(await view.locator('[data-key="online"]').evaluate((cell) => cell.previousElementSibling?.textContent)).toBe('Paid by link');

    // The sale was made on no till of this browser: opened from the edge, its receipt names the link.
    await page.goto(`${env.h.url}/sales/${linkSale}`);
    const receipt = page.getByTestId('receipt').first();
    await receipt.locator('[data-field="card"]').waitFor();
    expect(await receipt.locator('[data-field="card"]').evaluate((cell) => [cell.previousElementSibling?.textContent, cell.textContent])).toEqual(['Paid by link', '€12.30']);
    expect(await receipt.textContent()).not.toContain('Card');

    await page.goto(`${env.h.url}/settings`);
    await page.getByLabel(/Language/).selectOption('bg');
    // The language is kept once its words loaded: only then does a new page open in it.
    await page.waitForFunction(() => document.documentElement.lang === 'bg');
    await page.goto(`${env.h.url}/sales/${linkSale}`);
    await expect.poll(() => page.getByTestId('receipt').first().locator('[data-field="card"]').evaluate((cell) => cell.previousElementSibling?.textContent)).toBe('Платено с линк');
  });
});
