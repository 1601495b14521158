import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fieldValue } from '../../../edge/core/mypos/response.js';
import {
  cancelRequest,
  lastTxnVoidRequest,
  purchaseRequest,
  refundRequest,
  subscribeRequest,
  txnStatusRequest,
} from '../../../edge/core/mypos/requests.js';
import { interpretTxnStatus, type TxnOutcome } from '../../../edge/core/mypos/txn-status.js';
import type { LedgerEntry } from '../../../edge/simulator/terminals.js';
import { newRuid } from '../../../shared/ruid.js';
import { startHarness, until, type Harness } from '../../helpers/mypos-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.control('/reset', {});
});

async function status(tid: string, ruidOriginal: string): Promise<TxnOutcome> {
  const result = await h.gateway.call(txnStatusRequest({ tid, ruid: newRuid(), ruidOriginal }));
  if (!result.ok) throw new Error(`status failed: ${result.error.kind} ${result.error.message}`);
  return interpretTxnStatus(result.response);
}

/** Asks MPRGetTxnStatus until a final answer, recording every state seen. */
async function settle(tid: string, ruid: string): Promise<{ final: TxnOutcome; seen: string[] }> {
  const seen: string[] = [];
  const final = await until(async () => {
    const outcome = await status(tid, ruid);
    if (seen.at(-1) !== outcome.state) seen.push(outcome.state);
    return outcome.state === 'pin' || outcome.state === 'pending' ? undefined : outcome;
  });
  return { final, seen };
}

async function purchase(tid: string, amountCents: number, ruid = newRuid()) {
  const result = await h.gateway.call(purchaseRequest({ tid, ruid, amountCents, reference: { number: 'Inv 42', type: '2' } }));
  return { ruid, result };
}

const ledger = () => h.control<LedgerEntry[]>('/ledger');

describe('round trips against the simulator over HTTP', () => {
  it('subscribes a terminal: code, confirmation on the device, then payments work; cancelling works the same way', async () => {
    const tid = '90000017';
    const before = await purchase(tid, 1000);
    expect(before.result.ok).toBe(false);
    if (!before.result.ok && before.result.error.kind === 'mypos_status') expect(before.result.error.status.code).toBe('41');

    const wrongCurrency = await h.gateway.call(subscribeRequest({ tid, ruid: newRuid(), currency: 'EUR', action: 'subscribe' }));
    expect(wrongCurrency.ok).toBe(false);
    if (!wrongCurrency.ok) expect(wrongCurrency.error.kind).toBe('mypos_status');

    const subscribed = await h.gateway.call(subscribeRequest({ tid, ruid: newRuid(), currency: 'BGN', action: 'subscribe' }));
    if (!subscribed.ok) throw new Error(subscribed.error.message);
    const code = fieldValue(subscribed.response, 'code') ?? '';
    expect(code).toMatch(/^[0-9]{8}$/);
    expect((await purchase(tid, 1000)).result.ok).toBe(false);
    expect(await h.control('/terminals/90000017/code', { code: '00000000' })).toMatchObject({ ok: false });
    expect(await h.control('/terminals/90000017/code', { code })).toMatchObject({ ok: true });
    const paid = await purchase(tid, 1000);
    expect(paid.result.ok).toBe(true);
    expect((await settle(tid, paid.ruid)).final.state).toBe('approved');

    const cancelled = await h.gateway.call(subscribeRequest({ tid, ruid: newRuid(), currency: 'BGN', action: 'unsubscribe' }));
    if (!cancelled.ok) throw new Error(cancelled.error.message);
    await h.control('/terminals/90000017/code', { code: fieldValue(cancelled.response, 'code') });
    const after = await purchase(tid, 1000);
    expect(!after.result.ok && after.result.error.kind === 'mypos_status' && after.result.error.status.code).toBe('41');
  });

  it('approves a purchase: the terminal takes it, and MPRGetTxnStatus gives the receipt fields', async () => {
    const { ruid, result } = await purchase('90000015', 2345);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.response.status).toBe('0');
    expect(fieldValue(result.response, 'amount')).toBe('23.45');
    const { final } = await settle('90000015', ruid);
    expect(final.state).toBe('approved');
    if (final.state === 'approved') {
      expect(final.receipt).toMatchObject({ ruid_original_status: '0', original_method: 'MPRPurchase', amount: '23.45', response_code: '00', merch_name: 'Demo Shop' });
      expect(final.receipt.auth_code).toMatch(/^[0-9]{6}$/);
      expect(final.receipt.masked_pan).toMatch(/\*{6}/);
      for (const field of ['rrn', 'stan', 'aid', 'mid', 'merch_txn_date', 'merch_txn_time'] as const) expect(final.receipt[field]).toBeTruthy();
    }
    expect(await ledger()).toMatchObject([{ kind: 'purchase', ruid, amountCents: 2345 }]);
  });

  it('declines by the cents table (.51) and charges nothing', async () => {
    const { ruid, result } = await purchase('90000015', 1051);
    expect(result.ok).toBe(true);
    const { final } = await settle('90000015', ruid);
    expect(final).toMatchObject({ state: 'declined', responseCode: '51' });
    expect(await ledger()).toEqual([]);
  });

  it.each(['response_code', 'status'] as const)('runs the PIN flow (.55) with the PIN code in %s', async (pinCodeIn) => {
    await h.control('/settings', { pinCodeIn });
    // Manual mode: the PIN is entered once a status answer showed the prompt (in auto mode the
    // PIN phase lasts 12 ms at this time scale, shorter than some status round trips).
    await h.control('/terminals/90000015/mode', { mode: 'manual' });
    const { ruid } = await purchase('90000015', 1055);
    await h.control('/terminals/90000015/press-o', {});
    await h.control('/terminals/90000015/card', {});
    expect((await status('90000015', ruid)).state).toBe('pin');
    await h.control('/terminals/90000015/pin', { correct: true });
    const { final, seen } = await settle('90000015', ruid);
    expect(seen).toEqual(['approved']);
    expect(final.state).toBe('approved');
    await h.control('/settings', { pinCodeIn: 'response_code' });
  });

  it('refunds on the terminal', async () => {
    const ruid = newRuid();
    const result = await h.gateway.call(refundRequest({ tid: '90000015', ruid, amountCents: 500 }));
    expect(result.ok).toBe(true);
    expect((await settle('90000015', ruid)).final.state).toBe('approved');
    expect(await ledger()).toMatchObject([{ kind: 'refund', ruid, amountCents: 500 }]);
  });

  it('voids the last approved transaction once, and refuses a second void', async () => {
    const { ruid } = await purchase('90000015', 700);
    await settle('90000015', ruid);
    const voided = await h.gateway.call(lastTxnVoidRequest({ tid: '90000015', ruid: newRuid(), ruidOriginal: ruid, amountCents: 700 }));
    expect(voided.ok).toBe(true);
    const again = await h.gateway.call(lastTxnVoidRequest({ tid: '90000015', ruid: newRuid(), ruidOriginal: ruid, amountCents: 700 }));
    expect(!again.ok && again.error.kind === 'mypos_status' && again.error.status.name).toBe('E_TRANSACTION_NOT_PERMITTED');
    expect((await ledger()).map((entry) => entry.kind)).toEqual(['purchase', 'void']);
  });

  it('cancels a request pending on the terminal, and not one already paid', async () => {
    await h.control('/terminals/90000016/mode', { mode: 'manual' });
    const { ruid } = await purchase('90000016', 1200);
    const cancelled = await h.gateway.call(cancelRequest({ tid: '90000016', ruid: newRuid(), ruidOriginal: ruid }));
    expect(cancelled.ok).toBe(true);
    expect((await status('90000016', ruid)).state).toBe('cancelled');

    const second = await purchase('90000016', 1300);
    await h.control('/terminals/90000016/press-o', {});
    await h.control('/terminals/90000016/card', { outcome: 'approve' });
    expect((await status('90000016', second.ruid)).state).toBe('approved');
    const late = await h.gateway.call(cancelRequest({ tid: '90000016', ruid: newRuid(), ruidOriginal: second.ruid }));
    expect(!late.ok && late.error.kind === 'mypos_status' && late.error.status.code).toBe('10');
  });

  it('answers 11 with the pending RUID when the terminal is busy', async () => {
    await h.control('/terminals/90000016/mode', { mode: 'manual' });
    const first = await purchase('90000016', 1000);
    const second = await purchase('90000016', 2000);
    expect(second.result.ok).toBe(false);
    if (!second.result.ok && second.result.error.kind === 'mypos_status') {
      expect(second.result.error.status.kind).toBe('busy');
      expect(second.result.error.response.statusMsg).toBe(first.ruid);
    }
  });

  it('answers 42 when the terminal is offline (switch or .42) and 60 / 99 by the cents table', async () => {
    await h.control('/terminals/90000015/online', { online: false });
    const offline = await purchase('90000015', 1000);
    expect(!offline.result.ok && offline.result.error.kind === 'mypos_status' && offline.result.error.status.code).toBe('42');
    await h.control('/terminals/90000015/online', { online: true });
    for (const [cents, code] of [
      [1042, '42'],
      [1060, '60'],
      [1099, '99'],
    ] as const) {
      const { result } = await purchase('90000015', cents);
      expect(!result.ok && result.error.kind === 'mypos_status' && result.error.status.code).toBe(code);
    }
    expect(await ledger()).toEqual([]);
  });

  it('answers a repeated method + RUID from its cache, never charging twice; or with 6 when so set', async () => {
    const ruid = newRuid();
    const first = await purchase('90000015', 1500, ruid);
    const second = await purchase('90000015', 1500, ruid);
    expect(first.result.ok && second.result.ok).toBe(true);
    if (first.result.ok && second.result.ok) expect(second.result.response.fields).toEqual(first.result.response.fields);
    await settle('90000015', ruid);
    const third = await purchase('90000015', 1500, ruid);
    expect(third.result.ok).toBe(true);
    expect((await ledger()).filter((entry) => entry.ruid === ruid)).toHaveLength(1);

    await h.control('/settings', { duplicateMode: 'error' });
    const duplicate = await purchase('90000015', 1500, ruid);
    expect(!duplicate.result.ok && duplicate.result.error.kind === 'mypos_status' && duplicate.result.error.status.kind).toBe('duplicate');
    await h.control('/settings', { duplicateMode: 'cache' });
    expect((await ledger()).filter((entry) => entry.ruid === ruid)).toHaveLength(1);
  });

  it('retries a lost answer with the same RUID after the pause: one charge', async () => {
    await h.control('/faults', { kind: 'drop', method: 'MPRPurchase', count: 1 });
    const { ruid, result } = await purchase('90000015', 1800);
    expect(result.ok).toBe(true);
    expect(result.attempts).toBe(2);
    await settle('90000015', ruid);
    expect((await ledger()).filter((entry) => entry.ruid === ruid)).toHaveLength(1);
    const state = await h.control<{ exchanges: Array<{ method: string; ruid: string; cached: boolean; fault?: string }> }>('/state');
    expect(state.exchanges.filter((exchange) => exchange.method === 'MPRPurchase')).toMatchObject([
      { ruid, cached: false, fault: 'drop' },
      { ruid, cached: true },
    ]);
  });

  it('gives up after 3 resends and reports the transport error', async () => {
    await h.control('/faults', { kind: 'http_500', method: 'MPRPurchase', count: 10 });
    const { result } = await purchase('90000015', 1900);
    expect(result.attempts).toBe(4);
    expect(!result.ok && result.error.kind).toBe('http_status');
  });
});
