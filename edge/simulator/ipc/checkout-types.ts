import type { IpcFields } from '../../core/ipc/signing.js';

// A checkout as the simulator holds it: what the IPCPurchase asked for, where it stands, the
// notifications sent and the refunds made.

export type CheckoutState = 'pending' | 'challenge' | 'paid' | 'declined' | 'cancelled' | 'expired' | 'reversed';

export interface CartLine {
  readonly article: string;
  readonly quantity: string;
  readonly price: string;
  readonly amount: string;
  readonly currency: string;
}

export interface CheckoutInput {
  readonly orderId: string;
  /** As received (echoed in the notifications) and in cents. */
  readonly amountText: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly lines: readonly CartLine[];
  readonly note: string;
  readonly urlOk: string;
  readonly urlCancel: string;
  readonly urlNotify: string;
  readonly sid: string;
  readonly language: string;
  readonly paymentParametersRequired: string;
  readonly customer: { readonly email: string; readonly phone: string; readonly firstNames: string; readonly familyName: string };
  readonly expiresInSeconds: number;
}

export interface NotifyAttempt {
  readonly method: 'IPCPurchaseNotify' | 'IPCPurchaseRollback';
  readonly attempt: number;
  readonly at: number;
  readonly httpStatus: number | undefined;
  readonly body: string | undefined;
  readonly error: string | undefined;
  /** The merchant's answer was taken as not OK by the lostNotifyAnswers switch. */
  readonly lost: boolean;
  readonly signature: 'valid' | 'wrong';
  /** Answered HTTP 200 with the body exactly "OK" (and not lost). */
  readonly accepted: boolean;
}

export interface CheckoutRefund {
  readonly orderId: string;
  readonly amountText: string;
  readonly amountCents: number;
  readonly at: number;
}

export type NotifyProgress = 'none' | 'waiting' | 'delivered' | 'failed' | 'suppressed';

export interface Checkout extends CheckoutInput {
  /** The checkout page's session (its URLs use it, not the OrderID). */
  readonly id: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  state: CheckoutState;
  finishedAt: number | undefined;
  card: { readonly last4: string; readonly brand: string } | undefined;
  declineReason: string | undefined;
  challengeCode: string | undefined;
  trnref: string | undefined;
  stan: string | undefined;
  requestDateTime: string | undefined;
  refunds: CheckoutRefund[];
  notify: NotifyProgress;
  notifies: NotifyAttempt[];
  /** The last message made for the merchant (notify, cancel or rollback): IPCGetTxnStatus's OrderStatus. */
  lastMessage: IpcFields | undefined;
}
