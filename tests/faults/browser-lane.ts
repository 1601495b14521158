import type { Page } from 'playwright-core';
import { launchChromium, VIEWPORTS } from '../helpers/browser.js';
import { launchChromiumWith } from '../helpers/https-edge.js';
import { tillSales, type TillSale } from '../helpers/till-db.js';
import { chargeAnyway, clearKeypad, saleScreen, typeOnKeypad } from '../helpers/sale-screen.js';

// The fault run's browser share: the real till in Chromium rings up card sales on its own
// terminal while the same faults hit it, and the tablet itself misbehaves — reloaded in the middle
// of a payment, or losing its network for a moment. What the till's IndexedDB says at the end is
// reconciled like the API clients' view.

export interface BrowserSale {
  readonly ruid: string;
  readonly tid: string;
  readonly amount: string;
}

export interface BrowserLane {
  ringUp(tid: string, amount: string, fault: 'none' | 'reload' | 'offline'): Promise<BrowserSale>;
  /** The till's own records, once its outbox is empty (or the deadline passed). */
  localSales(timeoutMs: number): Promise<TillSale[]>;
  close(): Promise<void>;
}

const FINAL_TEXT = /^(Approved|Declined|Not started|Cancelled|Not sent)$|^Terminal busy with another sale/;


/** Outbox tasks plus card sales the till still sees in flight: the till has work left while > 0. */
function unfinishedCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const request = indexedDB.open('till');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const tx = request.result.transaction(['outbox', 'sales']);
          const tasks = tx.objectStore('outbox').count();
          const sales = tx.objectStore('sales').getAll();
          tx.oncomplete = () => {
            const inFlight = (sales.result as Array<{ paymentState?: string }>).filter((sale) => ['accepted', 'sent', 'pin', 'unknown'].includes(sale.paymentState ?? '')).length;
            resolve(tasks.result + inFlight);
            request.result.close();
          };
        };
      }),
  );
}

/** `chromiumArgs`: for an HTTPS edge, the flag that makes Chromium trust the run's certificate. */
export async function openBrowserLane(base: string, pairToken: string, chromiumArgs: readonly string[] = []): Promise<BrowserLane> {
  const browser = chromiumArgs.length > 0 ? await launchChromiumWith(chromiumArgs) : await launchChromium();
  const context = await browser.newContext({ viewport: VIEWPORTS.tablet });
  await context.addCookies([{ name: 'till_device', value: pairToken, url: base, httpOnly: true, sameSite: 'Strict', secure: base.startsWith('https:') }]);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(base);
  await saleScreen(page);
  await page.evaluate(async () => navigator.serviceWorker.ready);
  await page.reload();
  // Back to the sale screen; the service worker answers while the edge is down.
  const home = async () => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await page.goto(base);
        return;
      } catch (error) {
        if (attempt > 20) throw error;
        await page.waitForTimeout(250);
      }
    }
  };
  return {
    async ringUp(tid, amount, fault) {
      await home();
      await saleScreen(page);
      await page.getByLabel('Terminal', { exact: true }).selectOption(tid);
      await clearKeypad(page);
      await typeOnKeypad(page, amount.replace('.', '').replace(/^0+/, ''));
      // The same amount again on the terminal within two minutes is asked first: the cashier charges.
      await chargeAnyway(page);
      const ruid = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
      if (fault === 'reload') await page.reload();
      if (fault === 'offline') {
        await context.setOffline(true);
        await page.waitForTimeout(400);
        await context.setOffline(false);
      }
      // The cashier waits for the verdict (the outbox and the event stream carry it through restarts).
      const deadline = Date.now() + 90_000;
      for (;;) {
        const text = (await page.getByTestId('payment-status').textContent({ timeout: 5_000 }).catch(() => '')) ?? '';
        if (FINAL_TEXT.test(text.trim())) break;
        if (Date.now() > deadline) break;
        await page.waitForTimeout(200);
      }
      await home();
      return { ruid, tid, amount };
    },
    async localSales(timeoutMs) {
      // Until the till's own records say it is done (the badge on screen may not be drawn yet).
      const deadline = Date.now() + timeoutMs;
      while ((await unfinishedCount(page)) > 0 && Date.now() < deadline) await page.waitForTimeout(250);
      return tillSales(page);
    },
    async close() {
      await browser.close();
    },
  };
}

