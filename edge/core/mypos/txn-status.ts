import { isPinCode, normaliseCode } from '../../../shared/status-codes.js';
import { TXN_STATUS_DETAIL_FIELDS, type TxnStatusDetailField } from './methods.js';
import { fieldValue, type MyposResponse } from './response.js';

// What a verified MPRGetTxnStatus answer says about the original payment. Only ruid_original_status
// 0 with an approving issuer code is "approved"; anything not understood is "pending", so the edge
// keeps asking instead of guessing.

export type TxnReceipt = Partial<Record<TxnStatusDetailField, string>>;

export type TxnOutcome =
  | { readonly state: 'pin'; readonly code: string }
  | { readonly state: 'pending' }
  | { readonly state: 'approved'; readonly receipt: TxnReceipt }
  | { readonly state: 'declined'; readonly responseCode: string; readonly receipt: TxnReceipt }
  | { readonly state: 'cancelled' };

export function receiptOf(response: MyposResponse): TxnReceipt {
  const receipt: TxnReceipt = {};
  for (const field of TXN_STATUS_DETAIL_FIELDS) {
    const value = fieldValue(response, field);
    if (value !== undefined && value !== '') receipt[field] = value.trim();
  }
  return receipt;
}

export function interpretTxnStatus(response: MyposResponse): TxnOutcome {
  const responseCode = fieldValue(response, 'response_code')?.trim() ?? '';
  if (isPinCode(response.status)) return { state: 'pin', code: response.status.toUpperCase() };
  // A status field compares as a number: a WCF service may write "00" for 0.
  const rawOriginal = fieldValue(response, 'ruid_original_status')?.trim();
  const original = rawOriginal === undefined || rawOriginal === '' ? rawOriginal : normaliseCode(rawOriginal);
  if (original !== '0' && original !== '13' && original !== '14' && isPinCode(responseCode)) return { state: 'pin', code: responseCode.toUpperCase() };
  switch (original) {
    case '0':
      if (responseCode === '' || responseCode === '00') return { state: 'approved', receipt: receiptOf(response) };
      return { state: 'declined', responseCode, receipt: receiptOf(response) };
    case '13':
      return { state: 'declined', responseCode, receipt: receiptOf(response) };
    case '14':
      return { state: 'cancelled' };
    default:
      return { state: 'pending' };
  }
}
