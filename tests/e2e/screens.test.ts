import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRuid } from '../../shared/ruid.js';
import { VIEWPORTS } from '../helpers/browser.js';
import { ROOT, useTillInChromium } from '../helpers/e2e.js';
import { pairContext } from '../helpers/paired-browser.js';
import { cashSale } from '../helpers/sale-bodies.js';
import type { BrowserContext } from 'playwright-core';

// Every screen of the till at tablet and phone size, in English and Bulgarian: none is wider than
// the screen, each shows its heading, and a screenshot of each is kept to be looked at.

const SHOTS = resolve(ROOT, 'test-results/screenshots/screens');
mkdirSync(SHOTS, { recursive: true });
const env = useTillInChromium();
let context: BrowserContext;

const SCREENS = ['/', '/history', '/day-close', '/terminals', '/devices', '/catalogue', '/settings', '/setup'] as const;

beforeAll(async () => {
  await env.h.api('PUT', '/api/products/P-ESPRESSO', { name: 'Espresso', price: '2.40', vatRate: '20', category: 'Drinks' });
  await env.h.api('PUT', '/api/products/P-BOOK', { name: 'Atlas of Bulgaria', price: '15.00', vatRate: '9', category: 'Books', barcode: '9789543651234' });
  await env.h.api('PUT', `/api/sales/${newRuid()}`, cashSale('12.40'));
  context = await env.browser.newContext({ viewport: VIEWPORTS.tablet });
  await pairContext(context, env.h);
}, 60_000);

afterAll(async () => {
  await context.close();
});

describe('every screen', () => {
  for (const language of ['en', 'bg'] as const) {
    for (const size of ['tablet', 'phone'] as const) {
      it(`fits ${size} in ${language === 'en' ? 'English' : 'Bulgarian'}`, async () => {
        const page = await context.newPage();
        await page.setViewportSize(VIEWPORTS[size]);
        await page.addInitScript((lang) => localStorage.setItem('till.language', lang), language);
        try {
          for (const path of SCREENS) {
            await page.goto(`${env.h.url}${path}`);
            await page.locator('main h1, h1').first().waitFor({ timeout: 10_000 });
            await page.waitForTimeout(150);
            const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
            expect([path, widths.page <= widths.screen]).toEqual([path, true]);
            expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);
            const name = path === '/' ? 'sale' : path.slice(1);
            await page.screenshot({ path: `${SHOTS}/${name}-${language}-${size}.png`, fullPage: true });
          }
        } finally {
          await page.close();
        }
      }, 90_000);
    }
  }
});
