import type { Context } from 'hono';
import type { InFlightSummary } from '../../../shared/api.js';
import type { CreateResult } from '../payments/channel.js';
import type { Forbidden, NotSupported } from '../payments/payment-service.js';
import type { PaymentStore } from '../ports.js';

// How the payment routes answer what the payment service decided (codes and data; the till words them).

/** The payment a busy terminal is on, as data for the till (its words are the till's own). */
async function inFlightSummary(store: PaymentStore, ruid: string): Promise<InFlightSummary | undefined> {
  const found = await store.getPayment(ruid);
  if (!found) return undefined;
  const { amount, currency, createdAt } = found.payment;
  return { ruid, amount, currency, createdAt };
}

export const forbiddenAnswer = (c: Context) => c.json({ error: { code: 'terminal_not_allowed', field: 'tid', rule: 'bound_terminal', message: 'This device may not use this terminal.' } }, 403);

export async function createdAnswer(c: Context, store: PaymentStore, result: CreateResult | Forbidden | NotSupported) {
  switch (result.kind) {
    case 'created':
      return c.json({ payment: result.payment }, 202);
    case 'exists':
      return c.json({ payment: result.payment }, 200);
    case 'conflict':
      return c.json({ error: { code: 'ruid_conflict', field: 'ruid', rule: 'same_body', message: 'this ruid is already used by a different request' }, payment: result.payment }, 409);
    case 'busy':
      return c.json({ error: { code: 'terminal_busy', message: 'The terminal is busy with another payment. Finish or cancel it first.', inFlightRuid: result.inFlightRuid, inFlight: await inFlightSummary(store, result.inFlightRuid) } }, 409);
    case 'forbidden':
      return forbiddenAnswer(c);
    case 'not_supported':
      return c.json({ error: { code: 'not_supported', message: `This terminal does not do ${result.operation}.` } }, 409);
  }
}

/** What the payment routes document for a new payment. */
export const CREATED_RESPONSES = {
  '202': { description: 'Accepted', schema: { $ref: '#/components/schemas/PaymentBody' } },
  '200': { description: 'The same request again', schema: { $ref: '#/components/schemas/PaymentBody' } },
  '409': { description: 'terminal_busy (with inFlightRuid and inFlight: the ruid, amount, currency and createdAt of the payment in flight) or ruid_conflict' },
} as const;
