import type { IpcFields } from '../../core/ipc/signing.js';
import type { Checkout } from './checkout-types.js';

// What myPOS Checkout sends the merchant (handbook v1.4, "Successful payment notification",
// "Cancelation of payment notification", "Rollback of previous notification" and Appendix III),
// unsigned: the caller signs. The field order follows a notification captured from myPOS's test
// environment: IPCmethod, SID, Amount, Currency, OrderID, IPC_Trnref, RequestSTAN,
// RequestDateTime, PaymentMethod, BillingDescriptor, PAN. The customer's details follow when the
// purchase asked for them (PaymentParametersRequired 1 or 2, as the handbook's table says).

export type ResultMethod = 'IPCPurchaseNotify' | 'IPCPurchaseOK';

/** IPCPurchaseNotify (server to server, to URL_Notify) or IPCPurchaseOK (the browser, to URL_OK): the same fields. */
export function purchaseResultFields(checkout: Checkout, method: ResultMethod, storeName: string): IpcFields {
  const fields: Array<[string, string]> = [
    ['IPCmethod', method],
    ['SID', checkout.sid],
    ['Amount', checkout.amountText],
    ['Currency', checkout.currency],
    ['OrderID', checkout.orderId],
    ['IPC_Trnref', checkout.trnref ?? ''],
    ['RequestSTAN', checkout.stan ?? ''],
    ['RequestDateTime', checkout.requestDateTime ?? ''],
    ['PaymentMethod', '1'],
    ['BillingDescriptor', `myPOS * ${storeName}`.slice(0, 25)],
    ['PAN', checkout.card?.last4 ?? ''],
  ];
  if (checkout.paymentParametersRequired === '1' || checkout.paymentParametersRequired === '2') {
    const { email, phone, firstNames, familyName } = checkout.customer;
    fields.push(['CustomerEmail', email], ['CustomerPhone', phone], ['CustomerFirstNames', firstNames], ['CustomerFamilyName', familyName]);
  }
  return fields;
}

/** IPCPurchaseCancel (the browser, to URL_Cancel) or IPCPurchaseRollback (server to server, to URL_Notify). */
export function orderEchoFields(checkout: Checkout, method: 'IPCPurchaseCancel' | 'IPCPurchaseRollback'): IpcFields {
  return [
    ['IPCmethod', method],
    ['SID', checkout.sid],
    ['Amount', checkout.amountText],
    ['Currency', checkout.currency],
    ['OrderID', checkout.orderId],
  ];
}

/**
 * IPCGetPaymentStatus's PaymentStatus (the newer call's documented values), given in the
 * IPCGetTxnStatus answer too: 1 paid, 2 pending, 3 unsuccessful (declined, cancelled, expired),
 * 4 reversed.
 */
export function paymentStatus(checkout: Checkout): '1' | '2' | '3' | '4' {
  switch (checkout.state) {
    case 'paid':
      return '1';
    case 'pending':
    case 'challenge':
      return '2';
    case 'reversed':
      return '4';
    default:
      return '3';
  }
}
