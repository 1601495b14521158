import type { ChildProcess } from 'node:child_process';
import { execSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Payment } from '../../shared/payments.js';
import { newRuid } from '../../shared/ruid.js';
import { signalGroup, spawnUntilReady } from '../helpers/processes.js';
import { percentile } from './edge-bench.js';

// 10 000 concurrent SSE streams on one edge process: 100 terminals each with a payment waiting on
// the card, 100 followers per payment (a busy shop floor times a hundred). Then the 100 payments
// are approved at 100 a second, and each of the 10 000 deliveries is timed from the edge's event
// time to its arrival. RSS is the edge process group's, read with ps.

const root = resolve(import.meta.dirname, '../..');
const ADMIN = { authorization: 'Bearer bench-admin-token-0123456789', 'content-type': 'application/json' };

export interface SseBenchResult {
  readonly streams: number;
  readonly payments: number;
  readonly rssIdleMb: number;
  readonly rssWithStreamsMb: number;
  readonly delivered: number;
  readonly deliveryP50Ms: number;
  readonly deliveryP99Ms: number;
  readonly deliveryMaxMs: number;
}

function rssMb(child: ChildProcess): number {
  const out = execSync(`ps -o rss= -g ${child.pid ?? 0}`).toString();
  return Math.round(out.split('\n').reduce((sum, line) => sum + (Number(line.trim()) || 0), 0) / 1024);
}

export async function sseBench(dir: string, terminals = 100, followers = 100): Promise<SseBenchResult> {
  const simPort = 23_000 + Math.floor(Math.random() * 5_000);
  const edgePort = simPort + 1;
  const tids = Array.from({ length: terminals }, (_, index) => `S${String(index + 1).padStart(7, '0')}`);
  const tsx = join(root, 'node_modules/.bin/tsx');
  const sim = await spawnUntilReady(tsx, ['edge/simulator/main.ts'], { cwd: root, env: { ...process.env, SIM_PORT: String(simPort), SIM_DATA_DIR: dir, SIM_TIME_SCALE: '0.001', SIM_TERMINALS: tids.map((tid) => `${tid}:EUR`).join(','), SIM_PARTNER_LOGIN: 'bench@example.com' }, ready: 'listening' });
  const edge = await spawnUntilReady(tsx, ['edge/adapters/node/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(edgePort),
      EDGE_DATA_DIR: join(dir, 'sse-edge'),
      EDGE_WEB_DIR: '/nonexistent',
      MYPOS_ENDPOINT: `http://127.0.0.1:${simPort}/infromhttp`,
      MYPOS_LOGIN: 'bench@example.com',
      MYPOS_PRIVATE_KEY_FILE: join(dir, 'keys/partner-key.pem'),
      MYPOS_CERT_FILE: join(dir, 'simulator/mypos-sim-cert.pem'),
      EDGE_ADMIN_TOKEN: 'bench-admin-token-0123456789',
      EDGE_DEVICE_RATE_LIMIT: '1000000',
      PAYMENT_STATUS_POLL_MS: '250',
      EDGE_SSE_PING_MS: '15000',
    },
    ready: 'till:',
  });
  const base = `http://127.0.0.1:${edgePort}`;
  const simBase = `http://127.0.0.1:${simPort}/sim`;
  const controllers: AbortController[] = [];
  try {
    for (const tid of tids) {
      await fetch(`${base}/api/terminals`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ tid, currency: 'EUR' }) });
      await fetch(`${simBase}/terminals/${tid}/mode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"mode":"manual"}' });
    }
    const ruids = tids.map(() => newRuid());
    await Promise.all(tids.map((tid, index) => fetch(`${base}/api/payments`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ ruid: ruids[index], tid, amount: '10.00' }) })));
    const rssIdleMb = rssMb(edge);

    const latencies: number[] = [];
    let opened = 0;
    const open = async (ruid: string) => {
      const controller = new AbortController();
      controllers.push(controller);
      // Node's fetch opens as many connections to one origin as asked (no per-origin cap).
      const response = await fetch(`${base}/api/payments/${ruid}/events`, { headers: ADMIN, signal: controller.signal });
      opened += 1;
      const reader = response.body?.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      void (async () => {
        try {
          for (;;) {
            const chunk = await reader?.read();
            if (!chunk || chunk.done) return;
            buffer += decoder.decode(chunk.value, { stream: true });
            let split: number;
            while ((split = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, split);
              buffer = buffer.slice(split + 2);
              const data = block.split('\n').find((line) => line.startsWith('data:'));
              if (!data) continue;
              const event = JSON.parse(data.slice(5)) as Payment;
              if (event.state === 'approved') latencies.push(Date.now() - Date.parse(event.updatedAt));
            }
          }
        } catch {
          // aborted at the end
        }
      })();
    };
    for (let batch = 0; batch < followers; batch += 10) {
      await Promise.all(ruids.flatMap((ruid) => Array.from({ length: Math.min(10, followers - batch) }, () => open(ruid))));
    }
    await new Promise((done) => setTimeout(done, 1_000));
    const rssWithStreamsMb = rssMb(edge);

    // 100 payments a second: each terminal's customer presses O and pays, 10 ms apart.
    for (const tid of tids) {
      void fetch(`${simBase}/terminals/${tid}/press-o`, { method: 'POST' }).then(() => fetch(`${simBase}/terminals/${tid}/card`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' }));
      await new Promise((done) => setTimeout(done, 1_000 / terminals));
    }
    const deadline = Date.now() + 60_000;
    while (latencies.length < opened && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
    latencies.sort((a, b) => a - b);
    return { streams: opened, payments: terminals, rssIdleMb, rssWithStreamsMb, delivered: latencies.length, deliveryP50Ms: percentile(latencies, 50), deliveryP99Ms: percentile(latencies, 99), deliveryMaxMs: latencies.at(-1) ?? Number.NaN };
  } finally {
    for (const controller of controllers) controller.abort();
    signalGroup(edge, 'SIGKILL');
    signalGroup(sim, 'SIGKILL');
  }
}
