import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VIEWPORTS } from '../helpers/browser.js';
import { ROOT, useTillInChromium } from '../helpers/e2e.js';
import { openCart, typeOnKeypad } from '../helpers/sale-screen.js';

// A new tablet: not paired, pairs with a code, sells; revoked, it shows the unpaired state.


const env = useTillInChromium();

describe('pairing a tablet', () => {
  it('pairs with a code, makes a sale, and after revocation shows the unpaired state', async () => {
    const context = await env.browser.newContext({ viewport: VIEWPORTS.phone });
    const page = await context.newPage();
    page.setDefaultTimeout(5_000);
    await page.goto(env.h.url);
    await page.getByRole('heading', { name: 'This till is not paired' }).waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('sale').count()).toBe(0);

    const { body: code } = await env.h.api<{ code: string }>('POST', '/api/devices/pairing-codes', { role: 'till', terminals: ['90000015'] });
    await page.getByLabel('Pairing code').fill(code.code);
    await page.getByLabel('Name of this till').fill('Counter 2');
    await page.getByRole('button', { name: 'Pair this till' }).click();
    await page.getByTestId('sale').waitFor({ timeout: 5_000 });
    // A till device sees no setup screens.
    expect(await page.getByRole('link', { name: 'Terminals' }).count()).toBe(0);

    // A phone: the keypad tab, then the cart's sheet from the bar at the bottom.
    await typeOnKeypad(page, '990');
    await openCart(page);
    await page.getByRole('button', { name: 'Charge €9.90', exact: true }).click();
    await expect.poll(() => page.getByTestId('payment-status').textContent(), { timeout: 10_000 }).toBe('Approved');

    const { body } = await env.h.api<{ devices: Array<{ id: string; name: string }> }>('GET', '/api/devices');
    const device = body.devices.find((d) => d.name === 'Counter 2');
    expect(device).toBeDefined();
    await env.h.api('POST', `/api/devices/${device?.id}/revoke`);
    // The next request (the sale screen asks for its terminals) is refused: the till says it is unpaired.
    await page.getByRole('link', { name: 'Sale' }).click();
    await page.getByRole('heading', { name: 'This till is not paired' }).waitFor({ timeout: 5_000 });
    await page.reload();
    await page.getByRole('heading', { name: 'This till is not paired' }).waitFor({ timeout: 5_000 });
    await context.close();
  });

  it('pairs from a link, and an admin tablet shows the devices screen with the code and its QR', async () => {
    const context = await env.browser.newContext({ viewport: VIEWPORTS.tablet });
    const page = await context.newPage();
    const { body: code } = await env.h.api<{ code: string; link: string }>('POST', '/api/devices/pairing-codes', { role: 'admin' });
    await page.goto(code.link);
    expect(await page.getByLabel('Pairing code').inputValue()).toBe(code.code);
    await page.getByRole('button', { name: 'Pair this till' }).click();
    await page.getByRole('link', { name: 'Devices' }).click();
    await page.getByRole('button', { name: 'Create code' }).click();
    expect(await page.getByTestId('pairing-code').textContent()).toMatch(/^[A-Z2-9]{10}$/);
    const qr = page.getByRole('img', { name: 'Pairing QR code' });
    await expect.poll(() => qr.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await page.screenshot({ path: resolve(ROOT, 'test-results/screenshots/devices-tablet.png') });
    await context.close();
  });
});
