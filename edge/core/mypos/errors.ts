import type { StatusInfo } from '../../../shared/status-codes.js';
import type { FieldError } from '../../../shared/result.js';
import type { MyposResponse } from './response.js';

/**
 * Why a myPOS call did not give a usable answer.
 * invalid_request: refused here, before anything was signed or sent.
 * transport / timeout / http_status: no SOAP answer arrived (the request may or may not have).
 * soap_fault: an error status with a SOAP Fault. ActionNotSupported (a wrong SOAPAction) means the
 * service never dispatched the request; any other fault is read like an HTTP error.
 * too_large / bad_xml: an answer arrived but cannot be read.
 * bad_signature: an answer arrived but is not from myPOS; it is trusted for nothing.
 * echo_mismatch: a verified answer that does not echo what we sent; it is not about our request.
 * mypos_status: a verified answer whose status is a refusal or an error.
 */
export type MyposError =
  | { readonly kind: 'invalid_request'; readonly message: string; readonly field: FieldError }
  | { readonly kind: 'transport'; readonly message: string }
  | { readonly kind: 'timeout'; readonly message: string; readonly afterMs: number }
  | { readonly kind: 'http_status'; readonly message: string; readonly httpStatus: number }
  | { readonly kind: 'soap_fault'; readonly message: string; readonly httpStatus: number; readonly faultCode: string }
  | { readonly kind: 'too_large'; readonly message: string; readonly limitBytes: number }
  | { readonly kind: 'bad_xml'; readonly message: string }
  | { readonly kind: 'bad_signature'; readonly message: string }
  | { readonly kind: 'echo_mismatch'; readonly message: string; readonly field: string; readonly sent: string | undefined; readonly received: string | undefined }
  | { readonly kind: 'mypos_status'; readonly message: string; readonly status: StatusInfo; readonly response: MyposResponse };

export type MyposErrorKind = MyposError['kind'];

/** Errors after which the same request (same RUID) may be sent again: no answer was read. */
const NO_ANSWER: ReadonlySet<MyposErrorKind> = new Set(['transport', 'timeout', 'http_status', 'bad_xml', 'too_large']);

/** A WCF service could not dispatch the request to an operation: it was never processed. */
export function isActionNotSupported(error: MyposError): boolean {
  return error.kind === 'soap_fault' && /ActionNotSupported|ContractFilter/i.test(`${error.faultCode} ${error.message}`);
}

export function isNoAnswer(error: MyposError): boolean {
  if (error.kind === 'soap_fault') return !isActionNotSupported(error) && error.httpStatus >= 500;
  if (error.kind === 'http_status') return error.httpStatus >= 500;
  return NO_ANSWER.has(error.kind);
}
