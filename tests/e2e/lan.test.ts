import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Payment } from '../../shared/payments.js';
import { newRuid } from '../../shared/ruid.js';
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

describe('settling by hand a cloud payment myPOS and the terminal disagree about', () => {
  it('an admin gets the same buttons as for a LAN payment and records it as not charged; a till device only reads the words', async () => {
    // The purchase never reaches myPOS; MPRGetTxnStatus answers 4, the cancel's 4 cannot be verified.
    await env.h.sim('/faults', { kind: 'drop_request', method: 'MPRPurchase', count: 50 });
    await env.h.sim('/faults', { kind: 'bad_signature', method: 'MPRCancel', count: 50 });
    const ruid = newRuid();
    try {
      expect((await env.h.api('POST', '/api/payments', { ruid, tid: '90000016', amount: '12.34' })).status).toBe(202);
      await expect.poll(async () => (await env.h.payment(ruid)).reason, { timeout: 10_000 }).toBe('check_terminal');
    } finally {
      await fetch(`${env.h.simUrl}/sim/faults`, { method: 'DELETE' });
    }

    const tillContext = await env.browser.newContext({ viewport: VIEWPORTS.tablet });
    try {
      await pairContext(tillContext, env.h, 'till');
      const tillPage = await tillContext.newPage();
      tillPage.setDefaultTimeout(5_000);
      await tillPage.goto(`${env.h.url}/pay/${ruid}`);
      await expect.poll(() => tillPage.getByTestId('payment-detail').textContent()).toContain('myPOS and the terminal disagree about this payment');
      expect(await tillPage.getByRole('button', { name: 'It was not charged' }).count()).toBe(0);
    } finally {
      await tillContext.close();
    }

    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${env.h.url}/pay/${ruid}`);
    await expect.poll(() => page.getByTestId('payment-detail').textContent()).toContain("Look at the terminal's screen before charging again");
    await expect.poll(() => page.getByRole('heading', { name: 'Check the terminal' }).count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/cloud-check-terminal-tablet.png` });
    await page.getByRole('button', { name: 'It was not charged' }).click();
    await expect.poll(() => page.getByTestId('payment-status').textContent()).toBe('Declined');
    expect(await page.getByTestId('payment-detail').textContent()).toBe('Not charged (checked on the terminal).');
    expect(await env.h.payment(ruid)).toMatchObject({ state: 'declined', reason: 'checked_not_charged' });
  });
});
