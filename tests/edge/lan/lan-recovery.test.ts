import { describe, expect, it } from 'vitest';
import { openNodeStore } from '../../../edge/adapters/node/node-sqlite.js';
import { InMemoryEventBus } from '../../../edge/core/event-bus.js';
import { KeyedMutex } from '../../../edge/core/keyed-mutex.js';
import { DEFAULT_RECEIPTS } from '../../../edge/core/lan/iqom-xml.js';
import { LanChannel } from '../../../edge/core/payments/channels/lan.js';
import { INITIAL_MACHINE } from '../../../edge/core/payments/machine.js';
import type { Payment, PaymentState } from '../../../shared/payments.js';

// After a restart the socket is gone: a LAN command never written failed, one written may have
// charged the card — unknown. Neither is ever sent again.

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

function lanPayment(ruid: string, state: PaymentState, tid: string): Payment {
  const at = '2026-11-22T10:00:00.000Z';
  return { ruid, kind: 'purchase', tid, currency: 'EUR', amount: '5.00', amountCents: 500, reference: undefined, originalRuid: undefined, transport: 'lan', state, myposStatus: undefined, responseCode: undefined, reason: 'sending', receipt: undefined, createdAt: at, updatedAt: at };
}

describe('LAN payments at start-up', () => {
  it('fails what was never sent, marks unknown what was, and sends nothing', async () => {
    const store = openNodeStore(':memory:');
    await store.insertPayment({ payment: lanPayment('R-ACCEPTED', 'accepted', 'LAN00001'), machine: INITIAL_MACHINE });
    await store.insertPayment({ payment: lanPayment('R-SENT', 'accepted', 'LAN00002'), machine: INITIAL_MACHINE });
    await store.savePayment({ payment: lanPayment('R-SENT', 'sent', 'LAN00002'), machine: INITIAL_MACHINE }, true);
    let sends = 0;
    const channel = new LanChannel({
      store,
      bus: new InMemoryEventBus(),
      clock: { now: () => Date.parse('2026-11-22T10:05:00.000Z') },
      logger: quiet,
      locks: new KeyedMutex(),
      links: () => ({ send: async () => { sends += 1; return { kind: 'not_sent', reason: 'test' }; }, close: () => undefined }),
      receipts: DEFAULT_RECEIPTS,
    });
    expect(await channel.recover(await store.inFlight())).toBe(2);
    expect((await store.getPayment('R-ACCEPTED'))?.payment.state).toBe('failed');
    expect((await store.getPayment('R-SENT'))?.payment.state).toBe('unknown');
    // unknown keeps its terminal blocked until someone settles it.
    expect((await store.inFlight()).map((record) => record.payment.ruid)).toEqual(['R-SENT']);
    expect(sends).toBe(0);
    store.close();
  });
});
