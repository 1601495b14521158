import { beforeAll, describe, expect, it } from 'vitest';
import type { Payment } from '../../shared/payments.js';

// A completed pre-authorisation is booked as a sale from the payment on the screen, which is
// reactive state (a Proxy). What goes to IndexedDB must be cloneable, or the sale is never booked
// (a hold with a reference was lost from the books so).

beforeAll(() => {
  const kept = new Map<string, string>();
  Object.defineProperty(globalThis, 'localStorage', {
    configurable: true,
    value: { getItem: (key: string) => kept.get(key) ?? null, setItem: (key: string, value: string) => void kept.set(key, value), removeItem: (key: string) => void kept.delete(key) },
  });
});

const completion: Payment = {
  ruid: 'C-1', kind: 'completion', tid: 'LAN00001', currency: 'EUR', amount: '5.00', amountCents: 500, reference: { number: 'ROOM 12', type: '2' }, originalRuid: 'P-1', transport: 'lan',
  state: 'approved', myposStatus: undefined, responseCode: undefined, reason: 'approved', receipt: { ref: '42' }, createdAt: '2026-12-02T10:00:00.000Z', updatedAt: '2026-12-02T10:01:00.000Z',
};

describe('the sale of a completed hold', () => {
  it('can be stored whatever the payment it comes from (reactive state is a Proxy, which cannot be cloned)', async () => {
    const { completionSale } = await import('../../web/src/lib/preauth-basket.js');
    const reactive = new Proxy(completion, { get: (target, key: keyof Payment) => (key === 'reference' && target.reference ? new Proxy(target.reference, {}) : target[key]) });
    expect(() => structuredClone(reactive.reference)).toThrow();
    const sale = completionSale(reactive, 'Amount');
    expect(structuredClone(sale)).toMatchObject({ id: 'C-1', amountCents: 500, cardCents: 500, reference: { number: 'ROOM 12', type: '2' } });
  });
});
