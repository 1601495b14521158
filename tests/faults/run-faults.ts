import { runFaults } from './fault-run.js';

// npm run test:faults [-- sales seed]: the full fault run (1000 sales by default). Prints the figures;
// exit 1 when anything was lost, duplicated, charged twice or left in a wrong final state.

const sales = Number(process.argv[2] ?? '1000');
const seed = Number(process.argv[3] ?? '20261122');
console.log(`fault run: ${sales} sales, seed ${seed}, the edge killed and restarted every ${Math.max(25, Math.round(sales / 20))} sales`);
const browserSales = Math.max(1, Math.round(sales / 20));
console.log(`  of which ${browserSales} more through the till in Chromium (tablet reloads, network cuts)`);
const result = await runFaults({ sales, seed, killEvery: Math.max(25, Math.round(sales / 20)), browserSales, log: (line) => console.log(line) });
report(result);
// A share over HTTPS (a local CA made for the run): the same faults, the edge serving TLS.
const httpsSales = Math.max(20, Math.round(sales / 5));
console.log(`\nthe HTTPS share: ${httpsSales} sales, seed ${seed + 1}`);
const overHttps = await runFaults({ sales: httpsSales, seed: seed + 1, killEvery: Math.max(10, Math.round(httpsSales / 4)), browserSales: Math.max(1, Math.round(httpsSales / 20)), https: true, log: (line) => console.log(line) });
report(overHttps);

function report(result: Awaited<ReturnType<typeof runFaults>>): void {
  const injected = Object.entries(result.faultsInjected).sort(([a], [b]) => a.localeCompare(b));
  console.log(
    [
      `sales:                 ${result.sales} (${Object.entries(result.byState).map(([state, n]) => `${n} ${state}`).join(', ')})`,
      `faults injected:       ${injected.reduce((sum, [, n]) => sum + n, 0)} (${injected.map(([name, n]) => `${name} ${n}`).join(', ')})`,
      `lost:                  ${result.lost}`,
      `duplicated:            ${result.duplicated}`,
      `double charges:        ${result.doubleCharges}`,
      `wrong final states:    ${result.wrongFinalStates}`,
      `unknown, then settled: ${result.unknownThenSettled}`,
      `time:                  ${result.seconds} s`,
    ].join('\n'),
  );
  for (const problem of result.problems) console.log(`  ${problem}`);
  if (result.lost + result.duplicated + result.doubleCharges + result.wrongFinalStates > 0) process.exitCode = 1;
}
