// The edge answers codes and data; the till owns every word a person reads. These lists are the
// codes both sides share: the till has a message for each, in every language, and a test iterates
// them (tests/web/messages-coverage.test.ts), so a new code without words fails.

/**
 * Why a payment is where it is (`Payment.reason`), with its data on the payment itself
 * (`responseCode`, `myposStatus`, `pendingRuid`). From the machine's states, every myPOS status of
 * the status table (shared/status-codes.ts), the issuer codes it knows, and the LAN service.
 */
export const PAYMENT_REASONS = [
  // The machine's states, when nothing more precise is known.
  'sending', // accepted: on its way to the terminal
  'waiting_for_customer', // sent; status 15 E_PENDING_PAYMENT
  'pin_pending', // pin; PIN codes 1A, 55, 65, 70
  'unknown_outcome', // unknown: the edge keeps asking myPOS
  'approved', // approved; issuer code 00
  'declined', // declined with no better reason; status 13 E_UNSUCCESSFUL_PAYMENT; a LAN decline
  'not_started', // failed with no better reason
  'cancelled', // cancelled from the till (MPRCancel)
  'voided', // voided from the till (MPRLastTxnVoid)
  // myPOS statuses (primary and reference tables).
  'done', // 0 OK
  'request_incomplete', // 1 E_MISSING_REQ_PARAMS
  'not_authorised', // 2 E_SIGNATURE_FAILED, 40, 50, 51
  'mypos_system_error', // 3 E_SYSTEM_ERROR
  'invalid_params', // 4 E_INVALID_PARAMS, 5 INVALID_PARAMETERS (reference table)
  'unsupported_operation', // 5 E_UNSUPPORTED_CALL
  'duplicate_request', // 6 E_DUPLICATE_TRANSMISSION
  'code_not_typed', // 7 E_INACTIVE_TID: the subscription code waits to be typed on the terminal
  'invalid_terminal', // 8 E_INVALID_TID
  'insufficient_funds', // 9 E_NOT_SUFFICIENT_FUNDS; issuer code 51
  'not_permitted', // 10 E_TRANSACTION_NOT_PERMITTED
  'terminal_busy', // 11 E_PENDING_REQUEST (pendingRuid)
  'account_limit', // 12 E_EXEEDED_ACCOUNT_LIMITS
  'cardholder_cancelled', // 14 E_CANCELLED_PAYMENT; cancelled on a LAN terminal
  'terminal_timeout', // 16 E_TIMEOUT, 60 REQUEST_TIMEOUT
  'in_progress', // 17 E_TRANSACTION_IN_PROGRESS
  'mypos_error', // 99 E_UNDEFINED_ERROR
  'not_subscribed', // 41 TERMINAL_NOT_FOUND
  'terminal_offline', // 42 TERMINAL_OFFLINE; a LAN terminal not reachable on the network
  'unknown_status', // a status in no table
  // Issuer response codes (responseCode holds the code itself).
  'issuer_declined', // 05, and any issuer code the table does not know
  'invalid_card_number', // 14
  'card_expired', // 54
  'card_not_permitted', // 57
  'card_limit_exceeded', // 61
  'pin_tries_exceeded', // 75
  'issuer_unreachable', // 91
  // The machine and the LAN service.
  'pin_timeout', // the PIN window ended with the PIN still pending: unknown
  'never_received', // failed: myPOS never received it (MPRGetTxnStatus and MPRCancel of its RUID both 4)
  'check_terminal', // unknown: MPRGetTxnStatus answered 4 but MPRCancel did not confirm it; a person checks the terminal
  'edge_restarted', // LAN: the edge restarted before sending it
  'terminal_rejected_request', // LAN: the terminal could not read the request
  'checked_approved', // settled by hand as approved, after checking the terminal (LAN, or a cloud check_terminal)
  'checked_not_charged', // settled by hand as not charged (LAN, or a cloud check_terminal)
  // Online Checkout (the customer's own phone).
  'checkout_expired', // failed: the link expired and myPOS has no payment for it
  'checkout_cancelled', // cancelled: the customer left the myPOS checkout page
  'sources_disagree', // unknown: the notification and IPCGetTxnStatus said different things; checked again
] as const;
export type PaymentReason = (typeof PAYMENT_REASONS)[number];

/**
 * The `code` of every error body of the API (`{error: {code, ...data, message}}`). `message` is for
 * the log and API developers; the till words the code with its data (`field`, `rule`, `left`,
 * `inFlight`, `reason`, `currency`, `state`…).
 */
export const API_ERROR_CODES = [
  'invalid', // 400: a field broke a rule (field, rule; left for an amount over what is left)
  'too_large', // 413: the body is over 64 KB
  'unauthorized', // 401: not paired, or revoked
  'bad_origin', // 403
  'rate_limited', // 429
  'admin_required', // 403 (left, rule sale_limit or device_day_limit, when a limit)
  'terminal_not_allowed', // 403 (field tid)
  'sale_not_allowed', // 403
  'not_found', // 404
  'ruid_conflict', // 409
  'terminal_busy', // 409 (inFlightRuid, inFlight)
  'not_supported', // 409: the payment's channel does not cancel or void from the till (a LAN terminal; a paid link)
  'pin_entry', // 409: cancel while the cardholder types the PIN
  'customer_paying', // 409: cancel of a payment link the customer has opened (myPOS may still take the payment)
  'already_final', // 409: cancel of a payment already final (state)
  'not_last', // 409: void of a payment that is not the terminal's last
  'no_answer', // 409: myPOS did not confirm the cancel or void
  'mypos_refused', // 409/422: myPOS refused (status, reason)
  'mypos_unreachable', // 502
  'bad_code', // 400: a pairing code wrong, used or expired
  'not_held', // 409: the pre-authorisation holds nothing (state)
  'already_closed', // 409: the hold is already completed or released
  'ledger_restored', // 503: the books were restored; a device says what it printed (POST /api/sales/printed) before a new sale
  'not_confirmed', // 409: a lost payment (books restored) myPOS did not confirm as approved for its amount (reason)
  'not_unknown', // 409: only an unknown LAN payment, or a cloud one at check_terminal, is settled by hand
  'sale_conflict', // 409
  'payment_already_booked', // 409 (saleId, receiptNo)
  'refund_conflict', // 409
  'currency_locked', // 409 (currency)
  'internal', // 500
  'too_many_attempts', // 429: too many wrong pairing codes or unknown credentials from this address (retryAfterSeconds; Retry-After)
  'too_many_streams', // 429: this device has too many event streams open (limit)
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** The rules a field may break (`FieldError.rule`), in the till's checks and the edge's alike. */
export const FIELD_RULES = [
  'required',
  'unknown',
  'type',
  'json',
  'schema',
  'max_size',
  'format',
  'integer_cents',
  'positive',
  'max',
  'min',
  'range',
  'integer',
  'length',
  'charset',
  'ascii',
  'no_markup',
  'xml_char',
  'enum',
  'an8',
  'iso4217',
  'percent',
  'digits',
  'palette',
  'address',
  'sum_of_lines',
  'covers_total',
  'subscribed',
  'lan_terminal',
  'exists',
  'approved',
  'terminal',
  'max_refundable',
  'refundable',
  'max_held',
  'approved_payment',
  'payment_currency',
  'shop_currency',
  'same_body',
  'booked_once',
  'bound_terminal',
  'valid',
  'no_sales',
  'sale_limit',
  'device_day_limit',
  'plain_text',
] as const;
export type FieldRule = (typeof FIELD_RULES)[number];
