import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDemoSimulator } from '../../../edge/demo/demo-mypos.js';
import type { RunningSimulator } from '../../../edge/simulator/node-server.js';
import { newRuid } from '../../../shared/ruid.js';

// The demo's myPOS keeps its payments across restarts (in its data folder), as myPOS keeps them
// whatever happens to the shop's box: a restore of the edge's books can still have a card payment
// made since the backup confirmed. POST /sim/reset forgets them.

const dataDir = mkdtempSync(join(tmpdir(), 'sim-kept-'));
const running: RunningSimulator[] = [];
afterAll(async () => {
  for (const sim of running) await sim.close().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<RunningSimulator> {
  const sim = await startDemoSimulator({ SIM_TIME_SCALE: '0' }, dataDir, '0');
  running.push(sim);
  return sim;
}

/** A purchase on the virtual terminal, driven to its end: approved, or declined (cents .05). */
function purchase(sim: RunningSimulator, amountCents: number): string {
  const terminals = sim.simulator.terminals;
  const terminal = terminals.terminals.get('90000015');
  if (!terminal) throw new Error('no demo terminal 90000015');
  const ruid = newRuid();
  terminals.startTxn(terminal, { ruid, method: 'MPRPurchase', amountCents });
  terminals.pressO('90000015');
  terminals.presentCard('90000015');
  return ruid;
}

describe('the demo myPOS keeps its payments', () => {
  it('remembers approved, declined and voided payments and its ledger across a restart, until /sim/reset', async () => {
    const first = await start();
    const approved = purchase(first, 700);
    const declined = purchase(first, 1205);
    const voided = purchase(first, 300);
    expect(first.simulator.terminals.voidLast('90000015', voided, 300)).toBe(true);
    expect(first.simulator.terminals.txns.get(approved)?.phase).toBe('approved');
    expect(first.simulator.terminals.txns.get(declined)?.phase).toBe('declined');
    const authCode = first.simulator.terminals.txns.get(approved)?.card?.authCode;
    expect(authCode).toMatch(/^\d{6}$/);
    await first.close();

    const second = await start();
    const { txns, ledger } = second.simulator.terminals;
    expect(txns.get(approved)).toMatchObject({ phase: 'approved', amountCents: 700, voided: false });
    expect(txns.get(approved)?.card?.authCode).toBe(authCode);
    expect(txns.get(declined)).toMatchObject({ phase: 'declined', amountCents: 1205 });
    expect(txns.get(voided)).toMatchObject({ phase: 'approved', voided: true });
    expect(ledger.map((entry) => [entry.kind, entry.ruid])).toEqual([['purchase', approved], ['purchase', voided], ['void', voided]]);

    expect((await fetch(`${second.url}/sim/reset`, { method: 'POST' })).status).toBe(200);
    await second.close();
    const third = await start();
    expect(third.simulator.terminals.txns.size).toBe(0);
    expect(third.simulator.terminals.ledger).toEqual([]);
  });
});
