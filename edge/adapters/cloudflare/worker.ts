import type { EdgeApp } from '../../core/edge-ports.js';
import { checkRuid, checkTid } from '../../../shared/validation.js';
import { buildEdgeApp } from './edge-app.js';
import type { WorkerEnv } from './env.js';
import { storePorts } from './store-proxy.js';
import { TID_HEADER } from './terminal-object.js';

export { StoreObject } from './store-object.js';
export { TerminalObject } from './terminal-object.js';

// The Worker: requests about a payment go to its terminal's Durable Object; everything else
// (devices, catalogue, ledger, terminals, health) is served here by the same createApp.

let shared: Promise<EdgeApp> | undefined;

/** The isolate's own app, for the routes that start no payment (its scheduler is never used; it recovers none). */
function workerApp(env: WorkerEnv): Promise<EdgeApp> {
  shared ??= buildEdgeApp(env, { schedule: () => undefined, cancel: () => undefined, close: () => undefined }, 'none').catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

async function bodyField(request: Request, field: string): Promise<string | undefined> {
  try {
    const body: unknown = await request.clone().json();
    const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[field] : undefined;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The terminal a payment request belongs to; undefined leaves it to the Worker's app (which answers 400 or 404). */
async function terminalOf(request: Request, env: WorkerEnv): Promise<string | undefined> {
  const { pathname } = new URL(request.url);
  const tidOfPayment = async (ruid: string | undefined) => {
    if (ruid === undefined || !checkRuid(ruid).ok) return undefined;
    return (await storePorts(env.STORE).store.getPayment(ruid))?.payment.tid;
  };
  if (request.method === 'POST' && pathname === '/api/payments') {
    const tid = await bodyField(request, 'tid');
    return tid !== undefined && checkTid(tid).ok ? tid : undefined;
  }
  // A payment's own requests go to its terminal's object, where its checks run: settling by hand there cannot race a check.
  if (request.method === 'POST' && pathname === '/api/refunds') return tidOfPayment(await bodyField(request, 'originalRuid'));
  const payment = /^\/api\/payments\/([^/]+)\/(events|cancel|resolve)$/.exec(pathname);
  if (payment?.[1]) return tidOfPayment(decodeURIComponent(payment[1]));
  return undefined;
}

/** The till's files (Workers static assets, single-page fallback) for anything that is not the API. */
function isApi(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/') || pathname === '/healthz';
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    if (env.ASSETS && !isApi(new URL(request.url).pathname)) return env.ASSETS.fetch(request);
    const tid = await terminalOf(request, env);
    if (tid) {
      const forwarded = new Request(request);
      forwarded.headers.set(TID_HEADER, tid);
      return env.TERMINAL.get(env.TERMINAL.idFromName(tid)).fetch(forwarded);
    }
    return (await workerApp(env)).app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<WorkerEnv>;
