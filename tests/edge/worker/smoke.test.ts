import { afterAll, beforeAll, expect, it } from 'vitest';
import { newRuid } from '../../../shared/ruid.js';
import { startWorkerHarness, type WorkerHarness } from '../../helpers/worker-harness.js';

let w: WorkerHarness;
beforeAll(async () => {
  w = await startWorkerHarness();
}, 60_000);
afterAll(async () => {
  await w?.close();
});

it('smoke', async () => {
  const health = await w.api('GET', '/healthz');
  console.log(health);
  const terminal = await w.api('POST', '/api/terminals', { tid: '90000015', currency: 'EUR' });
  console.log(terminal);
  const ruid = newRuid();
  const created = await w.api('POST', '/api/payments', { ruid, tid: '90000015', amount: '12.00' });
  console.log(created);
  console.log(await w.waitFor(ruid, ['approved', 'declined', 'failed']));
  expect(1).toBe(1);
}, 30_000);
