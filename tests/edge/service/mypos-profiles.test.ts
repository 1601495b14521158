import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../../edge/simulator/terminals.js';
import type { DoctorSummary } from '../../../shared/doctor.js';
import type { Payment } from '../../../shared/payments.js';
import { newRuid } from '../../../shared/ruid.js';
import { FAST_ENV, readSse, startEdgeHarness, type EdgeHarness } from '../../helpers/edge-harness.js';
import { storedExchanges } from '../../helpers/stored-exchanges.js';

// Issue 16's acceptance over real HTTP: for each simulator profile the doctor, starting from the
// documents' defaults, learns how it speaks; then approve, PIN, decline, a lost answer and a forged
// answer all behave. And the command line: `npm run mypos:doctor -- --tid 90000015` with
// SIM_PROFILE=wcf, then the edge takes payments with what it saved.

const run = promisify(execFile);
let h: EdgeHarness | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

function edge(): EdgeHarness {
  if (!h) throw new Error('no edge');
  return h;
}

const pay = async (amount: string, tid = '90000015') => {
  const ruid = newRuid();
  const { status } = await edge().api('POST', '/api/payments', { ruid, tid, amount });
  expect(status).toBe(202);
  return ruid;
};

const charges = async (ruid: string) => (await edge().sim<LedgerEntry[]>('/ledger')).filter((entry) => entry.ruid === ruid && entry.kind === 'purchase').length;

const verifiedAs = (ruid: string) => storedExchanges(edge().edge, ruid).filter((row) => row.verified === 1).map((row) => row.verified_as);

async function paymentsBehave(answerOrder: 'as_received' | 'logical'): Promise<void> {
  const h = edge();
  // Approve: one charge, the answers verified in the learned order.
  const approved = await pay('23.45');
  const done = await h.waitFor(approved, ['approved']);
  expect(done.receipt).toMatchObject({ response_code: '00', amount: '23.45' });
  expect(await charges(approved)).toBe(1);
  expect(new Set(verifiedAs(approved))).toEqual(new Set([answerOrder]));

  // PIN, then approved. Manual mode: the PIN is typed once the edge showed it (in auto mode it lasts 48 ms here).
  await h.sim('/terminals/90000015/mode', { mode: 'manual' });
  const pin = await pay('10.55');
  await h.waitFor(pin, ['sent']);
  await h.sim('/terminals/90000015/press-o', {});
  await h.sim('/terminals/90000015/card', {});
  await h.waitFor(pin, ['pin']);
  await h.sim('/terminals/90000015/pin', { correct: true });
  await h.waitFor(pin, ['approved']);
  await h.sim('/terminals/90000015/mode', { mode: 'auto' });
  const { events } = await readSse(`${h.url}/api/payments/${pin}/events`);
  expect(events.map((event) => (JSON.parse(event.data) as Payment).state)).toContain('pin');

  // Declined with the issuer's code.
  const declined = await pay('10.51');
  expect(await h.waitFor(declined, ['declined'])).toMatchObject({ reason: 'insufficient_funds', responseCode: '51' });

  // The purchase's answer lost: the same request is sent again, answered from myPOS's cache, charged once.
  await h.sim('/faults', { kind: 'drop', method: 'MPRPurchase', count: 1 });
  const lost = await pay('12.30');
  await h.waitFor(lost, ['approved']);
  expect(await charges(lost)).toBe(1);

  // Every status answer forged: the card paid on the terminal, but the payment is never approved on
  // their strength; once genuine answers come again, it is.
  await h.sim('/faults', { kind: 'bad_signature', method: 'MPRGetTxnStatus', count: 10_000 });
  const logsBefore = h.logs.length;
  const forged = await pay('14.20');
  for (let waited = 0; (await charges(forged)) === 0 && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
  // The terminal charged it; some forged status answers later, it is still not approved.
  expect(await charges(forged)).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(['sent', 'unknown']).toContain((await h.payment(forged)).state);
  expect(h.logs.slice(logsBefore).some((line) => line.includes('myPOS answer failed signature verification') && line.includes('MPRGetTxnStatus'))).toBe(true);
  await fetch(`${h.simUrl}/sim/faults`, { method: 'DELETE' });
  await h.waitFor(forged, ['approved'], 5_000);
}

describe.each(['documented', 'wcf'] as const)('SIM_PROFILE=%s: the doctor learns it, then payments behave', (profile) => {
  it('learns from the default settings and takes approve, PIN, decline, lost and forged answers', async () => {
    h = await startEdgeHarness({ SIM_PROFILE: profile });
    if (profile === 'wcf') {
      // Before the doctor: the WSDL gave the SOAPAction at start, but the signature is in the
      // documents' order, which this myPOS refuses: nothing is charged.
      const refused = await pay('5.00');
      expect(await edge().waitFor(refused, ['failed'])).toMatchObject({ reason: 'not_authorised', myposStatus: '51' });
      expect(await charges(refused)).toBe(0);
    }
    const till = await edge().pairDevice({ role: 'till' });
    expect((await edge().api('POST', '/api/mypos/doctor', { tid: '90000015' }, { authorization: `Bearer ${till.token}` })).status).toBe(403);
    const { status, body } = await edge().api<{ report: DoctorSummary }>('POST', '/api/mypos/doctor', { tid: '90000015' });
    expect(status).toBe(200);
    expect(body.report).toMatchObject({ ok: true, saved: true });
    expect(body.report.diagnosis).toBeUndefined();
    const expected = profile === 'wcf' ? { signingOrder: 'key_index_first', answerOrder: 'logical', soapAction: 'urnIPayService/IPayService/MPRGetTxnStatus' } : { signingOrder: 'documented', answerOrder: 'as_received', soapAction: 'urnIPayService/MPRGetTxnStatus' };
    expect(body.report.using).toMatchObject(expected);
    const current = await edge().api<{ sources: Record<string, string>; learned?: { evidence: string[] } }>('GET', '/api/mypos/profile');
    expect(current.body.sources).toMatchObject(profile === 'wcf' ? { signingOrder: 'learned', answerOrder: 'learned', soapActions: 'wsdl', wireOrder: 'wsdl' } : { signingOrder: 'learned', soapActions: 'learned' });
    expect(current.body.learned?.evidence.length).toBeGreaterThan(0);
    await paymentsBehave(expected.answerOrder as 'as_received' | 'logical');
  });
});

describe('npm run mypos:doctor', () => {
  const doctor = (dataDir: string, args: string[], env: Record<string, string> = {}) =>
    // SIM_PORT 1: no simulator of `npm start` to find there, so the doctor starts its own.
    run(join('node_modules', '.bin', 'tsx'), ['edge/tools/doctor.ts', ...args], { env: { ...process.env, EDGE_DATA_DIR: dataDir, SIM_TIME_SCALE: FAST_ENV.SIM_TIME_SCALE, SIM_PORT: '1', ...env }, timeout: 60_000 }).then(
      (result) => ({ code: 0, out: result.stdout + result.stderr }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? -1, out: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
    );

  it('with SIM_PROFILE=wcf and nothing else: learns, saves, and the edge then takes payments with it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'doctor-'));
    dirs.push(dataDir);
    const result = await doctor(dataDir, ['--tid', '90000015'], { SIM_PROFILE: 'wcf' });
    expect(result.code, result.out).toBe(0);
    expect(result.out).toContain('signing order  key_index_first');
    expect(result.out).toContain('answer order   logical');
    expect(result.out).toMatch(/OK: myPOS accepts the calls on terminal 90000015/);
    h = await startEdgeHarness({ SIM_PROFILE: 'wcf', EDGE_DATA_DIR: dataDir });
    const ruid = await pay('23.45');
    await edge().waitFor(ruid, ['approved']);
    expect(new Set(verifiedAs(ruid))).toEqual(new Set(['logical']));
    const pin = await pay('10.55');
    await edge().waitFor(pin, ['approved'], 5_000);
    const declined = await pay('10.51');
    await edge().waitFor(declined, ['declined']);
  });

  it('run while the edge runs: the next payment uses what it saved', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'doctor-'));
    dirs.push(dataDir);
    h = await startEdgeHarness({ SIM_PROFILE: 'wcf', EDGE_DATA_DIR: dataDir });
    const before = await pay('5.00');
    expect(await edge().waitFor(before, ['failed'])).toMatchObject({ myposStatus: '51' });
    // The simulator the edge runs is the one examined (it knows the terminals connected there).
    const result = await doctor(dataDir, ['--tid', '90000015'], { SIM_PROFILE: 'wcf', SIM_PORT: new URL(edge().simUrl).port });
    expect(result.code, result.out).toBe(0);
    expect(result.out).toContain(`at ${edge().simUrl}/infromhttp (the simulator npm start runs)`);
    const after = await pay('6.00');
    await edge().waitFor(after, ['approved']);
    // Without a TID it names the terminals this edge knows.
    const usage = await doctor(dataDir, []);
    expect(usage.out).toMatch(/terminals this edge knows: 90000015 \(active\), 90000016 \(active\)/);
  });

  it('exits 1 with what to do when the terminal is not subscribed, 2 without a TID', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'doctor-'));
    dirs.push(dataDir);
    const notSubscribed = await doctor(dataDir, ['--tid', '90000017']);
    expect(notSubscribed.code).toBe(1);
    expect(notSubscribed.out).toMatch(/terminal 90000017 is not subscribed/);
    const usage = await doctor(dataDir, []);
    expect(usage.code).toBe(2);
    expect(usage.out).toMatch(/usage: npm run mypos:doctor -- --tid <TID>/);
    expect(usage.out).not.toMatch(/terminals this edge knows/);
  });
});

