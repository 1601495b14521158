import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRuid } from '../../shared/ruid.js';
import { screenshotBothSizes, VIEWPORTS } from '../helpers/browser.js';
import { ROOT, useTillInChromium } from '../helpers/e2e.js';
import { pairContext } from '../helpers/paired-browser.js';

// The myPOS doctor from the Terminals screen (issue 16, item 5): an admin checks the connection on a
// cloud terminal against the simulator as a WCF service (SIM_PROFILE=wcf), which refuses the
// documents' signing order; the doctor finds key_index_first and the logical answer order, the
// edge saves and uses them, and a purchase is approved after it. A terminal myPOS does not know in
// cash-register mode gets the words for it. English and Bulgarian, tablet and phone.

const SHOTS = resolve(ROOT, 'test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
const env = useTillInChromium({ SIM_PROFILE: 'wcf' });
let context: BrowserContext;

beforeAll(async () => {
  context = await env.browser.newContext({ viewport: VIEWPORTS.tablet });
  await pairContext(context, env.h);
}, 30_000);

afterAll(async () => {
  await context.close();
});

async function terminalsPage(language: 'en' | 'bg'): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.addInitScript((lang) => localStorage.setItem('till.language', lang), language);
  await page.goto(`${env.h.url}/terminals`);
  await page.getByTestId('doctor').waitFor();
  await page.getByTestId('doctor-using').waitFor();
  return page;
}

async function runCheck(page: Page, tid: string): Promise<void> {
  await page.locator('#doctor-tid').selectOption(tid);
  await page.getByTestId('doctor-run').click();
  await page.getByTestId('doctor-verdict').waitFor({ timeout: 20_000 });
}

/** Nothing on the page is wider than the screen; the table of tries scrolls in its own box (kept scrolled to its end as `<name>-tries-phone.png`). */
async function fitsThePhone(page: Page, name: string): Promise<void> {
  await page.setViewportSize(VIEWPORTS.phone);
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  expect(widths.page).toBeLessThanOrEqual(widths.screen);
  const scroll = page.locator('[data-testid="doctor"] .scroll');
  const box = await scroll.boundingBox();
  expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(VIEWPORTS.phone.width);
  await scroll.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
  await page.getByTestId('doctor').screenshot({ path: `${SHOTS}/${name}-tries-phone.png` });
  await scroll.evaluate((el) => el.scrollTo({ left: 0 }));
  // The element screenshot scrolled the page: back to the top, or the sticky header lands mid-page in a full-page one.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.setViewportSize(VIEWPORTS.tablet);
}

describe('the myPOS doctor on the Terminals screen', () => {
  it('learns the WCF profile on 90000015, which is saved and used: a purchase is approved after it', async () => {
    // Before: the documents' signing order, which this myPOS refuses.
    const before = await env.h.api<{ profile: { signingOrder: string } }>('GET', '/api/mypos/profile');
    expect(before.body.profile.signingOrder).toBe('documented');
    const page = await terminalsPage('en');
    try {
      expect(await page.getByTestId('doctor-using').textContent()).toContain('documented');
      expect(await page.locator('#doctor-tid').inputValue()).toBe('90000015');
      // Cloud terminals only: the LAN one is not offered.
      expect(await page.locator('#doctor-tid option').allTextContents()).toEqual(['90000015', '90000016']);

      // While it runs: the button waits and says how many calls it may make (the answer is held back a moment to see it).
      await page.route('**/api/mypos/doctor', async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 600));
        await route.continue();
      });
      await page.getByTestId('doctor-run').click();
      await expect.poll(() => page.getByTestId('doctor').getByRole('status').textContent()).toBe('Checking… up to 10 calls to myPOS');
      expect(await page.getByTestId('doctor-run').isDisabled()).toBe(true);
      await page.getByTestId('doctor').screenshot({ path: `${SHOTS}/terminals-doctor-busy-en-tablet.png` });
      await expect.poll(() => page.getByTestId('doctor-verdict').count(), { timeout: 20_000 }).toBe(1);
      expect(await page.getByTestId('doctor').getByRole('status').textContent()).toBe('');
      const verdict = page.getByTestId('doctor-verdict');
      expect(await verdict.getAttribute('data-diagnosis')).toBe('ok');
      expect(await verdict.textContent()).toBe('myPOS accepts the calls on 90000015: card payments work with the settings found, saved for every till.');
      expect(await verdict.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(29, 107, 58)');
      const checks = await page.getByTestId('doctor-checks').locator('li').allTextContents();
      expect(checks.some((line) => /WSDL read \(6 operations\)/.test(line))).toBe(true);
      expect(checks.some((line) => /myPOS certificate valid until/.test(line))).toBe(true);
      // The documents' order is refused (51), key_index first is accepted.
      const rows = await page.getByTestId('doctor-tries').locator('tbody tr').allTextContents();
      expect(rows).toHaveLength(2);
      expect(rows[0]).toContain('documented');
      expect(rows[0]).toContain('status 51 SIGNATURE_VERIFICATION_FAILED');
      expect(rows[1]).toContain('key_index_first');
      expect(rows[1]).toContain('answer verified (logical)');
      await expect.poll(() => page.getByTestId('doctor-using').textContent()).toContain('learned');
      const using = (await page.getByTestId('doctor-using').textContent()) ?? '';
      expect(using).toContain('key_index_first');
      expect(using).toContain('logical');
      expect(using).toContain('urnIPayService/IPayService/MPRGetTxnStatus');
      await fitsThePhone(page, 'terminals-doctor-ok-en');
      await screenshotBothSizes(page, `${SHOTS}/terminals-doctor-ok-en`);
    } finally {
      await page.close();
    }

    // The edge uses what the doctor found: a purchase on the WCF simulator is approved.
    const after = await env.h.api<{ profile: { signingOrder: string; answerOrder: string }; sources: Record<string, string> }>('GET', '/api/mypos/profile');
    expect(after.body.profile).toMatchObject({ signingOrder: 'key_index_first', answerOrder: 'logical' });
    expect(after.body.sources).toMatchObject({ signingOrder: 'learned', answerOrder: 'learned' });
    const ruid = newRuid();
    expect((await env.h.api('POST', '/api/payments', { ruid, tid: '90000015', amount: '4.20' })).status).toBe(202);
    expect((await env.h.waitFor(ruid, ['approved', 'declined', 'failed', 'unknown'], 10_000)).state).toBe('approved');
  }, 60_000);

  it('a terminal not in cash-register mode: the calls work, the terminal is named with what to do', async () => {
    // Connected on the till (waiting for its code), not yet on the device.
    expect((await env.h.api('POST', '/api/terminals', { tid: '90000017', currency: 'BGN' })).status).toBe(201);
    const page = await terminalsPage('en');
    try {
      await runCheck(page, '90000017');
      const verdict = page.getByTestId('doctor-verdict');
      expect(await verdict.getAttribute('data-diagnosis')).toBe('terminal_not_subscribed');
      expect(await verdict.textContent()).toContain('terminal 90000017 still waits for its code: type the code shown in the list below on the terminal');
      expect(await verdict.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(163, 35, 29)');
      await fitsThePhone(page, 'terminals-doctor-not-subscribed-en');
      await screenshotBothSizes(page, `${SHOTS}/terminals-doctor-not-subscribed-en`);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('in Bulgarian: the same checks in Bulgarian words, nothing wider than the phone', async () => {
    for (const tid of ['90000015', '90000017']) {
      const page = await terminalsPage('bg');
      try {
        await runCheck(page, tid);
        const doctor = page.getByTestId('doctor');
        const text = (await doctor.innerText()) ?? '';
        expect(await page.getByTestId('doctor-verdict').textContent()).toMatch(tid === '90000015' ? /^myPOS приема заявките за 90000015/ : /терминал 90000017 все още чака кода си/);
        for (const english of ['Check the connection', 'Now used', 'What was tried', 'Signing order', 'Answer order', 'answers', 'valid until', 'Clock', 'status ', 'verified', 'learned', 'Terminal']) expect(text, english).not.toContain(english);
        const name = `terminals-doctor-${tid === '90000015' ? 'ok' : 'not-subscribed'}-bg`;
        await fitsThePhone(page, name);
        await screenshotBothSizes(page, `${SHOTS}/${name}`);
      } finally {
        await page.close();
      }
    }
  }, 60_000);
});
