import type { PaymentReason } from './reasons.js';

// The myPOS status table (DECISIONS.md "Status handling"), one entry per code, each with a reason
// code for the till (shared/reasons.ts: the till words it, in its language) and a message for the
// log (precise, names the code).

/**
 * ok: the call succeeded. pin: the cardholder is entering a PIN; ask again later.
 * pending: not finished yet; ask again later. duplicate: the request already arrived; settle it
 * with MPRGetTxnStatus, never resend under a new RUID. busy: another request is pending on the TID.
 * declined / cancelled: a final answer about a payment. refused: myPOS did not accept the request,
 * nothing was started. error: myPOS or the terminal failed; the outcome must be established.
 */
export type StatusKind = 'ok' | 'pin' | 'pending' | 'duplicate' | 'busy' | 'declined' | 'cancelled' | 'refused' | 'error';

export interface StatusInfo {
  readonly code: string;
  readonly name: string;
  readonly kind: StatusKind;
  readonly reason: PaymentReason;
  readonly log: string;
}

function entry(code: string, name: string, kind: StatusKind, reason: PaymentReason, log: string): StatusInfo {
  return { code, name, kind, reason, log };
}

/** The table of the method pages and the public client: primary. */
const PRIMARY: readonly StatusInfo[] = [
  entry('0', 'OK', 'ok', 'done', 'status 0 OK'),
  entry('1', 'E_MISSING_REQ_PARAMS', 'refused', 'request_incomplete', 'status 1 E_MISSING_REQ_PARAMS: a required field was missing from the request'),
  entry('2', 'E_SIGNATURE_FAILED', 'refused', 'not_authorised', 'status 2 E_SIGNATURE_FAILED: myPOS rejected our request signature (key, key_index or certificate)'),
  entry('3', 'E_SYSTEM_ERROR', 'error', 'mypos_system_error', 'status 3 E_SYSTEM_ERROR: general myPOS system error'),
  entry('4', 'E_INVALID_PARAMS', 'refused', 'invalid_params', 'status 4 E_INVALID_PARAMS: a request parameter was not valid'),
  entry('5', 'E_UNSUPPORTED_CALL', 'refused', 'unsupported_operation', 'status 5 E_UNSUPPORTED_CALL: method not supported for this partner or terminal'),
  entry('6', 'E_DUPLICATE_TRANSMISSION', 'duplicate', 'duplicate_request', 'status 6 E_DUPLICATE_TRANSMISSION: method + ruid already received; settle with MPRGetTxnStatus'),
  // 7 is what a terminal answers while its subscription code waits to be typed on it (Terminals).
  entry('7', 'E_INACTIVE_TID', 'refused', 'code_not_typed', 'status 7 E_INACTIVE_TID: terminal is not active (not in cash-register mode: subscription code not typed?)'),
  entry('8', 'E_INVALID_TID', 'refused', 'invalid_terminal', 'status 8 E_INVALID_TID: TID incorrect or assigned to another partner'),
  entry('9', 'E_NOT_SUFFICIENT_FUNDS', 'declined', 'insufficient_funds', 'status 9 E_NOT_SUFFICIENT_FUNDS'),
  entry('10', 'E_TRANSACTION_NOT_PERMITTED', 'refused', 'not_permitted', 'status 10 E_TRANSACTION_NOT_PERMITTED'),
  entry('11', 'E_PENDING_REQUEST', 'busy', 'terminal_busy', 'status 11 E_PENDING_REQUEST: another request is pending on this TID (its ruid is in status_msg)'),
  entry('12', 'E_EXEEDED_ACCOUNT_LIMITS', 'refused', 'account_limit', 'status 12 E_EXEEDED_ACCOUNT_LIMITS: merchant wallet limits reached'),
  entry('13', 'E_UNSUCCESSFUL_PAYMENT', 'declined', 'declined', 'status 13 E_UNSUCCESSFUL_PAYMENT'),
  entry('14', 'E_CANCELLED_PAYMENT', 'cancelled', 'cardholder_cancelled', 'status 14 E_CANCELLED_PAYMENT'),
  entry('15', 'E_PENDING_PAYMENT', 'pending', 'waiting_for_customer', 'status 15 E_PENDING_PAYMENT: not paid and not cancelled yet'),
  entry('16', 'E_TIMEOUT', 'error', 'terminal_timeout', 'status 16 E_TIMEOUT'),
  entry('17', 'E_TRANSACTION_IN_PROGRESS', 'pending', 'in_progress', 'status 17 E_TRANSACTION_IN_PROGRESS'),
  entry('99', 'E_UNDEFINED_ERROR', 'error', 'mypos_error', 'status 99 E_UNDEFINED_ERROR: unspecified myPOS error'),
];

/** The table of the reference page, understood too; its 5 conflicts with the primary 5. */
const REFERENCE: readonly StatusInfo[] = [
  entry('5', 'INVALID_PARAMETERS', 'refused', 'invalid_params', 'status 5 (reference table): invalid parameters'),
  entry('40', 'AUTHENTICATION_FAILED', 'refused', 'not_authorised', 'status 40: authentication failed (login or signature)'),
  entry('41', 'TERMINAL_NOT_FOUND', 'refused', 'not_subscribed', 'status 41: terminal not found or not subscribed'),
  entry('42', 'TERMINAL_OFFLINE', 'refused', 'terminal_offline', 'status 42: terminal offline'),
  entry('50', 'INVALID_SIGNATURE', 'refused', 'not_authorised', 'status 50: invalid request signature'),
  entry('51', 'SIGNATURE_VERIFICATION_FAILED', 'refused', 'not_authorised', 'status 51: request signature verification failed (certificate installation)'),
  entry('60', 'REQUEST_TIMEOUT', 'error', 'terminal_timeout', 'status 60: terminal did not respond in time'),
];

/** Issuer codes asking for the PIN. They may come as status or as response_code. */
const PIN: readonly StatusInfo[] = [
  entry('1A', 'PIN_REQUIRED', 'pin', 'pin_pending', 'status 1A: PIN entry required'),
  entry('55', 'PIN_PENDING', 'pin', 'pin_pending', 'status 55: PIN entry pending'),
  entry('65', 'PIN_TIMEOUT', 'pin', 'pin_pending', 'status 65: PIN entry timeout, check again'),
  entry('70', 'PIN_IN_PROGRESS', 'pin', 'pin_pending', 'status 70: PIN entry in progress'),
];

/** Every entry of the three tables (a code may be in two: see describeStatus). */
export const STATUS_TABLE: readonly StatusInfo[] = [...PRIMARY, ...REFERENCE, ...PIN];

const PIN_CODES = new Set(PIN.map((info) => info.code));
const BY_NAME = new Map([...PRIMARY, ...REFERENCE].filter((info) => info.name.startsWith('E_')).map((info) => [info.name, info]));
const BY_CODE = new Map<string, StatusInfo>([...REFERENCE, ...PRIMARY, ...PIN].map((info) => [info.code, info]));

export function isPinCode(code: string | undefined): boolean {
  return code !== undefined && PIN_CODES.has(code.trim().toUpperCase());
}

/**
 * What a status means. A text code in status_msg (E_...) wins over the number, because the two
 * tables give 5 two meanings; then the primary table, then the reference table, then PIN codes.
 */
export function describeStatus(status: string, statusMsg?: string): StatusInfo {
  const code = normaliseCode(status);
  const named = statusMsg === undefined ? undefined : BY_NAME.get(statusMsg.trim());
  if (named) return named;
  const known = BY_CODE.get(code);
  if (known) return known;
  return entry(code, 'UNKNOWN', 'error', 'unknown_status', `status ${code}: not in the status table`);
}

/** Issuer response codes that a decline may carry ("00" is approved); the till words each reason. */
const ISSUER: Readonly<Record<string, PaymentReason>> = {
  '00': 'approved',
  '05': 'issuer_declined',
  '14': 'invalid_card_number',
  '51': 'insufficient_funds',
  '54': 'card_expired',
  '57': 'card_not_permitted',
  '61': 'card_limit_exceeded',
  '75': 'pin_tries_exceeded',
  '91': 'issuer_unreachable',
};

/** The issuer codes this table knows, with their reasons. */
export const ISSUER_CODES: readonly string[] = Object.keys(ISSUER);

/** Why the issuer answered so: a code it does not know is `issuer_declined` (the code goes with it as data). */
export function issuerReason(responseCode: string): PaymentReason {
  return ISSUER[responseCode.trim()] ?? 'issuer_declined';
}

/** A status as its code: "00", "05" (N(2) left-padded) are "0", "5"; "1a" is "1A". */
export function normaliseCode(status: string): string {
  const trimmed = status.trim().toUpperCase();
  // "00", "05": N(2) left-padded numbers mean the same code as "0", "5".
  return /^[0-9]+$/.test(trimmed) ? String(Number(trimmed)) : trimmed;
}
