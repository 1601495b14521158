import type { EdgeApp } from '../../core/edge-ports.js';
import { terminalRouter, type TerminalRouter } from '../../core/http/terminal-scope.js';
import { buildEdgeApp } from './edge-app.js';
import type { WorkerEnv } from './env.js';
import { storePorts } from './store-proxy.js';
import { TID_HEADER } from './terminal-object.js';

export { StoreObject } from './store-object.js';
export { TerminalObject } from './terminal-object.js';

// The Worker: requests about a payment go to its terminal's Durable Object (a payment by link, its
// link's pages and myPOS's notification: the Online Checkout's, ONLINE01); everything else
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

let router: TerminalRouter | undefined;

/** The terminal a request belongs to, as its route declares it (edge/core/http/terminal-scope.ts). */
async function terminalOf(request: Request, env: WorkerEnv): Promise<string | undefined> {
  router ??= terminalRouter((await workerApp(env)).app.routes, async (ruid) => (await storePorts(env.STORE).store.getPayment(ruid))?.payment.tid);
  return router(request);
}

/**
 * The till's files (Workers static assets, single-page fallback) for anything that is not the
 * edge's: the API, the health check, and the customers' checkout links (/c/<token>, its script).
 */
function isApi(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/') || pathname === '/healthz' || pathname.startsWith('/c/');
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
