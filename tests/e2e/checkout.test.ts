import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VIEWPORTS } from '../helpers/browser.js';
import { ROOT, useTillInChromium } from '../helpers/e2e.js';
import { pairContext } from '../helpers/paired-browser.js';
import { openCart, overflowing, saleScreen } from '../helpers/sale-screen.js';
import { customerPageWords } from '../../shared/customer-page-words.js';
import { linkWords } from '../../web/src/lib/messages/link.js';

// Paying on the customer's own phone (myPOS Online Checkout), in Chromium: the till rings up and
// shows the QR code full screen with the amount; the customer opens the link in a second browser
// (a phone, 390x844), pays on the simulator's checkout page with its approving test card; the
// till shows Approved and the receipt, and the ledger holds the sale once. At a tablet's 1280x800
// and a phone's 390x844, in English and Bulgarian; screenshots in test-results/screenshots/checkout-*.

const SHOTS = resolve(ROOT, 'test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
/** The edge asks myPOS about a waiting link every 200 ms here (10 s by default): an outcome with no notification shows soon. */
const env = useTillInChromium({ MYPOS_IPC_POLL_MS: '200' });
const contexts: BrowserContext[] = [];

/** Whole and half euros, as the sale screen tests use. */
const PRODUCTS = [
  ['Espresso', '2.50', 'Drinks'],
  ['Cappuccino', '3.00', 'Drinks'],
  ['Croissant', '2.00', 'Bakery'],
  ['Banitsa with cheese', '3.50', 'Bakery'],
] as const;
/** The simulator's approving test card (edge/simulator/ipc/cards.ts, listed on its checkout page). */
const APPROVING_CARD = '4111111111111111';

beforeAll(async () => {
  for (const [index, [name, price, category]] of PRODUCTS.entries()) await env.h.api('PUT', `/api/products/C-${index}`, { name, price, vatRate: '20', category });
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

async function till(viewport: { width: number; height: number }, language: 'en' | 'bg', terminals?: string[]): Promise<Page> {
  const context = await env.browser.newContext({ viewport });
  contexts.push(context);
  if (terminals) {
    const { token } = await env.h.pairDevice({ role: 'till', terminals, name: 'Phone-only till' });
    await context.addCookies([{ name: 'till_device', value: token, url: env.h.url, httpOnly: true, sameSite: 'Strict' }]);
  } else await pairContext(context, env.h);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.h.url });
  if (language === 'bg') await context.addInitScript(() => localStorage.setItem('till.language', 'bg'));
  const page = await context.newPage();
  page.setDefaultTimeout(8_000);
  await page.goto(env.h.url);
  await saleScreen(page);
  await page.getByTestId('quick-keys').getByRole('button').first().waitFor();
  return page;
}

const tile = (page: Page, name: string) => page.getByTestId('quick-keys').getByRole('button', { name: new RegExp(`^${name}`) });
const ruidOf = (page: Page) => decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
type Box = { x: number; y: number; width: number; height: number };
const inside = (b: Box | null, viewport: { width: number; height: number }) => b !== null && b.x >= 0 && b.y >= 0 && b.x + b.width <= viewport.width && b.y + b.height <= viewport.height;
/** Whether the page scrolls: the main path fits one screen. */
const scrolls = (page: Page) => page.evaluate(() => document.documentElement.scrollHeight > window.innerHeight + 1);
async function ledger(): Promise<Array<{ id: string; totalCents: number; cardCents: number; cashKeptCents: number; paymentRuid?: string; lines: Array<{ name: string; quantity: number }> }>> {
  return (await env.h.api<{ sales: Awaited<ReturnType<typeof ledger>> }>('GET', '/api/sales')).body.sales;
}

const WORDS = {
  en: { payOnline: /^Pay by QR \/ link$/, charge: /^Charge €[0-9.]+$/, amount: /^€7\.50$/, waiting: 'Waiting for the customer to pay', approved: 'Approved', noReceipt: 'No receipt', send: 'Send link', copied: 'Link copied.', cancel: 'Cancel', via: 'QR / link payment' },
  bg: { payOnline: /^Плащане с QR \/ линк$/, charge: /^Плащане с карта [0-9,]+\s€$/, amount: /^7,50\s€$/, waiting: 'Чакаме клиента да плати', approved: 'Одобрено', noReceipt: 'Без бележка', send: 'Изпращане на линка', copied: 'Линкът е копиран.', cancel: 'Отказ', via: 'Плащане с QR / линк' },
} as const;

describe('pay by QR / link', () => {
  const runs = [
    { size: 'tablet', language: 'en' },
    { size: 'phone', language: 'bg' },
    { size: 'phone', language: 'en' },
    { size: 'tablet', language: 'bg' },
  ] as const;
  it.each(runs)('$size in $language: the QR code with the amount, the customer pays on their phone, Approved and the receipt, booked once', async ({ size, language }) => {
    const viewport = VIEWPORTS[size];
    const words = WORDS[language];
    const page = await till(viewport, language);
    const shot = (name: string) => page.screenshot({ path: `${SHOTS}/checkout-${name}-${size}-${language}.png` });

    // Ring up 7.50 and pay by QR / link, beside Cash and Charge.
    await tile(page, 'Espresso').click();
    await tile(page, 'Croissant').click();
    await tile(page, 'Cappuccino').click();
    await openCart(page);
    const payOnline = page.getByRole('button', { name: words.payOnline });
    expect(inside(await payOnline.boundingBox(), viewport)).toBe(true);
    expect(inside(await page.getByRole('button', { name: words.charge }).boundingBox(), viewport)).toBe(true);
    expect(await overflowing(page)).toEqual([]);
    await shot('sale');
    await payOnline.click();
    await page.waitForURL(/\/pay\//);
    const ruid = ruidOf(page);

    // The QR code, large, with the amount, the state and the link's time left: one screen.
    const qr = page.getByTestId('checkout-qr');
    await qr.waitFor();
    expect(await page.getByTestId('checkout-amount').textContent()).toMatch(words.amount);
    expect(await page.getByTestId('payment-status').textContent()).toBe(words.waiting);
    expect(await page.getByTestId('checkout-expiry').textContent()).toMatch(/1[45]:[0-5][0-9]/);
    const code = await qr.boundingBox();
    expect(code?.width ?? 0).toBeGreaterThanOrEqual(240);
    expect(code?.height ?? 0).toBeGreaterThanOrEqual(240);
    expect(inside(code, viewport)).toBe(true);
    expect(inside(await page.getByRole('button', { name: words.send }).boundingBox(), viewport)).toBe(true);
    expect(inside(await page.getByRole('button', { name: words.cancel, exact: true }).boundingBox(), viewport)).toBe(true);
    expect(await scrolls(page)).toBe(false);
    expect(await overflowing(page)).toEqual([]);
    // The QR code is an image that loaded (the edge's SVG).
    expect(await qr.evaluate((image) => (image as HTMLImageElement).complete && (image as HTMLImageElement).naturalWidth > 0)).toBe(true);
    await shot('qr');

    // "Send link": no Web Share in this browser, so the link is copied, and said.
    const url = await page.getByTestId('checkout-url').inputValue();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    await page.getByRole('button', { name: words.send }).click();
    await expect.poll(() => page.getByText(words.copied).count()).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

    // A reload comes back to the same link (kept with the sale on the device).
    await page.reload();
    await qr.waitFor();
    expect(await page.getByTestId('checkout-url').inputValue()).toBe(url);

    // The customer's phone: a second browser, no till cookie, opens the link and pays.
    const phone = await env.browser.newContext({ viewport: VIEWPORTS.phone, locale: language === 'bg' ? 'bg-BG' : 'en-GB' });
    contexts.push(phone);
    const customer = await phone.newPage();
    customer.setDefaultTimeout(8_000);
    await customer.goto(url);
    // The link's page, in the phone's language: the amount and Pay (a link preview starts nothing).
    expect(await customer.locator('.amount').textContent()).toBe('7.50 EUR');
    await customer.screenshot({ path: `${SHOTS}/checkout-link-page-${language}.png`, fullPage: true });
    expect((await env.h.payment(ruid)).state).toBe('accepted');
    await customer.getByRole('button', { name: customerPageWords[language].pay }).click();
    await customer.locator('#card').waitFor();
    expect(await customer.locator('#amount').textContent()).toContain('7.50');
    // The till: the customer is paying; Cancel is gone (myPOS may still take the payment).
    await expect.poll(() => page.getByTestId('payment-status').textContent()).toBe(linkWords[language].states.sent);
    expect(await page.getByText(linkWords[language].paying).count()).toBe(1);
    expect(await page.getByRole('button', { name: linkWords[language].cancel, exact: true }).count()).toBe(0);
    await customer.screenshot({ path: `${SHOTS}/checkout-customer-page-${language}.png`, fullPage: true });
    await customer.locator(`[data-card="${APPROVING_CARD}"]`).click();
    expect(await customer.locator('#card').inputValue()).toBe(APPROVING_CARD);
    await customer.getByRole('button', { name: /^Pay / }).click();
    await customer.locator('[data-state="paid"]').waitFor();
    await customer.screenshot({ path: `${SHOTS}/checkout-customer-paid-${language}.png`, fullPage: true });

    // The till: Approved, the receipt and the receipt choice, on one screen.
    await expect.poll(() => page.getByTestId('payment-status').textContent(), { timeout: 10_000 }).toBe(words.approved);
    const receipt = page.getByTestId('receipt');
    await receipt.waitFor();
    expect(await receipt.textContent()).toContain('Espresso');
    expect(await page.getByText(words.via).count()).toBeGreaterThan(0);
    expect(inside(await page.getByRole('button', { name: words.noReceipt }).boundingBox(), viewport)).toBe(true);
    expect(await overflowing(page)).toEqual([]);
    await shot('approved');
    expect(await env.h.payment(ruid)).toMatchObject({ state: 'approved', transport: 'online', tid: 'ONLINE01', amountCents: 750 });

    // Next sale; the ledger holds the sale once, its card part the online payment.
    await page.getByRole('button', { name: words.noReceipt }).click();
    await page.waitForURL(`${env.h.url}/`);
    await saleScreen(page);
    await expect.poll(async () => (await ledger()).filter((sale) => sale.id === ruid).length, { timeout: 10_000 }).toBe(1);
    const booked = (await ledger()).filter((sale) => sale.id === ruid || sale.paymentRuid === ruid);
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({ totalCents: 750, cardCents: 750, cashKeptCents: 0 });
    expect(booked[0]?.lines.map((line) => line.name).sort()).toEqual(['Cappuccino', 'Croissant', 'Espresso']);
  });

  it('cash received first, the link the rest; Cancel while nobody has paid leaves the screen with the cart as it was', async () => {
    const page = await till(VIEWPORTS.tablet, 'en');
    await tile(page, 'Banitsa with cheese').click();
    await page.getByLabel('Cash received').fill('2');
    await page.getByRole('button', { name: WORDS.en.payOnline }).click();
    await page.waitForURL(/\/pay\//);
    const ruid = ruidOf(page);
    await page.getByTestId('checkout-qr').waitFor();
    expect(await page.getByTestId('checkout-amount').textContent()).toBe('€1.50');
    expect(await page.getByTestId('split').textContent()).toBe('Sale of €3.50: €2.00 paid in cash');
    expect(await env.h.payment(ruid)).toMatchObject({ amountCents: 150, transport: 'online' });
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await page.waitForURL(`${env.h.url}/`);
    await expect.poll(() => page.getByTestId('cart').locator('li').count()).toBe(1);
    expect(await page.getByTestId('cart-total').textContent()).toBe('€3.50');
    // The edge stopped the link: it can no longer be paid (the cart may be paid another way).
    expect(await env.h.payment(ruid)).toMatchObject({ state: 'cancelled', reason: 'cancelled' });
  });

  it('the customer leaves the payment page: the till says so, and offers cash or a new link (a new payment)', async () => {
    const page = await till(VIEWPORTS.phone, 'en');
    await tile(page, 'Cappuccino').click();
    await openCart(page);
    await page.getByRole('button', { name: WORDS.en.payOnline }).click();
    await page.waitForURL(/\/pay\//);
    const first = ruidOf(page);
    const url = await page.getByTestId('checkout-url').inputValue();
    const phone = await env.browser.newContext({ viewport: VIEWPORTS.phone });
    contexts.push(phone);
    const customer = await phone.newPage();
    await customer.goto(url);
    // The link's page: the amount and Pay (a link preview starts nothing).
    await customer.getByRole('button', { name: 'Pay by card' }).click();
    await customer.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByTestId('payment-status').textContent(), { timeout: 10_000 }).toBe('Not paid');
    expect(await page.getByTestId('payment-detail').textContent()).toBe('The card was declined, or the customer left the payment page. Nothing was charged.');
    expect(await page.getByText('QR / link payment').count()).toBe(1);
    expect(await overflowing(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/checkout-cancelled-phone-en.png` });
    await page.getByRole('button', { name: 'New QR / link' }).click();
    await page.waitForURL((next) => next.pathname.startsWith('/pay/') && !next.pathname.endsWith(encodeURIComponent(first)));
    await page.getByTestId('checkout-qr').waitFor();
    expect(await page.getByTestId('checkout-amount').textContent()).toBe('€3.00');
    expect(await page.getByTestId('checkout-url').inputValue()).not.toBe(url);
  });

  it('a till bound only to the online channel sells with it: no terminal to charge on, "Pay by QR / link" in its place', async () => {
    const page = await till(VIEWPORTS.phone, 'en', ['ONLINE01']);
    await tile(page, 'Espresso').click();
    await openCart(page);
    await expect.poll(() => page.getByRole('button', { name: WORDS.en.payOnline }).isEnabled()).toBe(true);
    expect(await page.getByRole('button', { name: WORDS.en.charge }).count()).toBe(0);
    expect(await page.getByRole('option', { name: /ONLINE01/ }).count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/checkout-phone-only-sale-phone-en.png` });
    await page.getByRole('button', { name: WORDS.en.payOnline }).click();
    await page.waitForURL(/\/pay\//);
    await page.getByTestId('checkout-qr').waitFor();
    expect(await page.getByTestId('checkout-amount').textContent()).toBe('€2.50');
  });
});
