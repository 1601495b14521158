import type { Page } from 'playwright-core';
import { resolve } from 'node:path';
import type { Payment } from '../../shared/payments.js';
import type { SimExchange } from '../../edge/simulator/soap-endpoint.js';
import type { SimTxn } from '../../edge/simulator/terminals.js';
import { prng } from '../fuzz/mutate.js';
import { launchChromium, VIEWPORTS } from '../helpers/browser.js';
import { startEdgeHarness, type EdgeHarness } from '../helpers/edge-harness.js';
import { pairContext } from '../helpers/paired-browser.js';
import { percentile } from './edge-bench.js';

// Payment latency as a cashier sees it: the real till in Chromium, the edge with its default
// status schedule, the simulator at a cardholder's real speed (SIM_TIME_SCALE=1) in manual mode,
// driven through its control API as the cashier (O) and the cardholder (card, PIN) would, after
// random pauses so every phase of the status schedule is sampled. Each figure is a difference of
// two clocks of this machine: the page's (the tap on Charge, the moment "Approved" is in the DOM)
// and the simulator's (the request reached the terminal; the card was approved; the PIN entered).
//  (a) tap Charge -> the simulator's terminal has the MPRPurchase
//  (b) card approved at the simulator -> the till shows Approved
//  (c) PIN entered at the simulator -> the till shows Approved
// Runs alone: `npx tsx tests/bench/payment-latency-bench.ts` (BENCH_PAYMENTS, BENCH_EDGE_PORT,
// BENCH_SIM_PORT, BENCH_LAN_PORT); `npm run bench` includes it.

const root = resolve(import.meta.dirname, '../..');
const TID = '90000016';

export interface Figures {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface PaymentLatencyResult {
  /** Card-only payments and PIN payments, each this many. */
  readonly payments: number;
  readonly requestAtTerminal: Figures;
  readonly cardToTill: Figures;
  readonly pinToTill: Figures;
  /** Of (b) and (c) together: the edge's part (until the payment is approved there) and the till's (SSE and render). */
  readonly edgePart: Figures;
  readonly tillPart: Figures;
  /** MPRGetTxnStatus calls per payment (the rate budget's cost). */
  readonly statusCallsPerPayment: Figures;
  /** Every measurement, in the order taken (ms). */
  readonly samples: { readonly requestAtTerminal: number[]; readonly cardToTill: number[]; readonly pinToTill: number[] };
}

function figures(values: number[]): Figures {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Set in every document of the till: when Charge was tapped, and when "Approved" appeared. */
const PAGE_PROBE = () => {
  const probe = { tap: 0, approved: 0 };
  (window as unknown as { __latency: typeof probe }).__latency = probe;
  document.addEventListener(
    'click',
    (event) => {
      const button = (event.target as Element | null)?.closest('button');
      if (button && /^Charge\b/.test(button.textContent?.trim() ?? '')) probe.tap = Date.now();
    },
    true,
  );
  new MutationObserver(() => {
    if (probe.tap === 0 || probe.approved !== 0) return;
    if (document.querySelector('[data-testid="payment-status"]')?.textContent?.trim() === 'Approved') probe.approved = Date.now();
  }).observe(document, { subtree: true, childList: true, characterData: true });
};

async function pendingTxn(h: EdgeHarness, since: number): Promise<SimTxn> {
  for (let i = 0; i < 2_000; i++) {
    const { pending } = await h.sim<{ pending: SimTxn | null }>(`/terminals/${TID}`);
    if (pending && pending.createdAt >= since) return pending;
    await sleep(5);
  }
  throw new Error('the request never reached the simulated terminal');
}

async function ringUp(page: Page, url: string, cents: number): Promise<void> {
  await page.goto(url);
  const terminal = page.getByLabel('Terminal', { exact: true });
  await terminal.waitFor();
  await terminal.selectOption(TID);
  // Typed on the sale screen with nothing focused, as on a keyboard: the keypad takes the digits.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Escape');
  await page.keyboard.type(String(cents), { delay: 60 });
}

export async function paymentLatencyBench(count = Number(process.env.BENCH_PAYMENTS ?? 20)): Promise<PaymentLatencyResult> {
  // Empty values: the edge's default timings (FAST_ENV's test ones cleared), the simulator at real speed.
  const h = await startEdgeHarness({
    EDGE_WEB_DIR: resolve(root, 'dist/web'),
    PORT: process.env.BENCH_EDGE_PORT ?? '0',
    SIM_PORT: process.env.BENCH_SIM_PORT ?? '0',
    SIM_LAN_PORT: process.env.BENCH_LAN_PORT ?? '0',
    SIM_TIME_SCALE: '1',
    PAYMENT_STATUS_FIRST_MS: '',
    PAYMENT_STATUS_POLL_MS: '',
    PAYMENT_PIN_FIRST_MS: '',
    PAYMENT_PIN_POLL_MS: '',
    PAYMENT_PIN_WINDOW_MS: '',
    PAYMENT_UNKNOWN_POLL_MS: '',
    PAYMENT_UNKNOWN_POLL_MAX_MS: '',
    MYPOS_RETRY_DELAY_MS: '',
    MYPOS_REQUEST_TIMEOUT_MS: '',
    EDGE_SSE_PING_MS: '',
  });
  const browser = await launchChromium();
  const random = prng(20261202);
  const between = (low: number, high: number) => low + random() * (high - low);
  const requestAtTerminal: number[] = [];
  const cardToTill: number[] = [];
  const pinToTill: number[] = [];
  const edgePart: number[] = [];
  const tillPart: number[] = [];
  const statusCalls: number[] = [];
  try {
    await h.sim(`/terminals/${TID}/mode`, { mode: 'manual' });
    const context = await browser.newContext({ viewport: VIEWPORTS.tablet });
    await pairContext(context, h, 'till');
    await context.addInitScript(PAGE_PROBE);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    for (let i = 0; i < 2 * count; i++) {
      const pin = i % 2 === 1;
      // Distinct amounts (a repeat could ask the cashier first), never a cents value of the outcome table.
      const cents = 1_000 + 100 * i;
      await ringUp(page, h.url, cents);
      const before = Date.now();
      await page.getByRole('button', { name: /^Charge\b/ }).first().click();
      const txn = await pendingTxn(h, before);
      // The cashier presses O and the card is tapped; the cardholder types the PIN after a while.
      await sleep(between(300, pin ? 1_300 : 2_800));
      await h.sim(`/terminals/${TID}/press-o`, {});
      let done = await h.sim<SimTxn>(`/terminals/${TID}/card`, { outcome: pin ? 'pin' : 'approve' });
      if (pin) {
        await sleep(between(1_500, 5_500));
        done = await h.sim<SimTxn>(`/terminals/${TID}/pin`, { correct: true });
      }
      if (done.phase !== 'approved' || done.finishedAt === undefined) throw new Error(`payment ${i}: the simulator says ${done.phase}`);
      await page.waitForFunction(() => (window as unknown as { __latency: { approved: number } }).__latency.approved > 0);
      const probe = await page.evaluate(() => (window as unknown as { __latency: { tap: number; approved: number } }).__latency);
      const payment = await h.payment(txn.ruid);
      if (payment.state !== 'approved') throw new Error(`payment ${i} is ${payment.state} at the edge`);
      const edgeApproved = Date.parse((payment as Payment).updatedAt);
      requestAtTerminal.push(txn.createdAt - probe.tap);
      (pin ? pinToTill : cardToTill).push(probe.approved - done.finishedAt);
      edgePart.push(edgeApproved - done.finishedAt);
      tillPart.push(probe.approved - edgeApproved);
      const { exchanges } = await h.sim<{ exchanges: SimExchange[] }>('/state');
      statusCalls.push(exchanges.filter((exchange) => exchange.method === 'MPRGetTxnStatus' && exchange.ruidOriginal === txn.ruid).length);
    }
    await context.close();
  } finally {
    await browser.close();
    await h.close();
  }
  return {
    payments: count,
    requestAtTerminal: figures(requestAtTerminal),
    cardToTill: figures(cardToTill),
    pinToTill: figures(pinToTill),
    edgePart: figures(edgePart),
    tillPart: figures(tillPart),
    statusCallsPerPayment: figures(statusCalls),
    samples: { requestAtTerminal, cardToTill, pinToTill },
  };
}

export function latencyRows(result: PaymentLatencyResult): string[] {
  const ms = (f: Figures) => `p50 ${Math.round(f.p50)} ms, p99 ${Math.round(f.p99)} ms, max ${Math.round(f.max)} ms (${f.count})`;
  return [
    `| payment: tap Charge → the request at the terminal | ${ms(result.requestAtTerminal)} | |`,
    `| payment: card approved at the terminal → the till shows Approved | ${ms(result.cardToTill)} | |`,
    `| payment: PIN entered at the terminal → the till shows Approved | ${ms(result.pinToTill)} | p50 <= 2 s, p99 <= 3 s |`,
    `| of which the edge (until approved there) / the till (SSE, render) | ${ms(result.edgePart)} / ${ms(result.tillPart)} | |`,
    `| MPRGetTxnStatus calls per payment | p50 ${result.statusCallsPerPayment.p50}, max ${result.statusCallsPerPayment.max} | |`,
  ];
}

if (process.argv[1] === import.meta.filename) {
  const result = await paymentLatencyBench();
  console.log(JSON.stringify(result, null, 2));
  console.log(latencyRows(result).join('\n'));
}
