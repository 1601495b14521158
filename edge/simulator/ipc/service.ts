import { signIpc, type IpcFields } from '../../core/ipc/signing.js';
import type { Checkout } from './checkout-types.js';
import { CheckoutStore, type PayResult } from './checkouts.js';
import { orderEchoFields, purchaseResultFields } from './messages.js';
import { Notifier } from './notifier.js';
import { defaultSwitches, type IpcSimSettings, type IpcSwitches } from './settings.js';

// The simulator's Online Checkout: the checkouts, what the customer does on the page (or the
// control API does in their place), and the notifications that follow.

/** Where the browser goes back to the merchant, with the signed fields it carries (a form POST). */
export interface ReturnForm {
  readonly url: string;
  readonly fields: IpcFields;
}

async function waitAtMost(promise: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

export class OnlineCheckout {
  readonly store = new CheckoutStore();
  readonly switches: IpcSwitches = defaultSwitches();
  private readonly notifier: Notifier;

  constructor(readonly settings: IpcSimSettings) {
    this.notifier = new Notifier(settings, this.switches, this.store);
  }

  /**
   * The card typed on the page. Approved: the notify starts; the browser (waitForNotify) waits a
   * little for its first answer, as myPOS notifies before it sends the customer to URL_OK.
   */
  async pay(checkout: Checkout, card: string, waitForNotify: boolean): Promise<PayResult> {
    return this.settle(checkout, this.store.pay(checkout, card), waitForNotify);
  }

  /** The code typed on the 3-D Secure page. */
  async confirmChallenge(checkout: Checkout, code: string, waitForNotify: boolean): Promise<PayResult> {
    return this.settle(checkout, this.store.confirmChallenge(checkout, code), waitForNotify);
  }

  async cancel(checkout: Checkout): Promise<boolean> {
    if (!this.store.cancel(checkout)) return false;
    checkout.lastMessage = await this.sign([...orderEchoFields(checkout, 'IPCPurchaseCancel')]);
    return true;
  }

  async expire(checkout: Checkout): Promise<boolean> {
    return this.store.expire(checkout);
  }

  /** Paid: URL_OK with IPCPurchaseOK; cancelled or declined: URL_Cancel with IPCPurchaseCancel. */
  async returnForm(checkout: Checkout): Promise<ReturnForm | undefined> {
    switch (checkout.state) {
      case 'paid':
      case 'reversed':
        return { url: checkout.urlOk, fields: await this.sign(purchaseResultFields(checkout, 'IPCPurchaseOK', this.settings.storeName)) };
      case 'cancelled':
      case 'declined':
      case 'expired':
        return { url: checkout.urlCancel, fields: await this.sign(orderEchoFields(checkout, 'IPCPurchaseCancel')) };
      default:
        return undefined;
    }
  }

  /** /sim/reset: no checkouts, no notifications in flight, the switches as at start. */
  reset(): void {
    this.notifier.reset();
    this.store.reset();
    Object.assign(this.switches, defaultSwitches());
  }

  close(): void {
    this.notifier.reset();
  }

  /** A checkout as the control API shows it. */
  view(checkout: Checkout): Record<string, unknown> {
    const { lastMessage, challengeCode, ...rest } = checkout;
    return {
      ...rest,
      ...(challengeCode === undefined ? {} : { challengeCode }),
      refundedAmountCents: this.store.refunded(checkout),
      lastMessage: lastMessage === undefined ? null : Object.fromEntries(lastMessage),
    };
  }

  private async settle(checkout: Checkout, result: PayResult, waitForNotify: boolean): Promise<PayResult> {
    if (result.kind === 'approved') {
      const { firstAnswered } = await this.notifier.start(checkout);
      if (waitForNotify) await waitAtMost(firstAnswered, this.settings.browserWaitsForNotifyMs);
    } else if (result.kind === 'declined') {
      checkout.lastMessage = await this.sign(orderEchoFields(checkout, 'IPCPurchaseCancel'));
    }
    return result;
  }

  private sign(fields: IpcFields): Promise<IpcFields> {
    return signIpc(fields, this.settings.signingKey);
  }
}
