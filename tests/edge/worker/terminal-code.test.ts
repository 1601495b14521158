import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkerHarness, type WorkerHarness } from '../../helpers/worker-harness.js';

// On Workers terminal setup is served by the Worker itself, whose routes have no timers: the
// check for a typed subscription code is made by GET /api/terminals, at most once per
// TERMINAL_CODE_POLL_MS (5 s by default) per terminal.

let w: WorkerHarness;
beforeAll(async () => {
  w = await startWorkerHarness();
}, 60_000);
afterAll(async () => {
  await w?.close();
});

type Listed = { terminals: Array<{ tid: string; state: string }> };
const stateOf = async (tid: string) => (await w.api<Listed>('GET', '/api/terminals')).body.terminals.find((t) => t.tid === tid)?.state;
const statusCalls = async () => (await w.simControl<{ exchanges: Array<{ method: string; status: string }> }>('/state')).exchanges.filter((e) => e.method === 'MPRGetTxnStatus');

describe('a terminal waiting for its code, on Workers', () => {
  it('GET /api/terminals turns it active once the code is typed, without flooding myPOS', async () => {
    const created = await w.api<{ terminal: { state: string; code: string } }>('POST', '/api/terminals', { tid: '90000017', currency: 'BGN' });
    expect(created.status).toBe(201);
    expect(created.body.terminal.state).toBe('pending_code');
    expect(await stateOf('90000017')).toBe('pending_code');
    for (let i = 0; i < 5; i++) await stateOf('90000017');
    // Six reads within the interval: one check (answered 7), not six.
    expect((await statusCalls()).map((call) => call.status)).toEqual(['7']);

    expect(await w.simControl('/terminals/90000017/code', { code: created.body.terminal.code })).toMatchObject({ ok: true });
    const deadline = Date.now() + 12_000;
    while ((await stateOf('90000017')) !== 'active') {
      if (Date.now() > deadline) throw new Error('still waiting for the code');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect((await statusCalls()).at(-1)?.status).toBe('4');
  }, 30_000);
});
