import { mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spkiSha256 } from '../../edge/tools/tls-local.js';
import { screenshotBothSizes, VIEWPORTS } from '../helpers/browser.js';
import { ROOT } from '../helpers/e2e.js';
import { ADMIN_HEADERS, startEdgeHarness, type EdgeHarness } from '../helpers/edge-harness.js';
import { freePort, httpsRequest, launchChromiumWith, makeTestTls, type TestTls } from '../helpers/https-edge.js';
import { typeOnKeypad } from '../helpers/sale-screen.js';

// Issue 17's acceptance: a tablet on the shop network reaches the till at a LAN-style name over
// HTTPS (the edge's own TLS, a certificate from the local CA), pairs through the printed link,
// keeps its Secure device cookie, runs the service worker and Web Locks, and sells by card.
// Chromium resolves till.shop.lan to this machine and accepts the certificate by its public key
// (--ignore-certificate-errors-spki-list treats it as valid: the page is a secure context, which
// plain --ignore-certificate-errors would not give a service worker).

const SHOTS = resolve(ROOT, 'test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
const NAME = 'till.shop.lan';

let dir: string;
let tls: TestTls;
let h: EdgeHarness;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'https-lan-'));
  tls = await makeTestTls(dir, [NAME]);
  // The public URL names the port, so the port is chosen first.
  const port = await freePort();
  origin = `https://${NAME}:${port}`;
  h = await startEdgeHarness({
    EDGE_WEB_DIR: resolve(ROOT, 'dist/web'),
    PAYMENT_STATUS_POLL_MS: '40',
    PORT: String(port),
    EDGE_TLS_CERT_FILE: tls.certFile,
    EDGE_TLS_KEY_FILE: tls.keyFile,
    EDGE_TLS_CA_FILE: tls.caFile,
    EDGE_PUBLIC_URL: origin,
  });
  browser = await launchChromiumWith([`--host-resolver-rules=MAP ${NAME} 127.0.0.1`, `--ignore-certificate-errors-spki-list=${spkiSha256(await readFile(tls.certFile, 'utf8'))}`]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the till over HTTPS on the shop network', () => {
  it('pairs through the printed link, keeps the Secure cookie, runs the service worker and Web Locks, and sells by card', async () => {
    expect(h.edge.pairingLink).toMatch(new RegExp(`^${origin.replace(/\./g, '\\.')}/pair\\?code=[A-Z2-9]{10}$`));
    const context = await browser.newContext({ viewport: VIEWPORTS.tablet });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(h.edge.pairingLink ?? '');
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    expect(new URL(page.url()).origin).toBe(origin);
    await page.getByRole('button', { name: 'Pair this till' }).click();
    // The printed link pairs an admin device: it lands on the setup checklist, then the sale.
    await page.getByRole('heading', { name: 'Set up the shop' }).waitFor();
    await page.getByRole('link', { name: 'Sale', exact: true }).click();
    await page.getByTestId('sale').waitFor();

    // The device cookie is stored: Secure, HttpOnly, for this origin only.
    const cookies = await context.cookies(origin);
    const device = cookies.find((cookie) => cookie.name === 'till_device');
    expect(device).toMatchObject({ domain: NAME, secure: true, httpOnly: true, sameSite: 'Strict' });

    // The service worker controls the page after a reload; Web Locks are there.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 10_000 }).toBe(true);
    expect(await page.evaluate(() => 'locks' in navigator)).toBe(true);
    // Still paired after the reload: the cookie went with the requests.
    await page.getByTestId('sale').waitFor();

    // A card sale through the simulator: the cashier rings up, the customer presses O and pays.
    await h.sim('/terminals/90000016/mode', { mode: 'manual' });
    await page.getByLabel('Terminal', { exact: true }).selectOption('90000016');
    await typeOnKeypad(page, '1250');
    await page.getByRole('button', { name: /^Charge / }).click();
    await page.waitForURL(/\/pay\//);
    const ruid = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const status = page.getByTestId('payment-status');
    await expect.poll(() => status.textContent()).toBe('Press O on the terminal');
    await h.sim('/terminals/90000016/press-o', {});
    await h.sim('/terminals/90000016/card', { outcome: 'approve' });
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe('Approved');
    await expect.poll(() => page.locator('[data-field="auth_code"]').textContent()).toMatch(/^[0-9]{6}$/);
    expect(await page.locator('.status').textContent()).toContain('€12.50');
    const payment = await httpsRequest(`${h.url}/api/payments/${encodeURIComponent(ruid)}`, { ca: tls.ca.certPem, headers: ADMIN_HEADERS });
    expect(payment.json<{ payment: { state: string } }>().payment.state).toBe('approved');
    await screenshotBothSizes(page, `${SHOTS}/https-lan-approved`);
    await context.close();
  }, 60_000);
});
