import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEdge, type RunningEdge } from '../../../edge/adapters/node/start.js';
import { jsonLogger } from '../../../edge/adapters/node/logger.js';
import { openNodeStore } from '../../../edge/adapters/node/node-sqlite.js';
import type { Scheduler } from '../../../edge/core/ports.js';
import { TerminalService } from '../../../edge/core/terminals.js';
import { startSimulator, type RunningSimulator } from '../../../edge/simulator/node-server.js';
import type { SimExchange } from '../../../edge/simulator/soap-endpoint.js';
import { newRuid } from '../../../shared/ruid.js';
import { FAST_ENV, startEdgeHarness, type EdgeHarness } from '../../helpers/edge-harness.js';
import { startHarness, type Harness } from '../../helpers/mypos-harness.js';
import { liveEdgeEnv } from '../../helpers/processes.js';

// A subscribed terminal becomes `active` on evidence: the edge asks a harmless MPRGetTxnStatus
// every TERMINAL_CODE_POLL_MS while the code waits (for TERMINAL_CODE_WAIT_MS), and
// GET /api/terminals checks a due one itself. Through the real edge and the simulator.

const POLL_MS = 50;
const WAIT_MS = 1_500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

type TerminalView = { tid: string; state: string; code?: string };

describe('the watcher on the Node edge (demo mode)', () => {
  let h: EdgeHarness;
  beforeAll(async () => {
    h = await startEdgeHarness({ TERMINAL_CODE_POLL_MS: String(POLL_MS), TERMINAL_CODE_WAIT_MS: String(WAIT_MS) });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await h.sim('/reset', {});
  });

  /** The harmless checks myPOS received (no payment runs meanwhile, so these are all the watcher's). */
  const statusCalls = async () => (await h.sim<{ exchanges: SimExchange[] }>('/state')).exchanges.filter((exchange) => exchange.method === 'MPRGetTxnStatus');
  const stored = async (tid: string) => h.edge.store.getTerminal(tid);
  const subscribe = async (tid = '90000017', currency = 'BGN') => {
    const created = await h.api<{ terminal: TerminalView }>('POST', '/api/terminals', { tid, currency });
    expect(created.status).toBe(201);
    expect(created.body.terminal.state).toBe('pending_code');
    return created.body.terminal.code ?? '';
  };

  it('turns active by itself once the code is typed on the terminal, with no payment and no GET', async () => {
    const code = await subscribe();
    await until(async () => ((await statusCalls()).length >= 3 ? true : undefined), 2_000, 'three checks');
    expect((await statusCalls()).every((call) => call.status === '7')).toBe(true);
    expect((await stored('90000017'))?.state).toBe('pending_code');

    expect(await h.sim('/terminals/90000017/code', { code })).toMatchObject({ ok: true });
    const active = await until(async () => ((await stored('90000017'))?.state === 'active' ? await stored('90000017') : undefined), 1_000, 'active');
    expect(active?.code).toBeUndefined();
    expect((await statusCalls()).at(-1)?.status).toBe('4');
    expect(h.logs.some((line) => line.includes('"terminal active"') && line.includes('90000017'))).toBe(true);

    // Active: no more checks.
    const after = (await statusCalls()).length;
    await sleep(POLL_MS * 6);
    expect((await statusCalls()).length).toBe(after);
    const listed = await h.api<{ terminals: TerminalView[] }>('GET', '/api/terminals');
    expect(listed.body.terminals.find((t) => t.tid === '90000017')).toMatchObject({ state: 'active' });
  });

  it('a code never typed: stays pending, one check per interval at most, and the watcher stops after its limit', async () => {
    const started = Date.now();
    await subscribe();
    await sleep(WAIT_MS + 300);
    const calls = await statusCalls();
    const elapsed = Date.now() - started;
    expect(calls.length).toBeGreaterThanOrEqual(5);
    expect(calls.length).toBeLessThanOrEqual(Math.ceil(WAIT_MS / POLL_MS) + 1);
    // Never two checks of one terminal closer than the interval (a little timer slack allowed).
    const gaps = calls.slice(1).map((call, i) => call.at - (calls[i]?.at ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(POLL_MS - 5);
    expect(elapsed).toBeGreaterThan(WAIT_MS);
    expect((await stored('90000017'))?.state).toBe('pending_code');
    expect(h.logs.some((line) => line.includes('no longer checking') && line.includes('90000017'))).toBe(true);

    // Past its limit, neither the watcher nor GET /api/terminals asks myPOS again.
    const listed = await h.api<{ terminals: TerminalView[] }>('GET', '/api/terminals');
    expect(listed.body.terminals.find((t) => t.tid === '90000017')).toMatchObject({ state: 'pending_code' });
    await sleep(POLL_MS * 6);
    expect((await statusCalls()).length).toBe(calls.length);
  });

  it('a purchase on a terminal waiting for its code is accepted, then fails with 7 and says to type the code', async () => {
    await subscribe();
    const ruid = newRuid();
    const created = await h.api<{ payment: { state: string } }>('POST', '/api/payments', { ruid, tid: '90000017', amount: '2.00' });
    expect(created.status).toBe(202);
    const failed = await h.waitFor(ruid, ['failed', 'approved', 'declined', 'unknown']);
    expect(failed).toMatchObject({ state: 'failed', myposStatus: '7', reason: 'code_not_typed' });
    expect((await h.sim<Array<{ ruid: string }>>('/ledger')).filter((entry) => entry.ruid === ruid)).toHaveLength(0);
    expect((await stored('90000017'))?.state).toBe('pending_code');
  });
});

describe('GET /api/terminals checks by itself (a runtime without timers)', () => {
  let h: Harness;
  let dir: string;
  beforeAll(async () => {
    h = await startHarness();
    dir = await mkdtemp(join(tmpdir(), 'terminal-watch-'));
  });
  afterAll(async () => {
    await h.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('at most one check per terminal per interval, and the answer shows in the same list', async () => {
    const store = openNodeStore(join(dir, 'edge.sqlite'));
    const noTimers: Scheduler = { schedule: () => undefined, cancel: () => undefined, close: () => undefined };
    const logs: string[] = [];
    const service = new TerminalService({ store, gateway: h.gateway, scheduler: noTimers, clock: { now: () => Date.now() }, logger: jsonLogger((line) => logs.push(line)), newRuid, watch: { pollMs: 400, waitMs: 60_000 } });
    const checks = async () => (await h.control<{ exchanges: SimExchange[] }>('/state')).exchanges.filter((exchange) => exchange.method === 'MPRGetTxnStatus').length;
    try {
      const subscribed = await service.subscribe({ name: 'admin', admin: true, terminals: ['*'] }, '90000017', 'BGN');
      if (subscribed.kind !== 'ok') throw new Error(subscribed.kind);
      expect((await service.list()).find((t) => t.tid === '90000017')?.state).toBe('pending_code');
      expect(await checks()).toBe(1);
      await h.control('/terminals/90000017/code', { code: subscribed.terminal.code });
      // Within the interval: no second call, so the list still says pending.
      expect((await service.list()).find((t) => t.tid === '90000017')?.state).toBe('pending_code');
      expect(await checks()).toBe(1);
      await sleep(450);
      expect((await service.list()).find((t) => t.tid === '90000017')).toMatchObject({ state: 'active', code: undefined });
      expect(await checks()).toBe(2);
      await service.list();
      expect(await checks()).toBe(2);
    } finally {
      store.close();
    }
  });
});

describe('after a restart of the edge', () => {
  let sim: RunningSimulator;
  let dir: string;
  let edge: RunningEdge | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'terminal-restart-'));
    sim = await startSimulator({ SIM_PORT: '0', SIM_DATA_DIR: dir, SIM_TIME_SCALE: '0.004', SIM_PARTNER_LOGIN: 'shop@example.com' });
  });
  afterAll(async () => {
    await edge?.close();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  const start = (logs: string[]) =>
    startEdge({ ...liveEdgeEnv(FAST_ENV, 0, dir, sim), TERMINAL_CODE_POLL_MS: String(POLL_MS), TERMINAL_CODE_WAIT_MS: '60000' }, jsonLogger((line) => logs.push(line)));

  it('watches a subscription still waiting for its code again, and sees the code typed while it was down', async () => {
    edge = await start([]);
    const response = await fetch(`${edge.url}/api/terminals`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${FAST_ENV.EDGE_ADMIN_TOKEN}` }, body: JSON.stringify({ tid: '90000017', currency: 'BGN' }) });
    const { terminal } = (await response.json()) as { terminal: TerminalView };
    expect(terminal.state).toBe('pending_code');
    await edge.close();
    edge = undefined;

    sim.simulator.terminals.enterCode('90000017', terminal.code ?? '');
    const logs: string[] = [];
    edge = await start(logs);
    expect(logs.some((line) => line.includes('terminals waiting for their code') && line.includes('"count":1'))).toBe(true);
    const running = edge;
    await until(async () => ((await running.store.getTerminal('90000017'))?.state === 'active' ? true : undefined), 2_000, 'active after restart');
  });
});
