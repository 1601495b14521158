import { Hono, type Context } from 'hono';
import { apiMethod } from './api-methods.js';
import type { Checkout } from './checkout-types.js';
import { challengePage, checkoutPage, errorPage, notFoundPage, resultPage } from './pages.js';
import { checkPurchase } from './purchase-request.js';
import type { OnlineCheckout } from './service.js';
import { IPC_STATUS, ipcError, readForm } from './wire.js';

// The checkout endpoint: POST /vmp/checkout (production's path; /vmp/checkout-test, the test
// environment's, answers the same), one URL for every IPCmethod as at myPOS: the browser's
// IPCPurchase form (answered with the checkout page, or the error page) and the server-to-server
// IPCGetTxnStatus, IPCRefund and IPCReversal. Then the customer's page, by its session:
// GET /vmp/checkout/s/:id, POST .../pay {card}, .../3ds {code}, .../cancel.

export const CHECKOUT_PATHS = ['/vmp/checkout', '/vmp/checkout-test'] as const;

/** Only an http(s) URL is linked back to from the error page. */
const webUrl = (text: string | undefined) => (text !== undefined && /^https?:\/\//i.test(text) ? text : undefined);

const html = (c: Context, page: string, status: 200 | 400 | 404 | 409 = 200) => c.html(page, status);

export function checkoutRoutes(service: OnlineCheckout): Hono {
  const app = new Hono();
  const storeName = service.settings.storeName;

  /** The page for where the checkout stands (the form, the 3-D Secure challenge, or the outcome). */
  const page = async (checkout: Checkout, error?: string): Promise<string> => {
    if (checkout.state === 'pending') return checkoutPage(checkout, storeName, error);
    if (checkout.state === 'challenge') return challengePage(checkout, storeName);
    return resultPage(checkout, storeName, await service.returnForm(checkout));
  };

  for (const path of CHECKOUT_PATHS) {
    app.post(path, async (c) => {
      const form = await readForm(c.req.raw);
      if (!form) return html(c, errorPage(storeName, ipcError(IPC_STATUS.invalidParams, 'The request is not a form of at most 256 KB')), 400);
      if (form.text('IPCmethod') !== 'IPCPurchase') return apiMethod(service, form);
      const input = await checkPurchase(form, service.settings);
      if ('status' in input) return html(c, errorPage(storeName, input, webUrl(form.get('URL_Cancel'))), 400);
      const checkout = service.store.create(input);
      if ('status' in checkout) return html(c, errorPage(storeName, checkout, input.urlCancel), 400);
      return html(c, await page(checkout));
    });
  }

  const session = (c: Context): Checkout | undefined => service.store.session(c.req.param('id') ?? '');

  app.get(`/vmp/checkout/s/:id`, async (c) => {
    const checkout = session(c);
    return checkout ? html(c, await page(checkout)) : html(c, notFoundPage(), 404);
  });

  app.post(`/vmp/checkout/s/:id/pay`, async (c) => {
    const checkout = session(c);
    if (!checkout) return html(c, notFoundPage(), 404);
    const form = await readForm(c.req.raw);
    const result = await service.pay(checkout, form?.text('card') ?? '', true);
    if (result.kind === 'invalid_card') return html(c, checkoutPage(checkout, storeName, 'Please enter a valid card number.'), 400);
    return html(c, await page(checkout), result.kind === 'not_payable' ? 409 : 200);
  });

  app.post(`/vmp/checkout/s/:id/3ds`, async (c) => {
    const checkout = session(c);
    if (!checkout) return html(c, notFoundPage(), 404);
    const form = await readForm(c.req.raw);
    const result = await service.confirmChallenge(checkout, form?.text('code') ?? '', true);
    return html(c, await page(checkout), result.kind === 'not_payable' ? 409 : 200);
  });

  app.post(`/vmp/checkout/s/:id/cancel`, async (c) => {
    const checkout = session(c);
    if (!checkout) return html(c, notFoundPage(), 404);
    const cancelled = await service.cancel(checkout);
    return html(c, await page(checkout), cancelled ? 200 : 409);
  });

  return app;
}
