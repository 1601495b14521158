import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readActivation } from '../../../edge/core/mypos/activation.js';
import type { MyposMethod } from '../../../edge/core/mypos/methods.js';
import { fieldValue } from '../../../edge/core/mypos/response.js';
import { purchaseRequest, subscribeRequest, txnStatusRequest } from '../../../edge/core/mypos/requests.js';
import { handleMethod, type HandlerContext } from '../../../edge/simulator/handlers.js';
import { DEMO_MERCHANT } from '../../../edge/simulator/settings.js';
import { VirtualTerminals } from '../../../edge/simulator/terminals.js';
import { newRuid } from '../../../shared/ruid.js';
import { startHarness, type Harness } from '../../helpers/mypos-harness.js';

// What the simulator answers a terminal that is not (yet) in cash-register mode, and how the edge
// reads the harmless MPRGetTxnStatus it asks while a subscription waits for its code.

describe('the simulator on a terminal waiting for its code', () => {
  let terminals: VirtualTerminals;
  let context: HandlerContext;
  const call = (method: MyposMethod, fields: Record<string, string>) => handleMethod(method, new Map(Object.entries({ ruid: newRuid(), ...fields })), context);
  const status = (tid: string) => call('MPRGetTxnStatus', { tid, ruid_original: newRuid() });
  const purchase = (tid: string) => call('MPRPurchase', { tid, amount: '1.00' });

  beforeEach(() => {
    terminals = new VirtualTerminals(0.001);
    terminals.addTerminal({ tid: '90000017', currency: 'BGN' });
    context = { terminals, merchant: DEMO_MERCHANT, pinCodeIn: 'response_code' };
  });

  it('not subscribed: 41 to a status query and a purchase', () => {
    expect(status('90000017')).toMatchObject({ status: '41' });
    expect(purchase('90000017')).toMatchObject({ status: '41' });
    expect(status('99999999')).toMatchObject({ status: '41' });
  });

  it('subscribed, code not typed: 7 E_INACTIVE_TID to MPRGetTxnStatus, MPRPurchase, MPRRefund and MPRCancel', () => {
    const subscribed = call('MPRSubscribe', { tid: '90000017', currency: 'BGN', action: '1' });
    expect(subscribed.status).toBe('0');
    expect(terminals.terminals.get('90000017')?.subscription).toBe('pending_subscribe');
    for (const answer of [status('90000017'), purchase('90000017'), call('MPRRefund', { tid: '90000017', amount: '1.00' }), call('MPRCancel', { tid: '90000017', ruid_original: newRuid() })]) {
      expect(answer).toMatchObject({ status: '7', statusMsg: 'E_INACTIVE_TID', echoAll: false });
    }
    expect(terminals.txns.size).toBe(0);
  });

  it('once the code is typed: 4 E_INVALID_PARAMS for an unknown ruid_original, and purchases are taken', () => {
    const code = call('MPRSubscribe', { tid: '90000017', currency: 'BGN', action: '1' }).extra.find(([name]) => name === 'code')?.[1] ?? '';
    expect(terminals.enterCode('90000017', '00000000').ok).toBe(false);
    expect(status('90000017').status).toBe('7');
    expect(terminals.enterCode('90000017', code).ok).toBe(true);
    expect(status('90000017')).toMatchObject({ status: '4', statusMsg: 'E_INVALID_PARAMS' });
    expect(purchase('90000017').status).toBe('0');
  });

  it('while a cancellation waits for its code the terminal still works; once typed, 41', () => {
    terminals.terminals.get('90000017')!.subscription = 'subscribed';
    const code = call('MPRSubscribe', { tid: '90000017', currency: 'BGN', action: '2' }).extra.find(([name]) => name === 'code')?.[1] ?? '';
    expect(status('90000017').status).toBe('4');
    expect(terminals.enterCode('90000017', code).ok).toBe(true);
    expect(status('90000017').status).toBe('41');
  });
});

describe('the activation check over signed HTTP, read as the edge reads it', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const check = async (tid: string) => readActivation(await h.gateway.call(txnStatusRequest({ tid, ruid: newRuid(), ruidOriginal: newRuid() })));

  it('waiting while the code is not typed, active once it is; a purchase before is refused with 7', async () => {
    expect(await check('90000017')).toMatchObject({ kind: 'waiting', reason: expect.stringContaining('41') });
    const subscribed = await h.gateway.call(subscribeRequest({ tid: '90000017', ruid: newRuid(), currency: 'BGN', action: 'subscribe' }));
    if (!subscribed.ok) throw new Error(subscribed.error.message);
    expect(await check('90000017')).toMatchObject({ kind: 'waiting', reason: expect.stringContaining('E_INACTIVE_TID') });
    const refused = await h.gateway.call(purchaseRequest({ tid: '90000017', ruid: newRuid(), amountCents: 100 }));
    expect(!refused.ok && refused.error.kind === 'mypos_status' && refused.error.status.code).toBe('7');
    expect(await h.control('/terminals/90000017/code', { code: fieldValue(subscribed.response, 'code') })).toMatchObject({ ok: true });
    expect(await check('90000017')).toMatchObject({ kind: 'active', evidence: expect.stringContaining('E_INVALID_PARAMS') });
  });

  it('an answer that fails its signature is no evidence: waiting', async () => {
    await h.control('/faults', { kind: 'bad_signature', method: 'MPRGetTxnStatus' });
    expect(await check('90000015')).toMatchObject({ kind: 'waiting', reason: expect.stringContaining('bad_signature') });
    expect(await check('90000015')).toMatchObject({ kind: 'active' });
  });
});
