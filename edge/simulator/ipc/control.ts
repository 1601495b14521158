import { Hono, type Context } from 'hono';
import type { Checkout } from './checkout-types.js';
import type { PayResult } from './checkouts.js';
import type { OnlineCheckout } from './service.js';
import { defaultSwitches, type IpcSwitches } from './settings.js';
import { bad, body, type Json } from '../control-json.js';

// /sim/...: the Online Checkout's control routes, JSON like /sim/faults. They act as the customer on
// the page (pay, the 3-D Secure code, cancel) without a browser, list the checkouts with their
// notify attempts, and set the switches for the seed's scenarios.
//
//   GET    /sim/checkouts                      every checkout, its notifies and refunds; the switches
//   GET    /sim/checkouts/:orderId             one checkout
//   POST   /sim/checkouts/:orderId/pay         {card, code?}: pay (a 3-D Secure card with code: confirmed at once)
//   POST   /sim/checkouts/:orderId/3ds         {code}: the 3-D Secure code
//   POST   /sim/checkouts/:orderId/cancel      the customer cancels
//   POST   /sim/checkouts/:orderId/expire      the link runs out now
//   GET    /sim/ipc/switches                   the switches
//   POST   /sim/ipc/switches                   {notify?, notifySignature?, notifyDelayMs?, lostNotifyAnswers?, rollbackOnNotifyFailure?}
//   DELETE /sim/ipc/switches                   back to normal


/** The switches a body sets, or the field it got wrong. */
function switchesFrom(input: Json): Partial<IpcSwitches> | { readonly field: string; readonly rule: string; readonly message: string } {
  const out: Partial<IpcSwitches> = {};
  if (input.notify !== undefined) {
    if (input.notify !== 'send' && input.notify !== 'never') return { field: 'notify', rule: 'enum', message: 'notify must be send or never' };
    out.notify = input.notify;
  }
  if (input.notifySignature !== undefined) {
    if (input.notifySignature !== 'valid' && input.notifySignature !== 'wrong') return { field: 'notifySignature', rule: 'enum', message: 'notifySignature must be valid or wrong' };
    out.notifySignature = input.notifySignature;
  }
  for (const field of ['notifyDelayMs', 'lostNotifyAnswers'] as const) {
    if (input[field] === undefined) continue;
    const value = Number(input[field]);
    if (!Number.isInteger(value) || value < 0) return { field, rule: 'non_negative_integer', message: `${field} must be a whole number of 0 or more` };
    out[field] = value;
  }
  if (input.rollbackOnNotifyFailure !== undefined) {
    if (typeof input.rollbackOnNotifyFailure !== 'boolean') return { field: 'rollbackOnNotifyFailure', rule: 'boolean', message: 'rollbackOnNotifyFailure must be true or false' };
    out.rollbackOnNotifyFailure = input.rollbackOnNotifyFailure;
  }
  return out;
}

export function checkoutControl(service: OnlineCheckout): Hono {
  const api = new Hono();
  const { store, switches } = service;

  const found = (c: Context): Checkout | undefined => store.order(c.req.param('orderId') ?? '');
  const missing = (c: Context) => c.json({ error: { field: 'orderId', rule: 'exists', message: `no checkout ${c.req.param('orderId') ?? ''}` } }, 404);
  const outcome = (c: Context, checkout: Checkout, result: PayResult) => {
    if (result.kind === 'invalid_card') return bad(c, 'card', 'card_number', 'card must be a valid card number (13 to 19 digits, Luhn)');
    if (result.kind === 'not_payable') return c.json({ error: { field: 'orderId', rule: 'state', message: `the checkout is ${result.state}` }, checkout: service.view(checkout) }, 409);
    return c.json({ result, checkout: service.view(checkout) });
  };

  api.get('/checkouts', (c) => c.json({ checkouts: store.list().map((checkout) => service.view(checkout)), switches }));

  api.get('/checkouts/:orderId', (c) => {
    const checkout = found(c);
    return checkout ? c.json(service.view(checkout)) : missing(c);
  });

  api.post('/checkouts/:orderId/pay', async (c) => {
    const checkout = found(c);
    if (!checkout) return missing(c);
    const input = await body(c);
    if (typeof input.card !== 'string') return bad(c, 'card', 'required', 'card is the card number to pay with');
    const result = await service.pay(checkout, input.card, false);
    if (result.kind === 'challenge' && typeof input.code === 'string') return outcome(c, checkout, await service.confirmChallenge(checkout, input.code, false));
    return outcome(c, checkout, result);
  });

  api.post('/checkouts/:orderId/3ds', async (c) => {
    const checkout = found(c);
    if (!checkout) return missing(c);
    const input = await body(c);
    if (typeof input.code !== 'string') return bad(c, 'code', 'required', 'code is the 3-D Secure code');
    return outcome(c, checkout, await service.confirmChallenge(checkout, input.code, false));
  });

  for (const action of ['cancel', 'expire'] as const) {
    api.post(`/checkouts/:orderId/${action}`, async (c) => {
      const checkout = found(c);
      if (!checkout) return missing(c);
      const done = action === 'cancel' ? await service.cancel(checkout) : await service.expire(checkout);
      if (!done) return c.json({ error: { field: 'orderId', rule: 'state', message: `the checkout is ${checkout.state}` }, checkout: service.view(checkout) }, 409);
      return c.json({ checkout: service.view(checkout) });
    });
  }

  api.get('/ipc/switches', (c) => c.json(switches));

  api.post('/ipc/switches', async (c) => {
    const parsed = switchesFrom(await body(c));
    if ('field' in parsed) return bad(c, parsed.field, parsed.rule, parsed.message);
    Object.assign(switches, parsed);
    return c.json(switches);
  });

  api.delete('/ipc/switches', (c) => {
    Object.assign(switches, defaultSwitches());
    return c.json(switches);
  });

  return api;
}
