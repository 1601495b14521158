import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newRuid } from '../../../shared/ruid.js';
import type { Payment } from '../../../shared/payments.js';
import { startEdgeHarness, type EdgeHarness } from '../../helpers/edge-harness.js';

// GET /api/terminals tells every till the last approved purchase of each terminal, so that charging
// the same amount again within minutes is asked first on any till of the shop.

let h: EdgeHarness;
beforeAll(async () => {
  h = await startEdgeHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  for (const tid of ['90000015', '90000016']) await h.sim(`/terminals/${tid}/mode`, { mode: 'auto' });
});

type Listed = { tid: string; lastApproved?: { ruid: string; amount: string; approvedAt: string } };
const listed = async (tid: string) => (await h.api<{ terminals: Listed[] }>('GET', '/api/terminals')).body.terminals.find((terminal) => terminal.tid === tid);
async function pay(amount: string, tid: string, states: readonly string[]): Promise<Payment> {
  const ruid = newRuid();
  expect((await h.api('POST', '/api/payments', { ruid, tid, amount })).status).toBe(202);
  return h.waitFor(ruid, states);
}

describe('the last approved purchase of each terminal', () => {
  it('is listed with its ruid, amount and time; a decline does not replace it; a void removes it', async () => {
    const approved = await pay('20.21', '90000015', ['approved']);
    const terminal = await listed('90000015');
    expect(terminal?.lastApproved).toEqual({ ruid: approved.ruid, amount: '20.21', approvedAt: approved.updatedAt });
    expect(Date.now() - Date.parse(terminal?.lastApproved?.approvedAt ?? '')).toBeLessThan(10_000);
    // Another terminal has its own.
    expect((await listed('90000016'))?.lastApproved?.ruid).not.toBe(approved.ruid);

    await pay('10.51', '90000015', ['declined']);
    expect((await listed('90000015'))?.lastApproved?.ruid).toBe(approved.ruid);

    expect((await h.api('POST', `/api/payments/${approved.ruid}/cancel`)).status).toBe(200);
    await h.waitFor(approved.ruid, ['voided']);
    expect((await listed('90000015'))?.lastApproved).toBeUndefined();
  });

  it('is what a till device sees too, for the terminals it may use', async () => {
    const approved = await pay('7.30', '90000016', ['approved']);
    const { token } = await h.pairDevice({ role: 'till', terminals: ['90000016'] });
    const { body } = await h.api<{ terminals: Listed[] }>('GET', '/api/terminals', undefined, { authorization: `Bearer ${token}` });
    expect(body.terminals.map((terminal) => terminal.tid)).toEqual(['90000016']);
    expect(body.terminals[0]?.lastApproved).toMatchObject({ ruid: approved.ruid, amount: '7.30' });
  });
});
