import type { Cents } from '../../../shared/money.js';
import type { Payment } from '../../../shared/payments.js';
import { IpcClient, signedPurchaseForm, type IpcSigner } from '../ipc/client.js';
import { NOTIFY_ANSWER, readIpcNotification } from '../ipc/notify.js';
import { purchaseRequest } from '../ipc/requests.js';
import type { IpcSettings } from '../ipc/settings.js';
import type { SignatureVerifier } from '../mypos/signing.js';
import type { MyposTransport } from '../mypos/transport.js';
import type { CheckoutGateway, CheckoutStatus } from './channels/online.js';
import type { CheckoutForms, Notification } from './checkout-ports.js';

// The online channel's ports over myPOS's IPC (edge/core/ipc): IPCGetTxnStatus and IPCRefund
// server to server, the signed IPCPurchase form for the customer's browser, and the notification.
// What an answer means for a payment is decided here, once; the channel's machine takes it.

export interface IpcCheckoutConfig {
  readonly settings: IpcSettings;
  readonly signer: IpcSigner;
  readonly verifier: SignatureVerifier;
  readonly transport: MyposTransport;
  readonly capCents: Cents;
  /** How long myPOS's page takes the payment (the link's time, in seconds). */
  readonly expiresInSeconds: number;
}

export function ipcCheckout(config: IpcCheckoutConfig): { readonly gateway: CheckoutGateway; readonly forms: CheckoutForms } {
  const client = new IpcClient({ endpoint: config.settings.endpoint, merchant: config.settings.merchant, signer: config.signer, verifier: config.verifier, transport: config.transport });

  const status = async (payment: Payment): Promise<CheckoutStatus> => {
    const answer = await client.txnStatus({ orderId: payment.ruid, amountCents: payment.amountCents, currency: payment.currency });
    switch (answer.kind) {
      case 'approved':
        return { kind: 'outcome', outcome: 'approved', trnref: answer.trnref };
      case 'declined':
        return { kind: 'outcome', outcome: 'declined', trnref: answer.trnref };
      // Cancelled on the page, or reversed by myPOS (a notification not answered OK): nothing taken.
      case 'cancelled':
      case 'reversed':
        return { kind: 'outcome', outcome: 'cancelled', trnref: answer.trnref };
      case 'pending':
      case 'not_found':
        return { kind: answer.kind };
      case 'refused':
        return { kind: 'no_answer', reason: `IPCGetTxnStatus refused: ${answer.statusName}` };
      case 'bad_signature':
        return { kind: 'no_answer', reason: 'the answer failed signature verification' };
      case 'bad_answer':
        return { kind: 'no_answer', reason: answer.reason };
      case 'unreachable':
        return { kind: 'no_answer', reason: answer.message };
      case 'invalid':
        return { kind: 'no_answer', reason: answer.error.message };
    }
  };

  const gateway: CheckoutGateway = {
    status,
    async refund({ refundRuid, original, amountCents }) {
      const trnref = original.receipt?.ref;
      if (!trnref) return { answer: 'refused', trnref: undefined };
      const answer = await client.refund({ orderId: refundRuid, trnref, amountCents, currency: original.currency }, config.capCents);
      if (answer.kind === 'ok') return { answer: 'done', trnref: answer.trnref };
      // Refused by myPOS, or refused before it was sent: nothing was refunded.
      if (answer.kind === 'refused' || answer.kind === 'invalid') return { answer: 'refused', trnref: undefined };
      return { answer: 'no_answer', trnref: undefined };
    },
  };

  const forms: CheckoutForms = {
    notifyAnswer: NOTIFY_ANSWER,
    async purchase(payment, urls, language) {
      const request = purchaseRequest(
        { ...config.settings.merchant, language },
        { orderId: payment.ruid, amountCents: payment.amountCents, currency: payment.currency, urlOk: urls.ok, urlCancel: urls.cancel, urlNotify: urls.notify, expiresInSeconds: config.expiresInSeconds, lines: payment.lines },
        config.capCents,
      );
      if (!request.ok) throw new Error(`the IPCPurchase of ${payment.ruid} cannot be made: ${request.error.message}`);
      return { action: config.settings.endpoint, fields: await signedPurchaseForm(request.value, config.signer) };
    },
    async notification(fields): Promise<Notification> {
      const read = await readIpcNotification(fields, config.verifier, { sid: config.settings.merchant.sid });
      switch (read.kind) {
        case 'refused':
          return { kind: 'refused', reason: read.message };
        case 'paid':
          return { kind: 'outcome', orderId: read.orderId, outcome: 'approved', trnref: read.trnref, amountCents: read.amountCents, currency: read.currency };
        case 'cancelled':
        case 'rolled_back':
          return { kind: 'outcome', orderId: read.orderId, outcome: 'cancelled', trnref: undefined, amountCents: read.amountCents, currency: read.currency };
        // The customer's way back (IPCPurchaseOK) settles nothing: the notification or the status does.
        case 'returned_ok':
          return { kind: 'refused', reason: 'IPCPurchaseOK is the customer\'s way back, not an outcome' };
      }
    },
  };
  return { gateway, forms };
}
