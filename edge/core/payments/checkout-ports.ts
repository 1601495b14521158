import type { Payment } from '../../../shared/payments.js';
import type { IpcFields } from '../ipc/signing.js';
import type { CheckoutGateway } from './channels/online.js';
import type { OnlineOutcome } from './channels/online-machine.js';

// What the edge needs of myPOS's Online Checkout (IPC) beyond the channel's calls: the signed
// purchase form the customer's browser takes to myPOS, and the notification read and verified.
// edge/core/ipc/ implements them over HTTP; the simulator is the peer in demo mode and tests.

export type Notification =
  | { readonly kind: 'outcome'; readonly orderId: string; readonly outcome: OnlineOutcome; readonly trnref: string | undefined; readonly amountCents: number | undefined; readonly currency: string | undefined }
  | { readonly kind: 'refused'; readonly reason: string };

export interface CheckoutForms {
  /** Where the customer's browser posts, and the signed IPCPurchase fields in their order (myPOS's page in the customer's language, ISO 639-1). */
  purchase(payment: Payment, urls: { readonly ok: string; readonly cancel: string; readonly notify: string }, language: string): Promise<{ readonly action: string; readonly fields: IpcFields }>;
  /** A notification POST's fields, verified with myPOS's certificate. */
  notification(fields: IpcFields): Promise<Notification>;
  /** What myPOS expects as the body of the answer to a notification it may stop sending. */
  readonly notifyAnswer: string;
}

export interface OnlinePorts {
  readonly gateway: CheckoutGateway;
  readonly forms: CheckoutForms;
  /** The key of the customer's links (HMAC-SHA-256: the audit key, or one made at start when there is none). */
  readonly linkKey: CryptoKey;
  /** MYPOS_IPC_LINK_TTL_MS (15 min): how long a link may be paid. */
  readonly linkTtlMs: number;
  /** MYPOS_IPC_POLL_MS (10 s): the pace of IPCGetTxnStatus while a link waits. */
  readonly pollMs: number;
  /** The pseudo-terminal online payments go by (listed with the terminals; devices are bound to it like to a terminal). */
  readonly tid: string;
}
