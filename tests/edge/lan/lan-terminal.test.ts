import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IqomSocketLink } from '../../../edge/adapters/node/iqom-socket.js';
import { buildCommand, parseAnswer } from '../../../edge/core/lan/iqom-xml.js';
import type { RunningIqomSimulator } from '../../../edge/simulator/iqom-server.js';
import type { Payment } from '../../../shared/payments.js';
import { newRuid } from '../../../shared/ruid.js';
import { startEdgeHarness, type EdgeHarness } from '../../helpers/edge-harness.js';

// LAN terminals over real TCP: the edge's socket link against the Payment Interface simulator,
// through the edge's API as the till uses it.

const TID = 'LAN00001';
let h: EdgeHarness;
let sim: RunningIqomSimulator;

beforeAll(async () => {
  // The dead terminal's port has nothing listening; a short response timeout for the silent terminal.
  h = await startEdgeHarness({ EDGE_LAN_TERMINALS: 'LANDEAD1=127.0.0.1:9', EDGE_LAN_RESPONSE_TIMEOUT_MS: '1500', EDGE_LAN_CONNECT_TIMEOUT_MS: '1000' });
  const running = h.edge.lanSimulator;
  if (!running) throw new Error('demo mode starts the LAN simulator');
  sim = running;
});
afterAll(async () => {
  await h.close();
});

type Answer = { payment: Payment; error?: { code: string; field?: string; rule?: string } };
const pay = async (amount: string, kind: 'payments' | 'preauths' = 'payments', tid = TID) => {
  const ruid = newRuid();
  const response = await h.api<Answer>('POST', `/api/${kind}`, { ruid, tid, amount });
  return { ruid, response };
};
const settled = (ruid: string) => h.waitFor(ruid, ['approved', 'declined', 'failed', 'unknown', 'cancelled'], 5_000);

describe('a LAN terminal through the edge', () => {
  it('lists with its transport and its operations (pre-authorisation only on LAN)', async () => {
    const { body } = await h.api<{ terminals: Array<{ tid: string; transport: string; operations: string[]; address?: string }> }>('GET', '/api/terminals');
    expect(body.terminals.find((t) => t.tid === TID)).toMatchObject({ transport: 'lan', operations: ['purchase', 'refund', 'preauth', 'settle_unknown'] });
    expect(body.terminals.find((t) => t.tid === TID)?.address).toBeUndefined();
    expect(body.terminals.find((t) => t.tid === '90000015')).toMatchObject({ transport: 'cloud', operations: ['purchase', 'refund', 'cancel', 'void', 'subscription'] });
  });

  it('pays: approved with the terminal\'s reference, and the simulator charged it once', async () => {
    const before = sim.simulator.chargedCents();
    const { ruid, response } = await pay('12.00');
    expect(response.status).toBe(202);
    expect(response.body.payment).toMatchObject({ transport: 'lan', state: 'accepted' });
    const payment = await settled(ruid);
    expect(payment).toMatchObject({ state: 'approved', receipt: { ref: expect.stringMatching(/^[0-9]+$/) } });
    expect(sim.simulator.chargedCents() - before).toBe(1200);
    expect(sim.simulator.ledger.at(-1)).toMatchObject({ command: 'pay', invoice: ruid, cents: 1200 });
  });

  it('a decline is declined with myPOS\'s status, for pay, refund and preauth alike', async () => {
    const declined = await pay('10.05');
    expect(await settled(declined.ruid)).toMatchObject({ state: 'declined', myposStatus: '3', reason: 'declined' });
    const held = await pay('20.05', 'preauths');
    expect(await settled(held.ruid)).toMatchObject({ state: 'declined', kind: 'preauth' });
    const approved = await pay('30.00');
    await settled(approved.ruid);
    const refund = newRuid();
    expect((await h.api('POST', '/api/refunds', { ruid: refund, originalRuid: approved.ruid, amount: '0.05' })).status).toBe(202);
    expect(await settled(refund)).toMatchObject({ kind: 'refund', state: 'declined', originalRuid: approved.ruid });
  });

  it('a cancellation on the terminal (.14) is cancelled, not declined', async () => {
    const { ruid } = await pay('6.14');
    expect(await h.waitFor(ruid, ['cancelled', 'declined', 'approved'], 5_000)).toMatchObject({ state: 'cancelled', myposStatus: '2', reason: 'cardholder_cancelled' });
  });

  it('refunds a LAN purchase on the LAN terminal, never more than is left', async () => {
    const { ruid } = await pay('9.00');
    await settled(ruid);
    const refund = newRuid();
    expect((await h.api('POST', '/api/refunds', { ruid: refund, originalRuid: ruid, amount: '4.00' })).status).toBe(202);
    expect(await settled(refund)).toMatchObject({ state: 'approved', transport: 'lan' });
    expect(sim.simulator.ledger.at(-1)).toMatchObject({ command: 'refund', cents: 400 });
    const over = await h.api<Answer>('POST', '/api/refunds', { ruid: newRuid(), originalRuid: ruid, amount: '5.01' });
    expect(over.body.error).toMatchObject({ field: 'amount', rule: 'max_refundable' });
  });

  it('holds an amount, then completes at most that with the pre-authorisation code; a second completion is refused', async () => {
    const { ruid } = await pay('50.00', 'preauths');
    const held = await settled(ruid);
    expect(held).toMatchObject({ state: 'approved', kind: 'preauth' });
    const code = held.receipt?.ref ?? '';
    expect(sim.simulator.preauths.get(code)).toBe(5000);
    const over = await h.api<Answer>('POST', `/api/preauths/${ruid}/completion`, { ruid: newRuid(), amount: '50.01' });
    expect(over.body.error).toMatchObject({ field: 'amount', rule: 'max_held' });
    const completion = newRuid();
    expect((await h.api('POST', `/api/preauths/${ruid}/completion`, { ruid: completion, amount: '42.50' })).status).toBe(202);
    expect(await settled(completion)).toMatchObject({ kind: 'completion', state: 'approved', originalRuid: ruid, amountCents: 4250 });
    expect(sim.simulator.ledger.at(-1)).toMatchObject({ command: 'preauthcompletion', cents: 4250 });
    expect(sim.simulator.preauths.has(code)).toBe(false);
    const again = await h.api<Answer>('POST', `/api/preauths/${ruid}/completion`, { ruid: newRuid(), amount: '1.00' });
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('already_closed');
  });

  it('releases a hold; pre-authorisation on a cloud terminal is refused', async () => {
    const { ruid } = await pay('15.00', 'preauths');
    const held = await settled(ruid);
    const release = newRuid();
    expect((await h.api('POST', `/api/preauths/${ruid}/release`, { ruid: release })).status).toBe(202);
    expect(await settled(release)).toMatchObject({ kind: 'preauth_cancel', state: 'approved' });
    expect(sim.simulator.preauths.has(held.receipt?.ref ?? '')).toBe(false);
    const cloud = await pay('15.00', 'preauths', '90000015');
    expect(cloud.response.body.error).toMatchObject({ field: 'tid', rule: 'lan_terminal' });
  });

  it('a connection cut after the command: unknown, never resent, the terminal blocked until a person settles it', async () => {
    sim.simulator.fault = 'drop_after_charge';
    const before = sim.simulator.ledger.length;
    const { ruid } = await pay('7.00');
    expect(await settled(ruid)).toMatchObject({ state: 'unknown' });
    // The terminal did charge; the edge did not send it again.
    expect(sim.simulator.ledger.length - before).toBe(1);
    const blocked = await pay('1.00');
    expect(blocked.response.status).toBe(409);
    expect(blocked.response.body.error).toMatchObject({ code: 'terminal_busy', inFlightRuid: ruid, inFlight: { ruid, amount: '7.00', currency: 'EUR' } });
    const resolved = await h.api<Answer>('POST', `/api/payments/${ruid}/resolve`, { state: 'approved', ref: sim.simulator.ledger.at(-1)?.ref });
    expect(resolved.body.payment).toMatchObject({ state: 'approved', receipt: { ref: sim.simulator.ledger.at(-1)?.ref } });
    expect((await h.api('POST', `/api/payments/${ruid}/resolve`, { state: 'declined' })).status).toBe(409);
    const next = await pay('1.00');
    expect(await settled(next.ruid)).toMatchObject({ state: 'approved' });
    expect(sim.simulator.ledger.length - before).toBe(2);
  });

  it('no answer within the response timeout, or an answer it cannot read: unknown', async () => {
    sim.simulator.fault = 'silent';
    const silent = await pay('2.00');
    expect(await settled(silent.ruid)).toMatchObject({ state: 'unknown' });
    await h.api('POST', `/api/payments/${silent.ruid}/resolve`, { state: 'declined' });
    sim.simulator.fault = 'garbage';
    const garbage = await pay('3.00');
    expect(await settled(garbage.ruid)).toMatchObject({ state: 'unknown' });
    await h.api('POST', `/api/payments/${garbage.ruid}/resolve`, { state: 'declined' });
    expect((await h.payment(garbage.ruid)).state).toBe('declined');
  });

  it('a terminal that cannot be reached: failed, nothing charged', async () => {
    const { ruid } = await pay('4.00', 'payments', 'LANDEAD1');
    expect(await settled(ruid)).toMatchObject({ state: 'failed', reason: 'terminal_offline' });
  });

  it('two payments at once on one terminal: the second is refused while the first is in flight', async () => {
    sim.simulator.cardDelayMs = 300;
    const [first, second] = await Promise.all([pay('5.00'), pay('6.00')]);
    sim.simulator.cardDelayMs = 8;
    const statuses = [first.response.status, second.response.status].sort();
    expect(statuses).toEqual([202, 409]);
    await settled(first.response.status === 202 ? first.ruid : second.ruid);
  });

  it('cancel and void are not LAN operations', async () => {
    const { ruid } = await pay('8.00');
    await settled(ruid);
    const refused = await h.api<Answer>('POST', `/api/payments/${ruid}/cancel`);
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe('not_supported');
  });
});

describe('the Payment Interface simulator over TCP', () => {
  it('answers malformed XML with "Hibás XML"', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: sim.port }, () => socket.write('<pay><invoice>1</invoice><sum>abc</sum></pay>'));
      socket.on('data', (data) => {
        resolve(data.toString('utf8'));
        socket.destroy();
      });
      socket.on('error', reject);
    });
    expect(parseAnswer('pay', answer)).toEqual({ kind: 'malformed_request', text: 'Hibás XML' });
  });

  it('a completion or a release with a code it never gave is an error; two commands on one link go one after the other', async () => {
    const link = new IqomSocketLink(sim.address, { connectTimeoutMs: 1000, responseTimeoutMs: 5000 });
    const [unknown, release, paid] = await Promise.all([
      link.send(buildCommand({ kind: 'preauthcompletion', preauthCode: '999999', amountCents: 100 })),
      link.send(buildCommand({ kind: 'preauthcancel', preauthCode: '999999' })),
      link.send(buildCommand({ kind: 'pay', invoice: 'LINK-1', amountCents: 100 })),
    ]);
    link.close();
    expect(unknown.kind === 'answer' && parseAnswer('preauthcompletion', unknown.xml)).toMatchObject({ kind: 'error', status: '3' });
    expect(release.kind === 'answer' && parseAnswer('preauthcancel', release.xml)).toMatchObject({ kind: 'error', status: '3' });
    expect(paid.kind === 'answer' && parseAnswer('pay', paid.xml)).toMatchObject({ kind: 'ok' });
  });

  it('a second connection while the terminal is busy is told so', async () => {
    sim.simulator.cardDelayMs = 300;
    const one = new IqomSocketLink(sim.address, { connectTimeoutMs: 1000, responseTimeoutMs: 5000 });
    const two = new IqomSocketLink(sim.address, { connectTimeoutMs: 1000, responseTimeoutMs: 5000 });
    const [a, b] = await Promise.all([one.send(buildCommand({ kind: 'pay', invoice: 'A', amountCents: 100 })), two.send(buildCommand({ kind: 'pay', invoice: 'B', amountCents: 100 }))]);
    sim.simulator.cardDelayMs = 8;
    one.close();
    two.close();
    const answers = [a, b].map((result) => (result.kind === 'answer' ? parseAnswer('pay', result.xml).kind : result.kind)).sort();
    expect(answers).toEqual(['error', 'ok']);
  });
});
