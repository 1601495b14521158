import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../edge/simulator/node-server.js';
import type { LedgerEntry } from '../../../edge/simulator/terminals.js';
import type { Payment } from '../../../shared/payments.js';
import { newRuid } from '../../../shared/ruid.js';
import { ADMIN_HEADERS, FAST_ENV, readSse } from '../../helpers/edge-harness.js';
import { liveEdgeEnv, signalGroup, spawnUntilReady } from '../../helpers/processes.js';

// The edge as its own process, in live mode against the simulator, killed with SIGKILL while a
// payment is on the terminal, then started again on the same data folder.

const root = resolve(import.meta.dirname, '../../..');
let sim: RunningSimulator;
let dir: string;
let port: number;
let child: ChildProcess | undefined;

function edgeEnv(): NodeJS.ProcessEnv {
  return liveEdgeEnv(FAST_ENV, port, dir, sim);
}

function startEdgeProcess(): Promise<ChildProcess> {
  return spawnUntilReady(join(root, 'node_modules/.bin/tsx'), ['edge/adapters/node/main.ts'], { cwd: root, env: edgeEnv(), ready: 'till:' });
}

const api = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { 'content-type': 'application/json', ...ADMIN_HEADERS }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as T };
};

async function waitState(ruid: string, state: string): Promise<Payment> {
  const deadline = Date.now() + 8_000;
  for (;;) {
    const { body } = await api<{ payment: Payment }>('GET', `/api/payments/${ruid}`);
    if (body.payment.state === state) return body.payment;
    if (Date.now() > deadline) throw new Error(`still ${body.payment.state}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recovery-'));
  port = 21_000 + Math.floor(Math.random() * 20_000);
  sim = await startSimulator({ SIM_PORT: '0', SIM_DATA_DIR: dir, SIM_TIME_SCALE: '0.004', SIM_PARTNER_LOGIN: 'shop@example.com' });
}, 30_000);

afterAll(async () => {
  signalGroup(child, 'SIGKILL');
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('edge killed with SIGKILL during a payment', () => {
  it('resumes after restart: the payment settles correctly, one charge', async () => {
    child = await startEdgeProcess();
    const subscribed = await api<{ terminal: { state: string } }>('POST', '/api/terminals', { tid: '90000016', currency: 'EUR' });
    expect(subscribed.status).toBe(201);
    await fetch(`${sim.url}/sim/terminals/90000016/mode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"mode":"manual"}' });

    const ruid = newRuid();
    expect((await api('POST', '/api/payments', { ruid, tid: '90000016', amount: '31.00' })).status).toBe(202);
    await waitState(ruid, 'sent');
    signalGroup(child, 'SIGKILL');
    await new Promise<void>((r) => child?.once('exit', () => r()));

    // While the edge is dead, the customer pays on the terminal.
    await fetch(`${sim.url}/sim/terminals/90000016/press-o`, { method: 'POST' });
    await fetch(`${sim.url}/sim/terminals/90000016/card`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"approve"}' });

    child = await startEdgeProcess();
    const settled = await waitState(ruid, 'approved');
    expect(settled.receipt?.response_code).toBe('00');
    const ledger = (await (await fetch(`${sim.url}/sim/ledger`)).json()) as LedgerEntry[];
    expect(ledger.filter((entry) => entry.ruid === ruid)).toHaveLength(1);
    const { events } = await readSse(`http://127.0.0.1:${port}/api/payments/${ruid}/events`);
    expect(events.map((e) => (JSON.parse(e.data) as Payment).state)).toEqual(['accepted', 'sent', 'approved']);
    // The terminal is free again.
    expect((await api('POST', '/api/payments', { ruid: newRuid(), tid: '90000016', amount: '1.00' })).status).toBe(202);
  }, 40_000);
});
