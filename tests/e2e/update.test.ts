import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VIEWPORTS } from '../helpers/browser.js';
import { ROOT, useTillInChromium } from '../helpers/e2e.js';
import { pairContext } from '../helpers/paired-browser.js';
import { typeOnKeypad } from '../helpers/sale-screen.js';

// A new version of the till arrives while a payment is on the terminal: the prompt waits for the
// payment to end, then the cashier updates and the page reloads onto the new service worker.

// A copy of the build, so this test can deploy a "new version" of the service worker into it.
const webDir = mkdtempSync(join(tmpdir(), 'web-'));
cpSync(resolve(ROOT, 'dist/web'), webDir, { recursive: true });
const env = useTillInChromium({ EDGE_WEB_DIR: webDir });
afterAll(() => rmSync(webDir, { recursive: true, force: true }));

describe('update prompt', () => {
  it('never reloads during a payment; updates after it', async () => {
    const context = await env.browser.newContext({ viewport: VIEWPORTS.tablet });
    await pairContext(context, env.h);
    const page = await context.newPage();
    await page.goto(env.h.url);
    await page.evaluate(async () => navigator.serviceWorker.ready);
    await page.reload();
    const firstWorker = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
    expect(firstWorker).toContain('/sw.js');

    await env.h.sim('/terminals/90000016/mode', { mode: 'manual' });
    await page.getByLabel('Terminal', { exact: true }).selectOption('90000016');
    await typeOnKeypad(page, '500');
    await page.getByRole('button', { name: /^Charge / }).click();
    await expect.poll(() => page.getByTestId('payment-status').textContent()).toBe('Press O on the terminal');

    // A new build is deployed: the service worker's bytes change.
    appendFileSync(join(webDir, 'sw.js'), '\n// version 2\n');
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await expect.poll(() => page.getByText('A new version of the till is ready.').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.getByText('After this payment').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Update now' }).count()).toBe(0);

    await env.h.sim('/terminals/90000016/press-o', {});
    await env.h.sim('/terminals/90000016/card', { outcome: 'approve' });
    await expect.poll(() => page.getByTestId('payment-status').textContent(), { timeout: 5_000 }).toBe('Approved');
    const paymentUrl = page.url();

    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Update now' }).click()]);
    expect(page.url()).toBe(paymentUrl);
    await expect.poll(() => page.getByTestId('payment-status').textContent()).toBe('Approved');
    expect(await page.getByText('A new version of the till is ready.').count()).toBe(0);
    await context.close();
  });
});
