import { afterEach, describe, expect, it } from 'vitest';
import { purchaseRequest, txnStatusRequest } from '../../../edge/core/mypos/requests.js';
import { newRuid } from '../../../shared/ruid.js';
import { startHarness, type Harness } from '../../helpers/mypos-harness.js';

// DECISIONS.md: the reference's order is the default; "key_index first" is a switch, tested both
// ways, and the simulator follows the same switch.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('field order switch', () => {
  it.each(['reference', 'key_index_first'] as const)('works end to end when both sides use %s', async (order) => {
    h = await startHarness({ edgeFieldOrder: order, simEnv: { SIM_FIELD_ORDER: order } });
    const ruid = newRuid();
    const purchase = await h.gateway.call(purchaseRequest({ tid: '90000015', ruid, amountCents: 100 }));
    expect(purchase.ok).toBe(true);
    const status = await h.gateway.call(txnStatusRequest({ tid: '90000015', ruid: newRuid(), ruidOriginal: ruid }));
    expect(status.ok).toBe(true);
    if (purchase.exchange) {
      const first = /<urn:([a-z_]+)>/.exec(purchase.exchange.requestXml)?.[1];
      expect(first).toBe(order === 'reference' ? 'version' : 'key_index');
    }
  });

  it('is refused with 4 E_INVALID_PARAMS when the two sides disagree', async () => {
    h = await startHarness({ edgeFieldOrder: 'reference', simEnv: { SIM_FIELD_ORDER: 'key_index_first' } });
    const result = await h.gateway.call(purchaseRequest({ tid: '90000015', ruid: newRuid(), amountCents: 100 }));
    expect(!result.ok && result.error.kind === 'mypos_status' && result.error.status.name).toBe('E_INVALID_PARAMS');
  });
});
