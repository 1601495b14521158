import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { apiLatencyBench, BENCH_SETTINGS, signedCallBench } from './edge-bench.js';
import { outboxBench } from './outbox-bench.js';
import { latencyRows, paymentLatencyBench } from './payment-latency-bench.js';
import { sseBench } from './sse-bench.js';

// npm run bench: every figure in one report, results/bench/<time>.md and .json. Loopback only,
// bounded in time; nothing passes or fails on a figure.

const root = resolve(import.meta.dirname, '../..');
const at = new Date().toISOString();
const steps: string[] = [];
const step = (name: string) => {
  steps.push(name);
  console.log(`bench: ${name}…`);
};

const dir = await mkdtemp(join(tmpdir(), 'bench-'));
try {
  step('PWA build and first-load size');
  const build = execFileSync('npm', ['run', '-s', 'build'], { cwd: root, encoding: 'utf8' });
  const firstLoadKb = Number(/first-load JS\+CSS: ([0-9.]+) KB/.exec(build)?.[1] ?? 'NaN');

  step('signed myPOS call vs raw RSA sign');
  const signed = await signedCallBench(dir);
  step(`API latency at ${BENCH_SETTINGS.rate} req/s`);
  const api = await apiLatencyBench(dir);
  step('10 000 SSE streams');
  const sse = await sseBench(dir);
  step('outbox write and 1000-sale sync');
  const outbox = await outboxBench(1000);
  step('payment latency: the till in Chromium, the simulator at real speed (about 4 minutes)');
  const latency = await paymentLatencyBench();
  step('Lighthouse');
  let lighthouse: Record<string, string> = {};
  try {
    const out = execFileSync('npx', ['tsx', 'web/scripts/lighthouse.ts'], { cwd: root, encoding: 'utf8', timeout: 300_000 });
    for (const name of ['performance', 'accessibility', 'best practices', 'PWA']) {
      const match = new RegExp(`^\\s+${name}\\s+(.+?)(\\s+\\(goal.*)?$`, 'm').exec(out);
      if (match?.[1]) lighthouse[name] = match[1].trim();
    }
  } catch (error) {
    lighthouse = { error: error instanceof Error ? error.message.split('\n')[0] ?? 'failed' : 'failed' };
  }

  const machine = `${(await import('node:os')).cpus().length} cores, Node ${process.version}`;
  const report = { at, machine, firstLoadKb, signed, api, sse, outbox, latency, lighthouse };
  const md = [
    `# Benchmark report — ${at}`,
    '',
    `Machine: ${machine}. Reproduce: \`npm run bench\`. Loopback only.`,
    '',
    '| figure | value | goal |',
    '| --- | --- | --- |',
    `| CPU per signed myPOS call (sign, send, parse, verify, echo) | ${signed.callCpuMs.toFixed(2)} ms | |`,
    `| raw RSA-2048 sign, same run | ${signed.rawSignMs.toFixed(2)} ms | |`,
    `| ratio | ${signed.ratio.toFixed(2)}x | <= 2x |`,
    ...Object.entries(api).map(([route, f]) => `| API ${route} at ${BENCH_SETTINGS.rate} req/s | p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms (${f.count} requests) | |`),
    `| SSE streams open in one edge process | ${sse.streams} on ${sse.payments} payments | 10 000 |`,
    `| edge RSS idle / with the streams | ${sse.rssIdleMb} MB / ${sse.rssWithStreamsMb} MB | |`,
    `| SSE delivery at 100 payments/s | p50 ${sse.deliveryP50Ms} ms, p99 ${sse.deliveryP99Ms} ms, max ${sse.deliveryMaxMs} ms (${sse.delivered} delivered) | |`,
    `| PWA first-load JS+CSS | ${firstLoadKb} KB gzip | <= 60 KB |`,
    `| outbox write (sale + task, fake-indexeddb) | p50 ${outbox.writeP50Ms.toFixed(2)} ms, p95 ${outbox.writeP95Ms.toFixed(2)} ms | |`,
    `| sync of ${outbox.writes} stored sales to the edge | ${outbox.syncSeconds.toFixed(1)} s (${outbox.syncSales} synced) | |`,
    ...latencyRows(latency),
    ...Object.entries(lighthouse).map(([name, value]) => `| Lighthouse ${name} | ${value} | |`),
    '',
  ].join('\n');
  const out = join(root, 'results/bench');
  await mkdir(out, { recursive: true });
  const stamp = at.replace(/[:.]/g, '-');
  await writeFile(join(out, `${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(out, `${stamp}.md`), md);
  await writeFile(join(out, 'latest.md'), md);
  console.log(md);
  console.log(`written: results/bench/${stamp}.md and .json`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
