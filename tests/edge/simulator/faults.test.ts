import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { purchaseRequest, txnStatusRequest } from '../../../edge/core/mypos/requests.js';
import type { LedgerEntry } from '../../../edge/simulator/terminals.js';
import { newRuid } from '../../../shared/ruid.js';
import { startHarness, type Harness } from '../../helpers/mypos-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ timings: { maxRetries: 0, requestTimeoutMs: 300 } });
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.control('/reset', {});
});

describe('each fault switch gives its typed error', () => {
  it.each([
    ['drop', {}, 'transport'],
    ['delay', { delayMs: 800 }, 'timeout'],
    ['http_500', {}, 'http_status'],
    ['malformed_xml', {}, 'bad_xml'],
    ['bad_signature', {}, 'bad_signature'],
    ['wrong_echo', {}, 'echo_mismatch'],
  ] as const)('%s -> %s', async (kind, extra, expected) => {
    await h.control('/faults', { kind, method: 'MPRPurchase', ...extra });
    const ruid = newRuid();
    const result = await h.gateway.call(purchaseRequest({ tid: '90000015', ruid, amountCents: 2500 }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe(expected);
      if (result.error.kind === 'bad_signature') expect(result.exchange?.verified).toBe(false);
      if (result.error.kind === 'echo_mismatch') {
        expect(result.error.field).toBe('amount');
        expect(result.exchange?.verified).toBe(true);
      }
    }
    // The request itself arrived: the payment exists on the terminal, and asking for its status
    // with a new RUID (no fault left) tells the truth.
    const settled = await h.gateway.call(txnStatusRequest({ tid: '90000015', ruid: newRuid(), ruidOriginal: ruid }));
    expect(settled.ok).toBe(true);
  });

  it('drop_request loses the request on its way: no answer, nothing processed or recorded, myPOS does not know the RUID', async () => {
    await h.control('/faults', { kind: 'drop_request', method: 'MPRPurchase' });
    const before = (await h.control<{ exchanges: unknown[] }>('/state')).exchanges.length;
    const ruid = newRuid();
    const result = await h.gateway.call(purchaseRequest({ tid: '90000015', ruid, amountCents: 2500 }));
    expect(!result.ok && result.error.kind).toBe('transport');
    const state = await h.control<{ exchanges: Array<{ method: string; status: string }>; faults: unknown[] }>('/state');
    expect(state.exchanges.length).toBe(before);
    expect(state.faults).toEqual([]);
    const status = await h.gateway.call(txnStatusRequest({ tid: '90000015', ruid: newRuid(), ruidOriginal: ruid }));
    expect(!status.ok && status.error.kind === 'mypos_status' && status.error.status.code).toBe('4');
    // Other methods pass while it waits for its method.
    await h.control('/faults', { kind: 'drop_request', method: 'MPRRefund' });
    expect((await h.gateway.call(purchaseRequest({ tid: '90000015', ruid: newRuid(), amountCents: 2500 }))).ok).toBe(true);
  });

  it('a delay shorter than the timeout is only slow', async () => {
    await h.control('/faults', { kind: 'delay', delayMs: 50 });
    const result = await h.gateway.call(purchaseRequest({ tid: '90000015', ruid: newRuid(), amountCents: 2500 }));
    expect(result.ok).toBe(true);
  });

  it('a fault limited to one method leaves the others alone', async () => {
    await h.control('/faults', { kind: 'http_500', method: 'MPRRefund', count: 5 });
    const result = await h.gateway.call(purchaseRequest({ tid: '90000015', ruid: newRuid(), amountCents: 2500 }));
    expect(result.ok).toBe(true);
    const state = await h.control<{ faults: unknown[] }>('/state');
    expect(state.faults).toHaveLength(1);
  });

  it('the control API refuses a bad fault with the field and the rule', async () => {
    const response = await fetch(`${h.sim.url}/sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'explode' }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { field: 'kind', rule: 'enum' } });
  });

  it('no fault charges twice', async () => {
    expect((await h.control<LedgerEntry[]>('/ledger')).length).toBe(0);
  });
});
