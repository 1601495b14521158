import { isActionNotSupported } from '../mypos/errors.js';
import type { PaymentReason } from '../../../shared/reasons.js';
import { isPinCode, type StatusInfo } from '../../../shared/status-codes.js';
import type { GatewayResult } from '../mypos/gateway.js';
import { interpretTxnStatus, type TxnReceipt } from '../mypos/txn-status.js';

// What one myPOS answer tells the payment state machine, reduced to the cases it decides on.
// Pure: the machine never sees XML, signatures or transport errors, only these.

export interface Refusal {
  readonly status: string;
  readonly name: string;
  readonly reason: PaymentReason;
  readonly log: string;
}

/** The answer to MPRPurchase or MPRRefund. */
export type SendObservation =
  | { readonly kind: 'taken' }
  | { readonly kind: 'pin'; readonly code: string }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'refused'; readonly refusal: Refusal }
  | { readonly kind: 'busy'; readonly pendingRuid: string; readonly refusal: Refusal }
  | { readonly kind: 'uncertain'; readonly reason: string };

/** The answer to MPRGetTxnStatus about the payment. */
export type StatusObservation =
  | { readonly kind: 'pending' }
  | { readonly kind: 'pin'; readonly code: string }
  | { readonly kind: 'approved'; readonly receipt: TxnReceipt }
  | { readonly kind: 'declined'; readonly responseCode: string; readonly receipt: TxnReceipt }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'uncertain'; readonly reason: string };

/**
 * The answer to the MPRCancel sent to confirm that myPOS never received a request: it does not
 * know the RUID either (4), it stopped it (0), or anything else (with the precise reason, for the log).
 */
export type CancelProbeObservation = { readonly kind: 'not_found' } | { readonly kind: 'stopped' } | { readonly kind: 'other'; readonly reason: string };

/** A verified answer 4 E_INVALID_PARAMS: myPOS took the request as having a parameter it does not know. */
export function isInvalidParams(result: GatewayResult): boolean {
  return !result.ok && result.error.kind === 'mypos_status' && (result.error.status.name === 'E_INVALID_PARAMS' || result.error.status.code === '4');
}

function refusalOf(info: StatusInfo): Refusal {
  return { status: info.code, name: info.name, reason: info.reason, log: info.log };
}

export function observeSend(result: GatewayResult): SendObservation {
  if (result.ok) {
    const status = result.response.status;
    if (isPinCode(status)) return { kind: 'pin', code: status.toUpperCase() };
    if (result.response.statusInfo.kind === 'ok') return { kind: 'taken' };
    // 15 / 17 on a purchase: it arrived and is in progress.
    return { kind: 'taken' };
  }
  const error = result.error;
  // A WCF service that cannot dispatch the SOAPAction never ran the operation: nothing was sent to
  // the terminal (run the doctor). Read as myPOS's own "unsupported call".
  if (isActionNotSupported(error)) return { kind: 'refused', refusal: { status: '5', name: 'ActionNotSupported', reason: 'unsupported_operation', log: error.message } };
  if (error.kind !== 'mypos_status') return { kind: 'uncertain', reason: `${error.kind}: ${error.message}` };
  switch (error.status.kind) {
    case 'duplicate':
      return { kind: 'duplicate' };
    case 'busy':
      return { kind: 'busy', pendingRuid: error.response.statusMsg, refusal: refusalOf(error.status) };
    case 'refused':
      return { kind: 'refused', refusal: refusalOf(error.status) };
    default:
      // 3, 16, 60, 99 and unknown codes: myPOS or the terminal failed; whether the request took
      // effect must be asked.
      return { kind: 'uncertain', reason: error.status.log };
  }
}

export function observeStatus(result: GatewayResult): StatusObservation {
  if (!result.ok) {
    const error = result.error;
    // 4: myPOS says a parameter is not valid, here most likely the RUID asked about. One fact
    // only: "never received" needs MPRCancel to agree (the machine asks it).
    if (isInvalidParams(result)) return { kind: 'not_found' };
    return { kind: 'uncertain', reason: error.kind === 'mypos_status' ? error.status.log : `${error.kind}: ${error.message}` };
  }
  const outcome = interpretTxnStatus(result.response);
  switch (outcome.state) {
    case 'pin':
      return { kind: 'pin', code: outcome.code };
    case 'pending':
      return { kind: 'pending' };
    case 'approved':
      return { kind: 'approved', receipt: outcome.receipt };
    case 'declined':
      return { kind: 'declined', responseCode: outcome.responseCode, receipt: outcome.receipt };
    case 'cancelled':
      return { kind: 'cancelled' };
  }
}

export function observeCancelProbe(result: GatewayResult): CancelProbeObservation {
  if (isInvalidParams(result)) return { kind: 'not_found' };
  if (result.ok) {
    if (result.response.statusInfo.kind === 'ok') return { kind: 'stopped' };
    return { kind: 'other', reason: `MPRCancel: ${result.response.statusInfo.log}` };
  }
  const error = result.error;
  return { kind: 'other', reason: `MPRCancel: ${error.kind === 'mypos_status' ? error.status.log : `${error.kind}: ${error.message}`}` };
}
