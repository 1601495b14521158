// The myPOS status table (DECISIONS.md "Status handling"), one entry per code, each with a message
// for the cashier (plain, tells what to do) and one for the log (precise, names the code).

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
  readonly cashier: string;
  readonly log: string;
}

function entry(code: string, name: string, kind: StatusKind, cashier: string, log: string): StatusInfo {
  return { code, name, kind, cashier, log };
}

/** The table of the method pages and the public client: primary. */
const PRIMARY: readonly StatusInfo[] = [
  entry('0', 'OK', 'ok', 'Done.', 'status 0 OK'),
  entry('1', 'E_MISSING_REQ_PARAMS', 'refused', 'The payment could not be sent. Please contact support.', 'status 1 E_MISSING_REQ_PARAMS: a required field was missing from the request'),
  entry('2', 'E_SIGNATURE_FAILED', 'refused', 'The till is not authorised by myPOS. Please contact support.', 'status 2 E_SIGNATURE_FAILED: myPOS rejected our request signature (key, key_index or certificate)'),
  entry('3', 'E_SYSTEM_ERROR', 'error', 'myPOS reported a system error. We are checking the payment.', 'status 3 E_SYSTEM_ERROR: general myPOS system error'),
  entry('4', 'E_INVALID_PARAMS', 'refused', 'The payment details were not accepted. Check the amount and reference.', 'status 4 E_INVALID_PARAMS: a request parameter was not valid'),
  entry('5', 'E_UNSUPPORTED_CALL', 'refused', 'This operation is not available for this terminal.', 'status 5 E_UNSUPPORTED_CALL: method not supported for this partner or terminal'),
  entry('6', 'E_DUPLICATE_TRANSMISSION', 'duplicate', 'myPOS already has this request. We are checking its result.', 'status 6 E_DUPLICATE_TRANSMISSION: method + ruid already received; settle with MPRGetTxnStatus'),
  // 7 is what a terminal answers while its subscription code waits to be typed on it (Terminals).
  entry('7', 'E_INACTIVE_TID', 'refused', 'The terminal is not ready for the till yet: type the code from Terminals on the terminal. If it was typed, check the terminal in the myPOS account.', 'status 7 E_INACTIVE_TID: terminal is not active (not in cash-register mode: subscription code not typed?)'),
  entry('8', 'E_INVALID_TID', 'refused', 'This terminal ID is wrong or belongs to another system.', 'status 8 E_INVALID_TID: TID incorrect or assigned to another partner'),
  entry('9', 'E_NOT_SUFFICIENT_FUNDS', 'declined', 'Declined: not enough funds. Ask for another card or cash.', 'status 9 E_NOT_SUFFICIENT_FUNDS'),
  entry('10', 'E_TRANSACTION_NOT_PERMITTED', 'refused', 'This operation is not allowed for this payment.', 'status 10 E_TRANSACTION_NOT_PERMITTED'),
  entry('11', 'E_PENDING_REQUEST', 'busy', 'The terminal is busy with another payment. Finish or cancel it first.', 'status 11 E_PENDING_REQUEST: another request is pending on this TID (its ruid is in status_msg)'),
  entry('12', 'E_EXEEDED_ACCOUNT_LIMITS', 'refused', 'The merchant account limit is reached. Take another payment method.', 'status 12 E_EXEEDED_ACCOUNT_LIMITS: merchant wallet limits reached'),
  entry('13', 'E_UNSUCCESSFUL_PAYMENT', 'declined', 'Declined. Ask for another card or cash.', 'status 13 E_UNSUCCESSFUL_PAYMENT'),
  entry('14', 'E_CANCELLED_PAYMENT', 'cancelled', 'The payment was cancelled. Nothing was charged.', 'status 14 E_CANCELLED_PAYMENT'),
  entry('15', 'E_PENDING_PAYMENT', 'pending', 'Waiting for the customer on the terminal.', 'status 15 E_PENDING_PAYMENT: not paid and not cancelled yet'),
  entry('16', 'E_TIMEOUT', 'error', 'The terminal did not answer in time. We are checking the payment.', 'status 16 E_TIMEOUT'),
  entry('17', 'E_TRANSACTION_IN_PROGRESS', 'pending', 'The payment is in progress on the terminal.', 'status 17 E_TRANSACTION_IN_PROGRESS'),
  entry('99', 'E_UNDEFINED_ERROR', 'error', 'myPOS reported an error. We are checking the payment.', 'status 99 E_UNDEFINED_ERROR: unspecified myPOS error'),
];

/** The table of the reference page, understood too; its 5 conflicts with the primary 5. */
const REFERENCE: readonly StatusInfo[] = [
  entry('5', 'INVALID_PARAMETERS', 'refused', 'The payment details were not accepted. Check the amount and reference.', 'status 5 (reference table): invalid parameters'),
  entry('40', 'AUTHENTICATION_FAILED', 'refused', 'The till is not authorised by myPOS. Please contact support.', 'status 40: authentication failed (login or signature)'),
  entry('41', 'TERMINAL_NOT_FOUND', 'refused', 'This terminal is not connected to the till. Pair it in Terminal setup.', 'status 41: terminal not found or not subscribed'),
  entry('42', 'TERMINAL_OFFLINE', 'refused', 'The terminal is offline. Check that it is on and connected, then try again.', 'status 42: terminal offline'),
  entry('50', 'INVALID_SIGNATURE', 'refused', 'The till is not authorised by myPOS. Please contact support.', 'status 50: invalid request signature'),
  entry('51', 'SIGNATURE_VERIFICATION_FAILED', 'refused', 'The till is not authorised by myPOS. Please contact support.', 'status 51: request signature verification failed (certificate installation)'),
  entry('60', 'REQUEST_TIMEOUT', 'error', 'The terminal did not answer in time. We are checking the payment.', 'status 60: terminal did not respond in time'),
];

/** Issuer codes asking for the PIN. They may come as status or as response_code. */
const PIN: readonly StatusInfo[] = [
  entry('1A', 'PIN_REQUIRED', 'pin', 'Customer is entering the PIN.', 'status 1A: PIN entry required'),
  entry('55', 'PIN_PENDING', 'pin', 'Customer is entering the PIN.', 'status 55: PIN entry pending'),
  entry('65', 'PIN_TIMEOUT', 'pin', 'Customer is entering the PIN.', 'status 65: PIN entry timeout, check again'),
  entry('70', 'PIN_IN_PROGRESS', 'pin', 'Customer is entering the PIN.', 'status 70: PIN entry in progress'),
];

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
  return entry(code, 'UNKNOWN', 'error', 'myPOS answered with an unknown status. We are checking the payment.', `status ${code}: not in the status table`);
}

/** Issuer response codes that a receipt or a decline message may show ("00" is approved). */
const ISSUER: Readonly<Record<string, string>> = {
  '00': 'Approved.',
  '05': 'Declined by the card issuer. Ask for another card or cash.',
  '14': 'Declined: invalid card number.',
  '51': 'Declined: not enough funds. Ask for another card or cash.',
  '54': 'Declined: the card has expired.',
  '57': 'Declined: the card cannot be used for this purchase.',
  '61': 'Declined: the card amount limit is exceeded.',
  '75': 'Declined: too many wrong PIN attempts.',
  '91': 'The card issuer is not reachable. Try again or take another payment method.',
};

export function describeIssuerCode(responseCode: string): string {
  return ISSUER[responseCode.trim()] ?? `Declined by the card issuer (code ${responseCode.trim()}). Ask for another card or cash.`;
}

function normaliseCode(status: string): string {
  const trimmed = status.trim().toUpperCase();
  // "00", "05": N(2) left-padded numbers mean the same code as "0", "5".
  return /^[0-9]+$/.test(trimmed) ? String(Number(trimmed)) : trimmed;
}
