import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { buildWorker } from '../../edge/tools/build-worker.js';
import { startSimulator, type RunningSimulator } from '../../edge/simulator/node-server.js';
import { IPC_DEMO_SID, IPC_DEMO_WALLET } from '../../edge/simulator/ipc/settings.js';
import type { Payment } from '../../shared/payments.js';
import { FAST_ENV } from './edge-harness.js';

// The Workers edge in local workerd (Miniflare), with the myPOS simulator on loopback as myPOS:
// the same bundle `wrangler deploy` would ship, the same Durable Object classes, SQLite storage.

export const WORKER_ADMIN = { authorization: `Bearer ${FAST_ENV.EDGE_ADMIN_TOKEN}` };
/** The Worker's audit key (a secret on a deployed Worker). */
export const WORKER_AUDIT_KEY = 'worker-test-audit-key-0123456789abcdef';

export interface WorkerHarness {
  readonly url: string;
  readonly sim: RunningSimulator;
  readonly miniflare: Miniflare;
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
  /** POST (or GET without a body) to the simulator's control API. */
  simControl<T = unknown>(path: string, body?: unknown): Promise<T>;
  waitFor(ruid: string, states: readonly string[], timeoutMs?: number): Promise<Payment>;
  close(): Promise<void>;
}

export interface WorkerHarnessOptions {
  /**
   * Pay by QR or link: MYPOS_IPC_* point at the simulator's Online Checkout (/vmp/checkout, the
   * handbook's test store, the demo partner's key, the simulator's certificate), as the Node demo.
   */
  readonly online?: boolean;
  /** More vars and secrets, over the harness's (MYPOS_IPC_POLL_MS, …). */
  readonly bindings?: Readonly<Record<string, string>>;
  /** Where workerd and the simulator listen on 127.0.0.1 (default: any free port). */
  readonly ports?: { readonly worker: number; readonly simulator: number };
  /** A folder served as the Worker's static assets (ASSETS, single-page fallback, the Worker first), as wrangler.jsonc deploys the till. */
  readonly assetsDir?: string;
}

let bundle: Promise<string> | undefined;

/** The simulator's Online Checkout as the Worker's settings (the keys as PEM text, as secrets are). */
async function onlineBindings(sim: RunningSimulator, dataDir: string): Promise<Record<string, string>> {
  return {
    MYPOS_IPC_SID: IPC_DEMO_SID,
    MYPOS_IPC_WALLET: IPC_DEMO_WALLET,
    MYPOS_IPC_KEY_INDEX: '1',
    MYPOS_IPC_ENDPOINT: sim.checkoutEndpoint,
    MYPOS_IPC_PRIVATE_KEY: await readFile(join(dataDir, 'keys/partner-key.pem'), 'utf8'),
    MYPOS_IPC_CERT: await readFile(sim.certificateFile, 'utf8'),
  };
}

export async function startWorkerHarness(options: WorkerHarnessOptions = {}): Promise<WorkerHarness> {
  bundle ??= buildWorker();
  const scriptPath = await bundle;
  const dataDir = await mkdtemp(join(tmpdir(), 'worker-'));
  const sim = await startSimulator({ SIM_PORT: String(options.ports?.simulator ?? 0), SIM_DATA_DIR: dataDir, SIM_TIME_SCALE: FAST_ENV.SIM_TIME_SCALE ?? '0.004' });
  const timings = Object.fromEntries(Object.entries(FAST_ENV).filter(([name]) => name.startsWith('PAYMENT_') || name.startsWith('MYPOS_') || name === 'EDGE_SSE_PING_MS'));
  const assets = options.assetsDir
    ? { assets: { directory: options.assetsDir, binding: 'ASSETS', assetConfig: { not_found_handling: 'single-page-application' as const }, routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: true } } }
    : {};
  const mf = new Miniflare({
    modules: true,
    scriptPath,
    compatibilityDate: '2026-04-01',
    host: '127.0.0.1',
    port: options.ports?.worker ?? 0,
    durableObjects: { STORE: { className: 'StoreObject', useSQLite: true }, TERMINAL: { className: 'TerminalObject', useSQLite: true } },
    ...assets,
    bindings: {
      ...timings,
      MYPOS_ENDPOINT: sim.endpoint,
      MYPOS_LOGIN: 'demo@mypos.local',
      MYPOS_PRIVATE_KEY: await readFile(join(dataDir, 'keys/partner-key.pem'), 'utf8'),
      MYPOS_CERT: await readFile(sim.certificateFile, 'utf8'),
      EDGE_ADMIN_TOKEN: FAST_ENV.EDGE_ADMIN_TOKEN ?? '',
      EDGE_AUDIT_KEY: WORKER_AUDIT_KEY,
      EDGE_LOG_LEVEL: 'warn',
      ...(options.online ? await onlineBindings(sim, dataDir) : {}),
      ...options.bindings,
    },
  });
  let url: string;
  try {
    url = (await mf.ready).origin;
  } catch (error) {
    // A port taken, a bad binding: nothing left running.
    await mf.dispose().catch(() => undefined);
    await sim.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const harness: WorkerHarness = {
    url,
    sim,
    miniflare: mf,
    async api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const all = { ...WORKER_ADMIN, ...headers };
      const response = await fetch(`${url}${path}`, { method, headers: body === undefined ? all : { 'content-type': 'application/json', ...all }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
    },
    async simControl<T>(path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${sim.url}/sim${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return (await response.json()) as T;
    },
    async waitFor(ruid: string, states: readonly string[], timeoutMs = 8_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { body } = await harness.api<{ payment?: Payment }>('GET', `/api/payments/${ruid}`);
        if (body.payment && states.includes(body.payment.state)) return body.payment;
        if (Date.now() > deadline) throw new Error(`payment ${ruid} is ${body.payment?.state}, not ${states.join('|')}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      await mf.dispose();
      await sim.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}
