import { build } from 'esbuild';
import { resolve } from 'node:path';

// Bundles the Worker (edge/adapters/cloudflare/worker.ts) into one ES module for workerd: what
// `npm run dev:worker`, the tests and `wrangler deploy` (with its own bundler) run.

const root = resolve(import.meta.dirname, '../..');
export const WORKER_BUNDLE = resolve(root, 'dist/worker/worker.js');

export async function buildWorker(): Promise<string> {
  await build({
    entryPoints: [resolve(root, 'edge/adapters/cloudflare/worker.ts')],
    outfile: WORKER_BUNDLE,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    external: ['cloudflare:*'],
    logLevel: 'warning',
  });
  return WORKER_BUNDLE;
}

if (process.argv[1] === import.meta.filename) await buildWorker();
