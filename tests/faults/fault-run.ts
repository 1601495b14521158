import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { startSimulator, type RunningSimulator } from '../../edge/simulator/node-server.js';
import type { LedgerEntry } from '../../edge/simulator/terminals.js';
import type { Payment } from '../../shared/payments.js';
import { newRuid } from '../../shared/ruid.js';
import { ADMIN_HEADERS, FAST_ENV, readSse } from '../helpers/edge-harness.js';
import { liveEdgeEnv, signalGroup, spawnUntilReady } from '../helpers/processes.js';
import { prng } from '../fuzz/mutate.js';
import { openBrowserLane, type BrowserLane } from './browser-lane.js';
import { httpsText, sseData } from './https-client.js';
import { makeTestTls } from '../helpers/https-edge.js';
import { spkiSha256 } from '../../edge/tools/tls-local.js';

// The fault run: seeded, bounded, randomized sales through API clients that behave like the till
// (one RUID per sale, resent after any failure, waiting out a busy terminal), while the simulator
// damages answers and the edge process is killed with SIGKILL and started again on its data. At
// the end the simulator's ledger (what was charged), the edge's payments and ledger, and what each
// client saw are reconciled. Timings are the tests' scaled ones (the simulator at 1/250 speed, a
// request timeout of 1.5 s): "delay past the timeout" is a 2 s delay.

const root = resolve(import.meta.dirname, '../..');
const TERMINALS = ['90000015', '90000016', '90000017', '90000018'];
/** The browser's own terminal, so its sales never wait behind the API clients'. */
const BROWSER_TID = '90000019';
const FINAL = new Set(['approved', 'declined', 'failed', 'cancelled', 'voided']);
const SIM_FAULTS = ['drop', 'delay', 'http_500', 'malformed_xml', 'bad_signature', 'wrong_echo'] as const;

export interface FaultRunOptions {
  readonly sales: number;
  readonly seed: number;
  /** Kill and restart the edge after about this many sales (0: never). */
  readonly killEvery: number;
  /** Sales rung up through the till in Chromium, with tablet reloads and network cuts (0: none). */
  readonly browserSales?: number;
  /** The edge serves HTTPS (a local CA made for the run; the clients and the browser trust it only). */
  readonly https?: boolean;
  readonly log?: (line: string) => void;
}

export interface FaultRunResult {
  readonly sales: number;
  readonly faultsInjected: Readonly<Record<string, number>>;
  readonly edgeRestarts: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly doubleCharges: number;
  readonly wrongFinalStates: number;
  readonly unknownThenSettled: number;
  readonly byState: Readonly<Record<string, number>>;
  readonly seconds: number;
  /** What went wrong, sale by sale (empty when all is well). */
  readonly problems: readonly string[];
}

interface ClientSale {
  readonly ruid: string;
  readonly tid: string;
  readonly amount: string;
  acknowledged: boolean;
  seen: string | undefined;
  booked: boolean;
  /** For a browser sale: its sync state and message in the till's IndexedDB. */
  local?: string;
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function runFaults(options: FaultRunOptions): Promise<FaultRunResult> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const random = prng(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const dir = await mkdtemp(join(tmpdir(), 'faults-'));
  const port = await freePort();
  const tls = options.https ? await makeTestTls(dir, ['localhost']) : undefined;
  const base = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const sim: RunningSimulator = await startSimulator({
    SIM_PORT: '0',
    SIM_DATA_DIR: dir,
    SIM_TIME_SCALE: '0.004',
    SIM_PARTNER_LOGIN: 'shop@example.com',
    SIM_TERMINALS: [...TERMINALS, BROWSER_TID].map((tid) => `${tid}:EUR`).join(','),
  });
  const env: NodeJS.ProcessEnv = {
    ...liveEdgeEnv(FAST_ENV, port, dir, sim),
    EDGE_DEVICE_RATE_LIMIT: '100000',
    ...(tls ? { EDGE_TLS_CERT_FILE: tls.certFile, EDGE_TLS_KEY_FILE: tls.keyFile } : {}),
    ...(options.browserSales ? { EDGE_WEB_DIR: join(root, 'dist/web') } : {}),
  };
  const start = () => spawnUntilReady(join(root, 'node_modules/.bin/tsx'), ['edge/adapters/node/main.ts'], { cwd: root, env, ready: 'till:' });
  let edge: ChildProcess | undefined = await start();
  let restarting: Promise<void> | undefined;

  const call = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T } | undefined> => {
    try {
      const headers = { 'content-type': 'application/json', ...ADMIN_HEADERS };
      const payload = body === undefined ? undefined : JSON.stringify(body);
      if (tls) {
        const answer = await httpsText(`${base}${path}`, { ca: tls.ca.certPem, method, headers, ...(payload === undefined ? {} : { body: payload }), maxMs: 5_000 });
        return { status: answer.status, body: (answer.text ? JSON.parse(answer.text) : {}) as T };
      }
      const response = await fetch(`${base}${path}`, { method, headers, body: payload, signal: AbortSignal.timeout(5_000) });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
    } catch {
      return undefined;
    }
  };
  /** The states a payment's event stream shows. */
  const streamStates = async (ruid: string): Promise<string[]> => {
    const path = `/api/payments/${ruid}/events`;
    const data = tls
      ? sseData((await httpsText(`${base}${path}`, { ca: tls.ca.certPem, headers: ADMIN_HEADERS, maxMs: 2_000 }).catch(() => ({ text: '' }))).text)
      : (await readSse(`${base}${path}`, { maxMs: 2_000 })).events.map((event) => event.data);
    return data.map((item) => (JSON.parse(item) as Payment).state);
  };
  const simPost = (path: string, body: unknown) => fetch(`${sim.url}/sim${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  const faultsInjected: Record<string, number> = {};
  const count = (name: string) => (faultsInjected[name] = (faultsInjected[name] ?? 0) + 1);
  let edgeRestarts = 0;

  const restart = async () => {
    signalGroup(edge, 'SIGKILL');
    await new Promise<void>((done) => (edge?.exitCode !== null ? done() : edge.once('exit', () => done())));
    edgeRestarts += 1;
    count('edge SIGKILL + restart');
    edge = await start();
  };

  try {
    for (const tid of [...TERMINALS, BROWSER_TID]) {
      const answer = await call('POST', '/api/terminals', { tid, currency: 'EUR' });
      if (answer?.status !== 201) throw new Error(`could not set up ${tid}: ${answer?.status}`);
    }

    const sales: ClientSale[] = [];
    let done = 0;

    /** What the till does with a sale: send it until the edge has it, follow it to its end, book it. */
    const sell = async (sale: ClientSale, duplicate: boolean): Promise<void> => {
      const body = { ruid: sale.ruid, tid: sale.tid, amount: sale.amount };
      for (;;) {
        await restarting;
        const sends = duplicate ? [call<{ error?: { code: string } }>('POST', '/api/payments', body), call<{ error?: { code: string } }>('POST', '/api/payments', body)] : [call<{ error?: { code: string } }>('POST', '/api/payments', body)];
        const answers = await Promise.all(sends);
        if (answers.some((answer) => answer?.status === 202 || answer?.status === 200)) break;
        if (answers.some((answer) => answer && answer.status >= 400 && answer.status < 500 && answer.body.error?.code !== 'terminal_busy')) throw new Error(`sale ${sale.ruid} refused: ${JSON.stringify(answers.map((a) => a?.body))}`);
        await pause(50);
      }
      sale.acknowledged = true;
      const deadline = Date.now() + 60_000;
      for (;;) {
        const answer = await call<{ payment: Payment }>('GET', `/api/payments/${sale.ruid}`);
        const state = answer?.body.payment?.state;
        if (state) sale.seen = state;
        if (state && FINAL.has(state)) break;
        if (Date.now() > deadline) break;
        await pause(30);
      }
      if (sale.seen === 'approved') {
        const line = { name: 'Item', unitPrice: sale.amount, quantity: 1, vatRate: '20' };
        const booking = { lines: [line], total: sale.amount, currency: 'EUR', card: { amount: sale.amount, ruid: sale.ruid }, createdAt: new Date().toISOString(), completedAt: new Date().toISOString() };
        for (let attempt = 0; attempt < 200; attempt += 1) {
          const answer = await call('PUT', `/api/sales/${sale.ruid}`, booking);
          if (answer?.status === 201 || answer?.status === 200) {
            sale.booked = true;
            break;
          }
          await pause(50);
        }
      }
    };

    const amountFor = (): string => {
      const euros = 1 + Math.floor(random() * 80);
      const roll = random();
      const cents = roll < 0.66 ? pick(['00', '10', '20', '25', '40', '75', '90']) : roll < 0.76 ? pick(['05', '51']) : roll < 0.86 ? '55' : roll < 0.91 ? '14' : roll < 0.96 ? '42' : '65';
      return `${euros}.${cents}`;
    };

    const lane = async (tid: string, salesOnLane: number) => {
      for (let i = 0; i < salesOnLane; i += 1) {
        const roll = random();
        if (roll < 0.3) {
          const kind = pick(SIM_FAULTS);
          await simPost('/faults', { kind, method: pick(['MPRPurchase', 'MPRGetTxnStatus']), count: 1 + Math.floor(random() * 2), delayMs: 2_000 });
          count(kind);
        }
        const duplicate = random() < 0.1;
        if (duplicate) count('duplicate RUID');
        const sale: ClientSale = { ruid: newRuid(), tid, amount: amountFor(), acknowledged: false, seen: undefined, booked: false };
        sales.push(sale);
        if (random() < 0.05) {
          // A second sale rung up on the busy terminal: refused until the first ends, then sent.
          count('terminal busy');
          const second: ClientSale = { ruid: newRuid(), tid, amount: `${1 + Math.floor(random() * 9)}.00`, acknowledged: false, seen: undefined, booked: false };
          sales.push(second);
          await Promise.all([sell(sale, duplicate), pause(20).then(() => sell(second, false))]);
          done += 1;
        } else await sell(sale, duplicate);
        done += 1;
        if (options.killEvery > 0 && done % options.killEvery === 0 && !restarting) {
          restarting = restart().finally(() => (restarting = undefined));
        }
        if (done % 50 === 0) log(`  ${done} sales…`);
      }
    };
    const browserSales: ClientSale[] = [];
    // The tablet is paired and has the till (and its service worker) before the edge is first killed.
    let till: BrowserLane | undefined;
    if (options.browserSales) {
      const code = await call<{ code: string }>('POST', '/api/devices/pairing-codes', { role: 'till' });
      const paired = await call<{ token: string }>('POST', '/api/devices/pair', { code: code?.body.code, name: 'Fault run tablet' });
      till = await openBrowserLane(base, paired?.body.token ?? '', tls ? [`--ignore-certificate-errors-spki-list=${spkiSha256(tls.first.certPem)}`] : []);
    }
    const browserLane = async (total: number, till: BrowserLane) => {
      try {
        for (let i = 0; i < total; i += 1) {
          const roll = random();
          const fault = roll < 0.2 ? 'reload' : roll < 0.35 ? 'offline' : 'none';
          if (fault !== 'none') count(fault === 'reload' ? 'tablet reload' : 'tablet network off');
          const euros = 1 + Math.floor(random() * 60);
          const made = await till.ringUp(BROWSER_TID, `${euros}.${pick(['00', '10', '50', '05', '55'])}`, fault);
          const sale: ClientSale = { ruid: made.ruid, tid: made.tid, amount: made.amount, acknowledged: true, seen: undefined, booked: false };
          browserSales.push(sale);
          sales.push(sale);
        }
        // The till's records: every approved sale must reach the ledger through its outbox.
        for (const local of await till.localSales(60_000)) {
          const sale = browserSales.find((item) => item.ruid === local.id);
          if (sale) {
            sale.seen = local.paymentState;
            sale.booked = local.sync === 'synced';
            sale.local = `${local.sync}${local.message ? `: ${local.message}` : ''}`;
            // A request that waited past its deadline, or was refused because its terminal was busy,
            // was never sent (and never will be): nothing to find at the edge.
            if (local.paymentState === 'expired' || local.paymentState === 'busy') sale.acknowledged = false;
          }
        }
      } finally {
        await till.close();
      }
    };
    const perLane = Math.ceil(options.sales / TERMINALS.length);
    await Promise.all([...TERMINALS.map((tid) => lane(tid, perLane)), ...(options.browserSales && till ? [browserLane(options.browserSales, till)] : [])]);
    await restarting;
    await fetch(`${sim.url}/sim/faults`, { method: 'DELETE' });

    // Reconcile: wait for anything still unknown to settle now that the faults are off.
    const settleBy = Date.now() + 60_000;
    for (const sale of sales) {
      while (!sale.seen || !FINAL.has(sale.seen)) {
        const answer = await call<{ payment: Payment }>('GET', `/api/payments/${sale.ruid}`);
        sale.seen = answer?.body.payment?.state ?? sale.seen;
        if (Date.now() > settleBy) break;
        if (!sale.seen || !FINAL.has(sale.seen)) await pause(50);
      }
    }
    const ledger = (await (await fetch(`${sim.url}/sim/ledger`)).json()) as LedgerEntry[];
    const charges = new Map<string, number>();
    for (const entry of ledger) if (entry.kind === 'purchase') charges.set(entry.ruid, (charges.get(entry.ruid) ?? 0) + 1);
    const booked = (await call<{ sales: Array<{ id: string }> }>('GET', '/api/sales'))?.body.sales ?? [];
    const bookedCount = new Map<string, number>();
    for (const item of booked) bookedCount.set(item.id, (bookedCount.get(item.id) ?? 0) + 1);

    let lost = 0;
    let duplicated = 0;
    let doubleCharges = 0;
    let wrongFinalStates = 0;
    let unknownThenSettled = 0;
    const problems: string[] = [];
    const byState: Record<string, number> = {};
    const known = new Set(sales.map((sale) => sale.ruid));
    for (const entry of ledger) if (!known.has(entry.ruid)) doubleCharges += 1; // a charge no sale asked for
    for (const sale of sales) {
      const answer = await call<{ payment: Payment }>('GET', `/api/payments/${sale.ruid}`);
      const payment = answer?.body.payment;
      const origin = browserSales.includes(sale) ? 'browser' : 'api';
      if (!payment) {
        if (sale.acknowledged) {
          lost += 1;
          problems.push(`lost ${sale.ruid} (${origin}): acknowledged, unknown to the edge, client saw ${sale.seen}`);
        }
        continue;
      }
      byState[payment.state] = (byState[payment.state] ?? 0) + 1;
      const charged = charges.get(sale.ruid) ?? 0;
      if (charged > 1) {
        doubleCharges += 1;
        problems.push(`double charge ${sale.ruid} (${origin}): ${charged} charges`);
      }
      if (!FINAL.has(payment.state) || (payment.state === 'approved') !== (charged === 1) || sale.seen !== payment.state) {
        wrongFinalStates += 1;
        problems.push(`wrong final state ${sale.ruid} (${origin}): edge ${payment.state}, client saw ${sale.seen}, ${charged} charges`);
      }
      if (payment.state === 'approved' && (bookedCount.get(sale.ruid) ?? 0) !== 1) {
        if ((bookedCount.get(sale.ruid) ?? 0) === 0) lost += 1;
        else duplicated += 1;
        problems.push(`ledger ${sale.ruid} (${origin}): approved, booked ${bookedCount.get(sale.ruid) ?? 0} times (client booked: ${sale.booked}${sale.local ? `, till: ${sale.local}` : ''})`);
      }
      if ((await streamStates(sale.ruid)).includes('unknown') && FINAL.has(payment.state)) unknownThenSettled += 1;
    }
    return { sales: sales.length, faultsInjected, edgeRestarts, lost, duplicated, doubleCharges, wrongFinalStates, unknownThenSettled, byState, seconds: Math.round((Date.now() - started) / 100) / 10, problems };
  } finally {
    signalGroup(edge, 'SIGKILL');
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}
