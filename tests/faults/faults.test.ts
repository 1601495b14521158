import { expect, it } from 'vitest';
import { runFaults } from './fault-run.js';

// A smaller seeded share of `npm run test:faults` (1000 sales there).

it('a seeded fault run: nothing lost, nothing duplicated, no double charge, every final state right', async () => {
  const result = await runFaults({ sales: 60, seed: 7, killEvery: 20, browserSales: 6 });
  expect(result.problems).toEqual([]);
  expect(result).toMatchObject({ lost: 0, duplicated: 0, doubleCharges: 0, wrongFinalStates: 0 });
  expect(result.sales).toBeGreaterThanOrEqual(66);
  expect(result.edgeRestarts).toBeGreaterThanOrEqual(2);
  expect(Object.values(result.faultsInjected).reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
}, 240_000);

it('the same over HTTPS: the clients and the till in Chromium trust only the run’s own CA', async () => {
  const result = await runFaults({ sales: 24, seed: 11, killEvery: 12, browserSales: 3, https: true });
  expect(result.problems).toEqual([]);
  expect(result).toMatchObject({ lost: 0, duplicated: 0, doubleCharges: 0, wrongFinalStates: 0 });
  expect(result.sales).toBeGreaterThanOrEqual(27);
  expect(result.edgeRestarts).toBeGreaterThanOrEqual(1);
}, 240_000);
