import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Miniflare } from 'miniflare';
import { randomToken } from '../core/auth/tokens.js';
import { startSimulator } from '../simulator/node-server.js';
import { buildWorker } from './build-worker.js';

// npm run dev:worker: the edge as a Worker in local workerd (Miniflare; no Cloudflare account, no
// telemetry), with the myPOS simulator as myPOS, state kept in data/worker, the till's files served
// as static assets. The counterpart of `npm start` for the Workers runtime.

const root = resolve(import.meta.dirname, '../..');
const dataDir = resolve(process.env.EDGE_DATA_DIR ?? join(root, 'data'));
const port = Number(process.env.PORT ?? '8790');
const scriptPath = await buildWorker();
const sim = await startSimulator({ SIM_PORT: process.env.SIM_PORT ?? '8791', SIM_DATA_DIR: dataDir, SIM_TIME_SCALE: process.env.SIM_TIME_SCALE ?? '1' });
await mkdir(join(dataDir, 'worker'), { recursive: true });
// Like the Node demo: an admin token made once and kept (mode 600) in the data folder, never printed.
const tokenFile = join(dataDir, 'worker/admin-token');
const adminToken = process.env.EDGE_ADMIN_TOKEN ?? (existsSync(tokenFile) ? (await readFile(tokenFile, 'utf8')).trim() : randomToken());
if (!process.env.EDGE_ADMIN_TOKEN && !existsSync(tokenFile)) await writeFile(tokenFile, `${adminToken}\n`, { mode: 0o600 });
// The audit key too (a secret on a deployed Worker: wrangler secret put EDGE_AUDIT_KEY).
const auditKeyFile = join(dataDir, 'worker/audit-key');
const auditKey = process.env.EDGE_AUDIT_KEY ?? (existsSync(auditKeyFile) ? (await readFile(auditKeyFile, 'utf8')).trim() : randomToken());
if (!process.env.EDGE_AUDIT_KEY && !existsSync(auditKeyFile)) await writeFile(auditKeyFile, `${auditKey}\n`, { mode: 0o600 });
const webDir = join(root, 'dist/web');
const mf = new Miniflare({
  modules: true,
  scriptPath,
  compatibilityDate: '2026-04-01',
  host: '127.0.0.1',
  port,
  durableObjects: { STORE: { className: 'StoreObject', useSQLite: true }, TERMINAL: { className: 'TerminalObject', useSQLite: true } },
  durableObjectsPersist: join(dataDir, 'worker'),
  ...(existsSync(join(webDir, 'index.html')) ? { assets: { directory: webDir, binding: 'ASSETS', assetConfig: { not_found_handling: 'single-page-application' }, routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: true } } } : {}),
  bindings: {
    MYPOS_ENDPOINT: sim.endpoint,
    MYPOS_LOGIN: 'demo@mypos.local',
    MYPOS_PRIVATE_KEY: await readFile(join(dataDir, 'keys/partner-key.pem'), 'utf8'),
    MYPOS_CERT: await readFile(sim.certificateFile, 'utf8'),
    EDGE_ADMIN_TOKEN: adminToken,
    EDGE_AUDIT_KEY: auditKey,
  },
});
const url = (await mf.ready).origin;
const admin = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
// The simulator's demo terminals, set up on this edge as a till would (MPRSubscribe).
for (const terminal of sim.simulator.terminals.terminals.values()) {
  await fetch(`${url}/api/terminals`, { method: 'POST', headers: admin, body: JSON.stringify({ tid: terminal.tid, currency: terminal.currency }) });
}
const code = (await (await fetch(`${url}/api/devices/pairing-codes`, { method: 'POST', headers: admin, body: JSON.stringify({ role: 'admin', ttlSeconds: 3600 }) })).json()) as { code: string };
console.log(
  [
    'myPOS till edge on local workerd (Miniflare), demo: the built-in myPOS simulator',
    `  till:              ${url}/${existsSync(join(webDir, 'index.html')) ? '' : '  (run npm run build first to serve the till)'}`,
    `  virtual terminals: ${sim.url}/`,
    `  pair this till:    ${url}/pair?code=${code.code}  (one-time, valid 1 hour)`,
    `  admin token:       ${process.env.EDGE_ADMIN_TOKEN ? 'EDGE_ADMIN_TOKEN' : `in ${tokenFile}`}`,
  ].join('\n'),
);
const stop = () => void Promise.all([mf.dispose(), sim.close()]).then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
