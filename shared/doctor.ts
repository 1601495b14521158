// The myPOS doctor's report as codes and data (edge/core/mypos/doctor.ts makes it): the command
// line and the till's Terminals screen word it; a new code without words fails the messages test.

export const DOCTOR_CHECKS = ['reach', 'clock', 'certificate', 'wsdl'] as const;
export type CheckCode = (typeof DOCTOR_CHECKS)[number];
export type CheckResult = 'ok' | 'warn' | 'fail';

export interface DoctorCheck {
  readonly check: CheckCode;
  readonly result: CheckResult;
  /** Data for the words: a host, an error cause, an offset, a certificate and its days left, a URL. */
  readonly data: Readonly<Record<string, string | number>>;
}

/** One probe (MPRGetTxnStatus about a random RUID) and what came back. */
export interface DoctorTry {
  readonly soapAction: string;
  readonly signingOrder: string;
  /** `answer` for a verified myPOS answer; otherwise why there was none (http_status, soap_fault, transport, bad_signature…). */
  readonly outcome: string;
  readonly httpStatus?: number;
  readonly faultCode?: string;
  readonly status?: string;
  readonly statusName?: string;
  readonly verifiedAs?: string;
}

export const DOCTOR_DIAGNOSES = [
  'unreachable', // DNS, TLS or the connection failed (detail.cause)
  'wrong_endpoint', // the URL answers, but not as the myPOS service (detail.httpStatus)
  'soap_action_refused', // every SOAPAction tried was refused (ActionNotSupported)
  'answer_not_verified', // answers came, none verifies with the myPOS certificate
  'login_refused', // 40: the login (or its key_index) is not known (detail.keyIndex)
  'signature_refused', // 2, 50, 51 under both signing orders (detail.keyIndex)
  'request_refused', // 1 or 5: myPOS does not accept the request's layout (detail.status)
  'terminal_not_subscribed', // 7, 8, 41: the profile works; the TID is not in cash-register mode
  'terminal_offline', // 42
  'mypos_error', // 3, 16, 60, 99… on every try (detail.status or detail.cause)
  'budget_spent', // the ten requests ran out before an answer settled it
] as const;
export type DoctorDiagnosis = (typeof DOCTOR_DIAGNOSES)[number];

/** The profile in use after the doctor, as the screens show it. */
export interface ProfileInUse {
  readonly soapAction: string;
  readonly signingOrder: string;
  readonly answerOrder: string;
  readonly version: string;
}

export interface DoctorSummary {
  readonly ok: boolean;
  readonly tid: string;
  readonly endpoint: string;
  readonly checks: readonly DoctorCheck[];
  readonly tries: readonly DoctorTry[];
  readonly diagnosis: DoctorDiagnosis | undefined;
  readonly detail: Readonly<Record<string, string>>;
  /** A profile was learned and saved. */
  readonly saved: boolean;
  readonly using: ProfileInUse;
  /** MYPOS_* settings that differ from what was learned: the environment still wins. */
  readonly overriddenByEnvironment: readonly string[];
}
