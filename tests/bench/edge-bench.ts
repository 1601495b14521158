import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { nodeMyposTransport } from '../../edge/adapters/node/mypos-transport.js';
import { importPrivateKeyPem } from '../../edge/core/mypos/keys.js';
import { purchaseRequest, txnStatusRequest } from '../../edge/core/mypos/requests.js';
import { loadMypos } from '../../edge/core/mypos/setup.js';
import { signText } from '../../edge/core/mypos/signing.js';
import { newRuid } from '../../shared/ruid.js';
import { signalGroup, spawnUntilReady } from '../helpers/processes.js';

// npm run bench:edge — prints figures, passes or fails on none of them.
//  1. CPU time of this process per signed myPOS call (sign, send, parse, verify, echo check)
//     against the simulator in another process, next to the raw RSA-2048 sign time, same machine.
//  2. The API's latency at 200 requests a second (open loop), edge and simulator each in their own
//     process: POST /api/payments returns before myPOS is called, so this is the API's own cost.

const root = resolve(import.meta.dirname, '../..');
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const AUTH = { authorization: `Bearer ${ADMIN_TOKEN}` };
const CALLS = Number(process.env.BENCH_CALLS ?? 400);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function startChild(args: string[], env: NodeJS.ProcessEnv, ready: string): Promise<{ child: ChildProcess }> {
  return { child: await spawnUntilReady(join(root, 'node_modules/.bin/tsx'), args, { cwd: root, env: { ...process.env, ...env }, ready }) };
}

function stop(child: ChildProcess): void {
  signalGroup(child, 'SIGTERM');
}

export async function signedCallBench(dir: string): Promise<{ rawSignMs: number; callCpuMs: number; ratio: number }> {
  const simPort = 30_000 + Math.floor(Math.random() * 10_000);
  const { child } = await startChild(['edge/simulator/main.ts'], { SIM_PORT: String(simPort), SIM_DATA_DIR: dir, SIM_TIME_SCALE: '0.001' }, 'listening');
  try {
    const keyPem = await readFile(join(dir, 'keys/partner-key.pem'), 'utf8');
    const { gateway } = await loadMypos(
      {
        endpoint: `http://127.0.0.1:${simPort}/infromhttp`,
        login: 'demo@mypos.local',
        overrides: {},
        keyIndex: '1',
        privateKeysPem: { '1': keyPem },
        myposCertificatePem: await readFile(join(dir, 'simulator/mypos-sim-cert.pem'), 'utf8'),
      },
      nodeMyposTransport(),
    );
    const ruid = newRuid();
    await gateway.call(purchaseRequest({ tid: '90000015', ruid, amountCents: 100 }));
    const key = await importPrivateKeyPem(keyPem);
    // Warm up both paths, then measure.
    for (let i = 0; i < 50; i++) {
      await signText(key, `3.0;demo@mypos.local;1;90000015;${newRuid()};${ruid}`);
      await gateway.call(txnStatusRequest({ tid: '90000015', ruid: newRuid(), ruidOriginal: ruid }));
    }
    let start = cpuMs();
    for (let i = 0; i < CALLS; i++) await signText(key, `3.0;demo@mypos.local;1;90000015;${newRuid()};${ruid}`);
    const rawSignMs = (cpuMs() - start) / CALLS;
    start = cpuMs();
    for (let i = 0; i < CALLS; i++) {
      const result = await gateway.call(txnStatusRequest({ tid: '90000015', ruid: newRuid(), ruidOriginal: ruid }));
      if (!result.ok) throw new Error(`call failed: ${result.error.kind}`);
    }
    const callCpuMs = (cpuMs() - start) / CALLS;
    return { rawSignMs, callCpuMs, ratio: callCpuMs / rawSignMs };
  } finally {
    stop(child);
  }
}

/**
 * 200 requests a second, open loop, against the edge in its own process (live mode) with the
 * simulator in a third: one in ten starts a payment (POST /api/payments, answered before myPOS is
 * called), nine in ten read one (GET /api/payments/:ruid), as tablets following payments do.
 * Every new payment still costs two RSA signatures on each side, which is what bounds this machine.
 */
export async function apiLatencyBench(dir: string): Promise<Record<string, { count: number; p50: number; p99: number; max: number; statuses: Record<string, number> }>> {
  const simPort = 30_000 + Math.floor(Math.random() * 10_000);
  const port = 40_000 + Math.floor(Math.random() * 10_000);
  const tids = Array.from({ length: 100 }, (_, i) => String(91000000 + i));
  const sim = await startChild(['edge/simulator/main.ts'], { SIM_PORT: String(simPort), SIM_DATA_DIR: dir, SIM_TIME_SCALE: '0.001', SIM_TERMINALS: tids.map((tid) => `${tid}:EUR`).join(',') }, 'listening');
  const { child } = await startChild(
    ['edge/adapters/node/main.ts'],
    {
      PORT: String(port),
      EDGE_DATA_DIR: join(dir, 'api'),
      EDGE_WEB_DIR: '/nonexistent',
      MYPOS_ENDPOINT: `http://127.0.0.1:${simPort}/infromhttp`,
      MYPOS_LOGIN: 'demo@mypos.local',
      MYPOS_PRIVATE_KEY_FILE: join(dir, 'keys/partner-key.pem'),
      MYPOS_CERT_FILE: join(dir, 'simulator/mypos-sim-cert.pem'),
      PAYMENT_STATUS_POLL_MS: '50',
      EDGE_ADMIN_TOKEN: ADMIN_TOKEN,
      EDGE_DEVICE_RATE_LIMIT: '100000',
    },
    'till:',
  );
  const results: Record<string, { latencies: number[]; statuses: Record<string, number> }> = { 'POST /api/payments': { latencies: [], statuses: {} }, 'GET /api/payments/:ruid': { latencies: [], statuses: {} } };
  try {
    const base = `http://127.0.0.1:${port}`;
    for (const tid of tids) {
      await fetch(`${base}/api/terminals`, { method: 'POST', headers: { 'content-type': 'application/json', ...AUTH }, body: JSON.stringify({ tid, currency: 'EUR' }) });
    }
    const created: string[] = [];
    const total = RATE * SECONDS;
    const interval = 1000 / RATE;
    const began = performance.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = began + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const write = i % 10 === 0 || created.length === 0;
      const ruid = newRuid();
      const route = write ? 'POST /api/payments' : 'GET /api/payments/:ruid';
      const sentAt = performance.now();
      const request = write
        ? fetch(`${base}/api/payments`, { method: 'POST', headers: { 'content-type': 'application/json', ...AUTH }, body: JSON.stringify({ ruid, tid: tids[(i / 10) % tids.length], amount: '1.00' }) })
        : fetch(`${base}/api/payments/${created[i % created.length]}`, { headers: AUTH });
      if (write) created.push(ruid);
      pending.push(
        request.then(async (response) => {
          await response.arrayBuffer();
          const entry = results[route];
          if (!entry) return;
          entry.latencies.push(performance.now() - sentAt);
          entry.statuses[response.status] = (entry.statuses[response.status] ?? 0) + 1;
        }),
      );
    }
    await Promise.all(pending);
  } finally {
    stop(child);
    stop(sim.child);
  }
  const report: Record<string, { count: number; p50: number; p99: number; max: number; statuses: Record<string, number> }> = {};
  const all: number[] = [];
  for (const [route, { latencies, statuses }] of Object.entries(results)) {
    latencies.sort((a, b) => a - b);
    all.push(...latencies);
    report[route] = { count: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? Number.NaN, statuses };
  }
  all.sort((a, b) => a - b);
  report.all = { count: all.length, p50: percentile(all, 50), p99: percentile(all, 99), max: all.at(-1) ?? Number.NaN, statuses: {} };
  return report;
}

export const BENCH_SETTINGS = { calls: CALLS, rate: RATE, seconds: SECONDS };

if (process.argv[1] === import.meta.filename) {
  const dir = await mkdtemp(join(tmpdir(), 'bench-'));
  try {
    const signed = await signedCallBench(dir);
    console.log(`signed myPOS call: ${signed.callCpuMs.toFixed(3)} ms CPU per call; raw RSA-2048 sign: ${signed.rawSignMs.toFixed(3)} ms; ratio ${signed.ratio.toFixed(2)}x (goal <= 2x)`);
    const api = await apiLatencyBench(dir);
    console.log(`API at ${RATE} req/s for ${SECONDS} s (1 in 10 a new payment):`);
    for (const [route, figures] of Object.entries(api)) {
      console.log(`  ${route.padEnd(24)} ${String(figures.count).padStart(5)} requests  p50 ${figures.p50.toFixed(2)} ms  p99 ${figures.p99.toFixed(2)} ms  max ${figures.max.toFixed(2)} ms  ${JSON.stringify(figures.statuses)}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
