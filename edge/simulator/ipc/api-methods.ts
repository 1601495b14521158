import { checkCaller } from './caller.js';
import type { Checkout } from './checkout-types.js';
import { paymentStatus } from './messages.js';
import type { OnlineCheckout } from './service.js';
import { answerResponse, htmlUnescape, IPC_STATUS, ipcError, outputFormat, parseIpcAmount, signAnswer, type AnswerEntry, type IpcError, type IpcForm } from './wire.js';

// The server-to-server calls, signed by the merchant and answered signed, in the OutputFormat asked
// (the SDK sends json; the handbook's default is xml).
//
// IPCGetTxnStatus: the handbook only says "refer to Response properties of every command". The
// answer here is IPCmethod, OrderID, Amount, Currency, PaymentStatus (IPCGetPaymentStatus's
// values: 1 paid, 2 pending, 3 unsuccessful, 4 reversed), IPC_Trnref once paid, and OrderStatus:
// the last message myPOS made for the merchant about the order (IPCPurchaseNotify with its own
// Signature, IPCPurchaseCancel or IPCPurchaseRollback), nested as integrators report myPOS does
// ("paid only when OrderStatus.IPCmethod is IPCPurchaseNotify"); absent while nothing was made.
// Status 0 means the question was answered, not that the order is paid. An OrderID myPOS never
// received: 5 E_INVALID_PARAMS ("Order not found"); Defines.php has no "not found" status.
//
// IPCRefund: IPC_Trnref names the payment; OrderID (optional in the handbook, "must be unique" in
// the SDK) is the refund's own identifier, or the purchase's OrderID. Refunds add up to at most the
// amount paid (9 E_WRONG_AMOUNT past it); a refund OrderID used before is 20 E_DUPLICATE_TRANSMISSION
// and refunds nothing. The answer echoes IPC_Trnref, Amount and Currency, which the SDK compares.
//
// IPCReversal: voids a paid payment that has no refund (14 E_TRANSACTION_NOT_PERMITTED otherwise).

type Entries = AnswerEntry[];

async function answer(service: OnlineCheckout, form: IpcForm, method: string, entries: Entries, status: IpcError = ipcError(IPC_STATUS.success, 'Success')): Promise<Response> {
  const all: Entries = [['IPCmethod', method], ...entries, ['Status', status.status], ['StatusMsg', status.message]];
  return answerResponse(await signAnswer(all, service.settings.signingKey), outputFormat(form));
}

/** The order's status; the OrderStatus message as it was signed, its own Signature included. */
function statusEntries(checkout: Checkout): Entries {
  const entries: Entries = [
    ['OrderID', checkout.orderId],
    ['Amount', checkout.amountText],
    ['Currency', checkout.currency],
    ['PaymentStatus', paymentStatus(checkout)],
  ];
  if (checkout.trnref !== undefined) entries.push(['IPC_Trnref', checkout.trnref]);
  if (checkout.lastMessage) entries.push(['OrderStatus', checkout.lastMessage]);
  return entries;
}

async function txnStatus(service: OnlineCheckout, form: IpcForm): Promise<Response> {
  const method = 'IPCGetTxnStatus';
  const refused = await checkCaller(form, service.settings, ['OrderID']);
  if (refused) return answer(service, form, method, [], refused);
  const orderId = htmlUnescape(form.text('OrderID'));
  const checkout = service.store.order(orderId);
  if (!checkout) return answer(service, form, method, [['OrderID', orderId]], ipcError(IPC_STATUS.invalidParams, 'Order not found'));
  return answer(service, form, method, statusEntries(checkout));
}

async function refund(service: OnlineCheckout, form: IpcForm): Promise<Response> {
  const method = 'IPCRefund';
  const refused = await checkCaller(form, service.settings, ['Amount', 'Currency', 'IPC_Trnref']);
  if (refused) return answer(service, form, method, [], refused);
  const trnref = form.text('IPC_Trnref');
  const echo: Entries = [['IPC_Trnref', trnref], ['Amount', form.text('Amount')], ['Currency', form.text('Currency')]];
  const refuse = (status: string, message: string) => answer(service, form, method, echo, ipcError(status, message));
  const amountCents = parseIpcAmount(form.text('Amount'));
  if (amountCents === undefined || amountCents <= 0) return refuse(IPC_STATUS.wrongAmount, 'Amount must be more than 0, like 23.45');
  const checkout = service.store.byTrnref(trnref);
  if (!checkout) return refuse(IPC_STATUS.invalidParams, 'Unknown IPC_Trnref');
  const orderId = htmlUnescape(form.text('OrderID'));
  const ownId = orderId !== '' && orderId !== checkout.orderId;
  if (ownId && checkout.refunds.some((earlier) => earlier.orderId === orderId)) return refuse(IPC_STATUS.duplicate, `Refund ${orderId} was already made`);
  if (checkout.state !== 'paid') return refuse(IPC_STATUS.notPermitted, `The payment is ${checkout.state}, not paid`);
  if (form.text('Currency') !== checkout.currency) return refuse(IPC_STATUS.invalidParams, 'Currency is not the payment\'s currency');
  if (service.store.refunded(checkout) + amountCents > checkout.amountCents) return refuse(IPC_STATUS.wrongAmount, 'Amount is more than what is left to refund');
  checkout.refunds.push({ orderId, amountText: form.text('Amount'), amountCents, at: Date.now() });
  return answer(service, form, method, echo);
}

async function reversal(service: OnlineCheckout, form: IpcForm): Promise<Response> {
  const method = 'IPCReversal';
  const refused = await checkCaller(form, service.settings, ['IPC_Trnref']);
  if (refused) return answer(service, form, method, [], refused);
  const trnref = form.text('IPC_Trnref');
  const checkout = service.store.byTrnref(trnref);
  if (!checkout) return answer(service, form, method, [['IPC_Trnref', trnref]], ipcError(IPC_STATUS.invalidParams, 'Unknown IPC_Trnref'));
  const echo: Entries = [['IPC_Trnref', trnref], ['Amount', checkout.amountText], ['Currency', checkout.currency]];
  if (checkout.refunds.length > 0 || !service.store.reverse(checkout)) return answer(service, form, method, echo, ipcError(IPC_STATUS.notPermitted, 'Only a paid payment without refunds can be reversed'));
  return answer(service, form, method, echo);
}

/** The server-to-server methods; another IPCmethod is 10 E_UNSUPPORTED_CALL. */
export function apiMethod(service: OnlineCheckout, form: IpcForm): Promise<Response> {
  const method = form.text('IPCmethod');
  switch (method) {
    case 'IPCGetTxnStatus':
      return txnStatus(service, form);
    case 'IPCRefund':
      return refund(service, form);
    case 'IPCReversal':
      return reversal(service, form);
    case '':
      return answer(service, form, '', [], ipcError(IPC_STATUS.missingParams, 'Missing required parameter: IPCmethod'));
    default:
      return answer(service, form, method, [], ipcError(IPC_STATUS.unsupportedCall, `Unsupported IPCmethod ${method}`));
  }
}
