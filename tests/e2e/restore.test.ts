import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRuid } from '../../shared/ruid.js';
import type { ZReport } from '../../shared/z-report.js';
import { launchChromium, VIEWPORTS } from '../helpers/browser.js';
import { ROOT } from '../helpers/e2e.js';
import type { EdgeHarness } from '../helpers/edge-harness.js';
import { freePort } from '../helpers/free-port.js';
import { restorableEdge, RESTORABLE_TID } from '../helpers/restorable-edge.js';
import { cashSale as cashSaleBody } from '../helpers/sale-bodies.js';
import { pairContext } from '../helpers/paired-browser.js';
import { chargeAnyway, clearKeypad, openCart, saleScreen, typeOnKeypad } from '../helpers/sale-screen.js';

// A restore from a backup, in Chromium: two tills (a tablet and a phone, each its own browser
// context paired as its own device) sell, a backup is taken (npm run backup), more sales are booked
// — one by card on terminal 90000015 —, the edge is stopped, its books restored from the backup
// (npm run restore) and the edge started again on the same port (the same origin: the tills keep
// their IndexedDB and their pairing). Reloaded, each till sees the new ledger generation and sends
// again the sales the edge lacks — the card sale once myPOS confirms its payment to the edge. The
// ledger and the X report (by the API and on the day close screen) then hold the sales made, each
// once. The myPOS simulator runs apart from the edge, so it keeps its payments across the restart.

const SHOTS = resolve(ROOT, 'test-results/screenshots');
mkdirSync(SHOTS, { recursive: true });
const port = await freePort();
const books = restorableEdge('restore-e2e-', () => ({ EDGE_WEB_DIR: resolve(ROOT, 'dist/web'), PAYMENT_STATUS_POLL_MS: '40', PORT: String(port) }));
const TID = RESTORABLE_TID;
const edge = (): EdgeHarness => books.edge;

let browser: Browser;
const contexts: BrowserContext[] = [];
let tillA: Page;
let tillB: Page;
let office: Page;

async function newPage(viewport: { width: number; height: number }, role: 'till' | 'admin'): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  await pairContext(context, edge(), role);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('dialog', (dialog) => void dialog.accept());
  return page;
}

beforeAll(async () => {
  expect(edge().url).toBe(`http://127.0.0.1:${port}`);
  browser = await launchChromium();
  tillA = await newPage(VIEWPORTS.tablet, 'till');
  tillB = await newPage(VIEWPORTS.phone, 'till');
  office = await newPage(VIEWPORTS.tablet, 'admin');
}, 60_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
});

interface LedgerSale {
  readonly id: string;
  readonly totalCents: number;
  readonly receiptNo: number;
}

async function ledger(): Promise<LedgerSale[]> {
  const answer = await edge().api<{ sales: LedgerSale[] }>('GET', '/api/sales');
  expect(answer.status).toBe(200);
  return answer.body.sales;
}
const ledgerIds = async () => (await ledger()).map((sale) => sale.id);
const receiptNumbers = async () => Object.fromEntries((await ledger()).map((sale) => [sale.id, sale.receiptNo]));

/** A card sale this till holds as booked whose payment myPOS never made (its number printed, No. 99): written straight into its IndexedDB. */
function putUnconfirmedSale(page: Page, id: string): Promise<void> {
  return page.evaluate(
    (saleId) =>
      new Promise<void>((done, fail) => {
        const open = indexedDB.open('till');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('sales', 'readwrite');
          const at = new Date().toISOString();
          tx.objectStore('sales').put({ id: saleId, tender: 'card', tid: '90000015', currency: 'EUR', amountCents: 500, cardCents: 500, reference: undefined, createdAt: at, completedAt: at, paymentState: 'approved', sync: 'synced', message: undefined, receiptNo: 99 });
          tx.oncomplete = () => {
            db.close();
            done();
          };
          tx.onerror = () => fail(tx.error);
        };
      }),
    id,
  );
}

/** Waits until the ledger holds one sale more than `known`, of that total, and returns its id. */
/** The one sale of `cents` booked since `known` (others the tills send again meanwhile are checked apart). */
async function nextBooked(known: readonly string[], cents: number): Promise<string> {
  const fresh = async () => (await ledger()).filter((sale) => !known.includes(sale.id) && sale.totalCents === cents);
  await expect.poll(async () => (await fresh()).length, { timeout: 10_000 }).toBe(1);
  return (await fresh())[0]?.id ?? '';
}

/** A cash sale rung up on the keypad (on a phone the cart opens from the bottom bar); its id once booked. */
async function cashSale(page: Page, digits: string): Promise<string> {
  const known = await ledgerIds();
  await page.goto(edge().url);
  await saleScreen(page);
  await clearKeypad(page);
  await typeOnKeypad(page, digits);
  await openCart(page);
  await page.getByRole('button', { name: /^Cash / }).click();
  await page.getByText(/^Cash sale of .* recorded\.$/).waitFor();
  return nextBooked(known, Number(digits));
}

/** A card sale on terminal 90000015, approved by the simulator; its id (the payment's ruid) once booked. */
async function cardSale(page: Page, digits: string): Promise<string> {
  const known = await ledgerIds();
  await page.goto(edge().url);
  await saleScreen(page);
  await page.getByLabel('Terminal', { exact: true }).selectOption(TID);
  await clearKeypad(page);
  await typeOnKeypad(page, digits);
  await openCart(page);
  await chargeAnyway(page);
  await expect.poll(() => page.getByTestId('payment-status').textContent(), { timeout: 10_000 }).toBe('Approved');
  const ruid = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
  expect(await nextBooked(known, Number(digits))).toBe(ruid);
  return ruid;
}

/** What a till's IndexedDB holds: its tasks left to send and its sales (`id:sync`, sorted). */
function tillState(page: Page): Promise<{ outbox: number; sales: string[] }> {
  return page.evaluate(
    () =>
      new Promise<{ outbox: number; sales: string[] }>((done, fail) => {
        const open = indexedDB.open('till');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['outbox', 'sales'], 'readonly');
          const outbox = tx.objectStore('outbox').count();
          const sales = tx.objectStore('sales').getAll();
          tx.oncomplete = () => {
            db.close();
            done({ outbox: outbox.result, sales: (sales.result as Array<{ id: string; sync: string }>).map((sale) => `${sale.id}:${sale.sync}`).sort() });
          };
          tx.onerror = () => fail(tx.error);
        };
      }),
  );
}

/** The figures a report view shows, keyed by their data-key (as in books.test.ts). */
async function shown(view: Locator): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const key of ['sales-count', 'gross', 'cash', 'card']) {
    const cell = view.locator(`[data-key="${key}"]`).first();
    if ((await cell.count()) > 0) out[key] = ((await cell.textContent()) ?? '').trim();
  }
  return out;
}

describe('a restore from a backup, in the browser', () => {
  it('two tills sell; after the books are restored from an older backup, the reloaded tills send again what the edge lacks, and the ledger and the X report hold every sale once', async () => {
    // Before the backup: a cash sale on each till.
    const before = [await cashSale(tillA, '300'), await cashSale(tillB, '450')];
    expect((await ledgerIds()).sort()).toEqual([...before].sort());

    const file = books.backup();

    // After the backup: till A sells for cash and by card, till B for cash.
    const after = [await cashSale(tillA, '120'), await cardSale(tillA, '700'), await cashSale(tillB, '990')];
    const paidByCard = after[1] ?? '';
    const all = [...before, ...after];
    expect((await ledgerIds()).sort()).toEqual([...all].sort());
    const printed = await receiptNumbers();

    // The edge stops (the tills stay open, offline for a moment); its books go back to the backup.
    await books.restoreFrom(file);
    expect(edge().url).toBe(`http://127.0.0.1:${port}`);
    expect((await ledgerIds()).sort()).toEqual([...before].sort());
    expect((await edge().api('GET', `/api/payments/${paidByCard}`)).status).toBe(404);
    // Till A also holds a card sale myPOS never made: it is not sent again, but shown to the owner.
    const never = '0123456789ABCDEFGHJKMNPQRS';
    await putUnconfirmedSale(tillA, never);
    // Before the tills compare, the office books a sale: the restored books give it No. 3, the
    // number till A printed for after[0], which will come back under a new one (after the highest
    // printed, 99).
    const meanwhile = newRuid();
    expect(await edge().api('PUT', `/api/sales/${meanwhile}`, cashSaleBody('0.50'))).toMatchObject({ status: 201, body: { sale: { receiptNo: 3 } } });
    // Till A sells at once, maybe before it compared: its sale never takes a number it printed
    // itself (the edge keeps it waiting, 409 ledger_restored, until the till has said them).
    const rightAfter = await cashSale(tillA, '85');

    // Reloaded, the tills compare their sales with the restored ledger and send the missing ones.
    await tillA.reload();
    await tillB.reload();
    await expect.poll(async () => (await ledgerIds()).sort(), { timeout: 20_000 }).toEqual([...all, meanwhile, rightAfter].sort());
    const ids = await ledgerIds();
    expect(ids).toHaveLength(all.length + 2);
    expect(new Set(ids).size).toBe(ids.length);
    // Each sale sent again keeps the number on its printed receipt, but the one the office's took:
    // it, and till A's sale made right after the restore, go after the highest printed (99).
    const numbers = await receiptNumbers();
    const renumbered = [after[0] ?? '', rightAfter];
    expect(renumbered.map((id) => numbers[id]).sort()).toEqual([100, 101]);
    expect(Object.fromEntries(Object.entries(numbers).filter(([id]) => !renumbered.includes(id)))).toEqual({ ...Object.fromEntries(Object.entries(printed).filter(([id]) => id !== after[0])), [meanwhile]: 3 });
    // The card payment, lost with the books, is approved again at the edge on myPOS's word.
    expect(await edge().payment(paidByCard)).toMatchObject({ state: 'approved', amount: '7.00' });

    // The X report: 3.00 + 4.50 + 1.20 + 9.90 + 0.50 + 0.85 in cash, 7.00 by card, each sale once.
    const { body: x } = await edge().api<{ report: ZReport }>('GET', '/api/day-closes/current');
    expect(x.report.byCurrency.EUR).toMatchObject({ count: 7, gross: '26.95', cash: '19.95', card: '7.00' });

    // Each till holds its own sales, all booked, and nothing left to send.
    await expect.poll(() => tillState(tillA)).toEqual({ outbox: 0, sales: [after[0], before[0], paidByCard, never, rightAfter].sort().map((id) => `${id}:synced`) });
    await expect.poll(() => tillState(tillB)).toEqual({ outbox: 0, sales: [after[2], before[1]].sort().map((id) => `${id}:synced`) });
    await expect.poll(() => tillA.getByTestId('synced').count()).toBe(1);

    // The owner is told, on History (and Day close), until dismissed: what each till sent again,
    // and the card sale myPOS did not confirm, by its printed number and amount.
    await tillA.goto(`${edge().url}/history`);
    const noticeA = tillA.getByTestId('restored-notice');
    await expect.poll(() => noticeA.getByTestId('restored-sent').textContent()).toBe('This till sent 2 sales to the books again.');
    expect(await noticeA.getByTestId('restored-unconfirmed').textContent()).toContain('myPOS did not confirm 1 card sale made on this till');
    expect(await noticeA.getByTestId('restored-renumbered').textContent()).toBe('A sale made meanwhile took the printed number of 1 sale sent again: it has a new number in the books.');
    await expect.poll(() => noticeA.getByRole('link').allTextContents()).toEqual([expect.stringMatching(new RegExp(`^No\\. 3 → No\\. ${numbers[after[0] ?? '']} · .* · €1\\.20$`)), expect.stringMatching(/^No\. 99 · .* · €5\.00$/)]);
    // History shows the number in the books and the printed one.
    const renumberedRow = tillA.getByTestId('history').locator('li').filter({ hasText: `No. ${numbers[after[0] ?? '']}` });
    expect(await renumberedRow.getByTestId('printed-as').textContent()).toBe('printed as No. 3');
    expect(await tillA.getByTestId('printed-as').count()).toBe(1);
    // In the list too: that sale is not in the books; the others are.
    const rows = tillA.getByTestId('history').locator('li');
    await expect.poll(() => rows.locator('[data-testid="sale-state"]').allTextContents()).toContain('Not in the books: check with myPOS');
    expect(await rows.filter({ hasText: 'No. 99' }).getByTestId('sale-state').textContent()).toBe('Not in the books: check with myPOS');
    expect(await tillA.getByTestId('history').locator('li[data-sync="not_in_books"]').count()).toBe(1);
    await tillA.screenshot({ path: `${SHOTS}/restore-till-a-history-tablet.png`, fullPage: true });
    // Its own screen says why, and offers no refund.
    await noticeA.getByRole('link').filter({ hasText: 'No. 99' }).click();
    await expect.poll(() => tillA.getByTestId('sale-status').textContent()).toContain('Not in the books: check with myPOS');
    expect(await tillA.getByTestId('not-in-books').textContent()).toContain('myPOS did not confirm its card payment');
    await tillA.screenshot({ path: `${SHOTS}/restore-till-a-sale-not-in-books-tablet.png`, fullPage: true });

    await tillB.goto(`${edge().url}/settings`);
    await tillB.getByLabel(/Language/).selectOption('bg');
    await tillB.waitForFunction(() => document.documentElement.lang === 'bg');
    await tillB.goto(`${edge().url}/history`);
    const noticeB = tillB.getByTestId('restored-notice');
    await expect.poll(() => noticeB.getByTestId('restored-sent').textContent()).toBe('Тази каса изпрати отново 1 продажба към книгите.');
    expect(await noticeB.getByTestId('restored-unconfirmed').count()).toBe(0);
    await tillB.screenshot({ path: `${SHOTS}/restore-till-b-history-phone-bg.png`, fullPage: true });
    // Dismissed, it stays dismissed.
    await noticeB.getByRole('button', { name: 'Разбрах' }).click();
    await expect.poll(() => noticeB.count()).toBe(0);
    await tillB.reload();
    await tillB.getByRole('heading', { level: 1 }).waitFor();
    expect(await tillB.getByTestId('restored-notice').count()).toBe(0);

    // The day close screen shows the same figures as the report.
    await office.goto(`${edge().url}/day-close`);
    const view = office.getByTestId('z-report').first();
    await expect.poll(() => shown(view)).toEqual({ 'sales-count': '7', gross: '€26.95', cash: '€19.95', card: '€7.00' });
    // The owner's day close also lists, shop-wide, the card sale till A holds that myPOS did not
    // confirm (the office never sold it: the edge kept what till A asked), with no dismiss of its own.
    const shopWide = office.getByTestId('restored-notice');
    await expect.poll(() => shopWide.getByTestId('restored-shop').textContent()).toContain('myPOS did not confirm 1 card sale a till made: it is not in this report');
    expect(await shopWide.locator('li').allTextContents()).toEqual([expect.stringMatching(/^€5\.00 · 90000015 · .+ · .+ · not found at myPOS$/)]);
    expect(await shopWide.getByRole('button').count()).toBe(0);
    await office.screenshot({ path: `${SHOTS}/restore-day-close-tablet.png`, fullPage: true });
  }, 60_000);
});
