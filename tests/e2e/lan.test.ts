import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Payment } from '../../shared/payments.js';
import { VIEWPORTS } from '../helpers/browser.js';
import { ROOT, useTillInChromium } from '../helpers/e2e.js';
import { pairContext } from '../helpers/paired-browser.js';
import { typeOnKeypad } from '../helpers/sale-screen.js';

// The LAN terminal in demo mode (the iqom Payment Interface stand-in): the till holds an amount,
// then charges part of it, and the completion is booked in the ledger.

const SHOTS = resolve(ROOT, 'test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
const env = useTillInChromium();
let context: BrowserContext;
let page: Page;

beforeEach(async () => {
  context = await env.browser.newContext({ viewport: VIEWPORTS.tablet });
  await pairContext(context, env.h);
  page = await context.newPage();
  page.setDefaultTimeout(5_000);
  return async () => {
    await context.close();
  };
});

const ruidInUrl = () => decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');

describe('a LAN terminal in Chromium', () => {
  it('pre-authorises 50.00, then completes 42.50 of it; the completion is booked as a sale', async () => {
    const sim = env.h.edge.lanSimulator;
    if (!sim) throw new Error('demo mode starts the LAN simulator');
    await page.goto(env.h.url);
    await page.getByLabel('Terminal', { exact: true }).selectOption('LAN00001');
    await typeOnKeypad(page, '5000');
    // Pre-authorisation folds under More, with the reference.
    await page.getByRole('button', { name: 'More', exact: true }).click();
    await page.getByRole('button', { name: 'Pre-authorise €50.00' }).click();
    await page.waitForURL(/\/pay\//);
    const preauth = ruidInUrl();
    await expect.poll(() => page.getByTestId('payment-status').textContent(), { timeout: 10_000 }).toBe('Amount held');
    expect(await page.getByTestId('payment-kind').textContent()).toBe('Pre-authorisation');
    const code = (await env.h.payment(preauth)).receipt?.ref ?? '';
    expect(sim.simulator.preauths.get(code)).toBe(5000);
    expect(await page.getByRole('button', { name: 'Void payment' }).count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/lan-preauth-held-tablet.png` });

    await page.getByLabel('Amount to charge (at most the amount held)').fill('50.01');
    expect(await page.getByRole('button', { name: /^Charge .* of the hold$/ }).isDisabled()).toBe(true);
    await page.getByLabel('Amount to charge (at most the amount held)').fill('42.50');
    await page.getByRole('button', { name: 'Charge €42.50 of the hold' }).click();
    await expect.poll(() => ruidInUrl()).not.toBe(preauth);
    const completion = ruidInUrl();
    await expect.poll(() => page.getByTestId('payment-status').textContent(), { timeout: 10_000 }).toBe('Approved');
    expect(await env.h.payment(completion)).toMatchObject<Partial<Payment>>({ kind: 'completion', originalRuid: preauth, amountCents: 4250, state: 'approved' });
    expect(sim.simulator.ledger.at(-1)).toMatchObject({ command: 'preauthcompletion', cents: 4250 });
    expect(sim.simulator.preauths.has(code)).toBe(false);
    await page.screenshot({ path: `${SHOTS}/lan-completion-tablet.png` });

    // Booked through the outbox like any card sale: one amount line, since part of the hold was charged.
    await expect
      .poll(async () => (await env.h.api<{ sales: Array<{ id: string; cardCents: number; tid: string }> }>('GET', '/api/sales')).body.sales.find((sale) => sale.id === completion), { timeout: 10_000 })
      .toMatchObject({ cardCents: 4250, tid: 'LAN00001' });
  });
});
