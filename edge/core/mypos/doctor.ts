import { MyposClient, type Exchange } from './client.js';
import { isActionNotSupported } from './errors.js';
import { MYPOS_METHODS, type MyposMethod } from './methods.js';
import { FIELD_ORDERS, soapActionCandidates, soapActionsFromTemplate, type ProtocolProfile } from './profile.js';
import type { LearnedProfile, ProfileOverrides } from './profile-sources.js';
import { txnStatusRequest } from './requests.js';
import type { RequestSigner, SignatureVerifier } from './signing.js';
import type { MyposTransport } from './transport.js';
import { readWsdl } from './wsdl.js';
import type { CheckResult, DoctorCheck, DoctorDiagnosis, DoctorSummary, DoctorTry } from '../../../shared/doctor.js';

// The doctor: first contact with a real myPOS. It checks what can be checked without a call
// (reaching the host, the clock, the certificates, the WSDL), then with harmless calls only —
// MPRGetTxnStatus about a random RUID on one TID, at most ten — finds the SOAPAction and signing
// order myPOS accepts and the order its answers are signed in. It answers codes and data; the
// command line and the till word them.

export const DOCTOR_MAX_REQUESTS = 10;
/** A clock further off than this is reported (signatures carry no time, but disputes and logs do). */
export const CLOCK_WARN_MS = 5_000;
const CERTIFICATE_WARN_DAYS = 30;

export interface DoctorReport extends Omit<DoctorSummary, 'saved' | 'using'> {
  /** What was learned, or the profile the doctor started from. */
  readonly profile: ProtocolProfile;
  /** Set when the doctor learned a profile (the caller saves it). */
  readonly learned: LearnedProfile | undefined;
}

/** The report as the API and the command line give it: codes and data. */
export function summaryOf(report: DoctorReport, using: ProtocolProfile): DoctorSummary {
  const { profile: _profile, learned, ...rest } = report;
  return {
    ...rest,
    saved: learned !== undefined,
    using: { soapAction: using.soapActions.MPRGetTxnStatus, signingOrder: using.signingOrder, answerOrder: using.answerOrder, version: using.version },
  };
}

export interface DoctorCertificate {
  /** "partner" (ours) or "mypos". */
  readonly name: string;
  readonly notAfter: string;
}

export interface DoctorDeps {
  readonly endpoint: string;
  readonly login: string;
  readonly signer: RequestSigner;
  readonly verifier: SignatureVerifier;
  readonly transport: MyposTransport;
  readonly fetch: typeof fetch;
  /** The profile to start from (environment, then stored, then the documents). */
  readonly start: ProtocolProfile;
  readonly overrides: ProfileOverrides;
  readonly certificates: readonly DoctorCertificate[];
  readonly now: () => number;
  readonly newRuid: () => string;
  readonly requestTimeoutMs?: number;
  /** Waits for the login's request budget (the edge's gateway); the command line has its own. */
  readonly beforeRequest?: () => Promise<void>;
  readonly onExchange?: (exchange: Exchange) => void | Promise<void>;
}

const SIGNATURE_REFUSED = new Set(['2', '50', '51']);
const NOT_SUBSCRIBED = new Set(['7', '8', '41']);
/** An answer about the ruid_original: the whole call was accepted. */
const ACCEPTED = new Set(['0', '4', '13', '14', '15']);
const LAYOUT_REFUSED = new Set(['1', '5']);

/** The system's code for a failed fetch (ENOTFOUND, ECONNREFUSED, CERT_HAS_EXPIRED…), else its message. */
function causeOf(error: unknown): string {
  const codeOf = (value: unknown): string | undefined => {
    if (typeof value !== 'object' || value === null) return undefined;
    const record = value as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof record.code === 'string') return record.code;
    if (Array.isArray(record.errors)) return codeOf(record.errors[0]);
    return record.cause === undefined ? undefined : codeOf(record.cause);
  };
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return codeOf(error) ?? (cause instanceof Error ? cause.message : 'unknown');
}

async function reachCheck(deps: DoctorDeps): Promise<{ check: DoctorCheck; clock: DoctorCheck | undefined; reached: boolean }> {
  const url = new URL(deps.endpoint);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deps.requestTimeoutMs ?? 10_000);
  const sentAt = deps.now();
  try {
    // Called unbound: a runtime's fetch may refuse another `this` (Workers: Illegal invocation).
    const fetchImpl = deps.fetch;
    const response = await fetchImpl(deps.endpoint, { method: 'GET', signal: controller.signal, redirect: 'manual' });
    await response.body?.cancel();
    const receivedAt = deps.now();
    const date = response.headers.get('date');
    let clock: DoctorCheck | undefined;
    if (date && Number.isFinite(Date.parse(date))) {
      // The Date header has whole seconds: within a second of the midpoint is no offset.
      const offsetMs = Math.round((sentAt + receivedAt) / 2 - Date.parse(date));
      const beyond = Math.abs(offsetMs) > CLOCK_WARN_MS;
      clock = { check: 'clock', result: beyond ? 'warn' : 'ok', data: { offsetMs } };
    }
    return { check: { check: 'reach', result: 'ok', data: { host: url.host, httpStatus: response.status } }, clock, reached: true };
  } catch (error) {
    const cause = controller.signal.aborted ? 'timeout' : causeOf(error);
    return { check: { check: 'reach', result: 'fail', data: { host: url.host, cause } }, clock: undefined, reached: false };
  } finally {
    clearTimeout(timer);
  }
}

function certificateChecks(deps: DoctorDeps): DoctorCheck[] {
  return deps.certificates.map((certificate) => {
    const daysLeft = Math.floor((Date.parse(certificate.notAfter) - deps.now()) / 86_400_000);
    const result: CheckResult = daysLeft < 0 ? 'fail' : daysLeft <= CERTIFICATE_WARN_DAYS ? 'warn' : 'ok';
    return { check: 'certificate', result, data: { certificate: certificate.name, notAfter: certificate.notAfter, daysLeft } };
  });
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** The template behind a SOAPAction that worked for MPRGetTxnStatus, for every method. */
function actionsLike(action: string, probe: MyposMethod): Record<MyposMethod, string> {
  return action.includes(probe) ? soapActionsFromTemplate(action.replaceAll(probe, '{method}')) : soapActionsFromTemplate(action);
}

function overridden(overrides: ProfileOverrides, learned: ProtocolProfile): string[] {
  const parts: string[] = [];
  if (overrides.signingOrder !== undefined && overrides.signingOrder !== learned.signingOrder) parts.push('MYPOS_SIGNING_ORDER');
  if (overrides.answerOrder !== undefined && overrides.answerOrder !== learned.answerOrder) parts.push('MYPOS_ANSWER_ORDER');
  if (overrides.soapActions !== undefined && MYPOS_METHODS.some((method) => overrides.soapActions?.[method] !== learned.soapActions[method])) parts.push('MYPOS_SOAP_ACTION');
  if (overrides.wireOrder !== undefined && overrides.wireOrder !== learned.wireOrder && Object.keys(learned.wireSequences).length === 0) parts.push('MYPOS_WIRE_ORDER');
  return parts;
}

export async function runDoctor(tid: string, deps: DoctorDeps): Promise<DoctorReport> {
  const probe: MyposMethod = 'MPRGetTxnStatus';
  const checks: DoctorCheck[] = [];
  const tries: DoctorTry[] = [];
  const reach = await reachCheck(deps);
  checks.push(reach.check);
  if (reach.clock) checks.push(reach.clock);
  checks.push(...certificateChecks(deps));
  const report = (diagnosis: DoctorDiagnosis | undefined, detail: Record<string, string>, learned?: LearnedProfile): DoctorReport => ({
    ok: diagnosis === undefined,
    tid,
    endpoint: deps.endpoint,
    checks,
    tries,
    diagnosis,
    detail,
    profile: learned?.profile ?? deps.start,
    learned,
    overriddenByEnvironment: learned ? overridden(deps.overrides, learned.profile) : [],
  });
  if (!reach.reached) return report('unreachable', { cause: String(reach.check.data.cause ?? '') });

  const wsdl = await readWsdl(deps.endpoint, deps.fetch, deps.requestTimeoutMs ?? 10_000);
  checks.push(wsdl.ok ? { check: 'wsdl', result: 'ok', data: { url: wsdl.wsdl.url, operations: Object.keys(wsdl.wsdl.soapActions).length } } : { check: 'wsdl', result: 'warn', data: { url: wsdl.tried[0] ?? '', reason: wsdl.reason } });
  const base: ProtocolProfile = wsdl.ok ? { ...deps.start, soapActions: { ...deps.start.soapActions, ...wsdl.wsdl.soapActions }, wireSequences: wsdl.wsdl.sequences } : deps.start;
  const actions = unique(wsdl.ok && wsdl.wsdl.soapActions[probe] ? [wsdl.wsdl.soapActions[probe]] : [deps.start.soapActions[probe], ...soapActionCandidates(probe)]);
  const orders = unique([deps.start.signingOrder, ...FIELD_ORDERS]);

  let lastRefusal: DoctorDiagnosis | undefined;
  let lastDetail: Record<string, string> = {};
  for (const action of actions) {
    // A verified answer under this action shows the action works: another one is not tried.
    let actionAnswered = false;
    for (const signingOrder of orders) {
      if (tries.length >= DOCTOR_MAX_REQUESTS) return report('budget_spent', {});
      const profile: ProtocolProfile = { ...base, soapActions: { ...base.soapActions, [probe]: action }, signingOrder };
      const client = new MyposClient({ endpoint: deps.endpoint, login: deps.login, profile, signer: deps.signer, verifier: deps.verifier, transport: deps.transport });
      const request = txnStatusRequest({ tid, ruid: deps.newRuid(), ruidOriginal: deps.newRuid() });
      if (!request.ok) return report('request_refused', { field: request.error.field, rule: request.error.rule });
      const signed = await client.sign(request.value);
      if (!signed.ok) return report('request_refused', { field: signed.error.field, rule: signed.error.rule });
      await deps.beforeRequest?.();
      const result = await client.send(signed.value, 1, deps.requestTimeoutMs ?? 30_000);
      if (result.exchange) await deps.onExchange?.(result.exchange);
      const error = result.ok ? undefined : result.error;
      const response = result.ok ? result.response : error?.kind === 'mypos_status' ? error.response : undefined;
      const verifiedAs = result.exchange?.verifiedAs;
      tries.push({
        soapAction: action,
        signingOrder,
        outcome: response ? 'answer' : (error?.kind ?? 'answer'),
        ...(result.exchange?.httpStatus === undefined ? {} : { httpStatus: result.exchange.httpStatus }),
        ...(error?.kind === 'soap_fault' ? { faultCode: error.faultCode } : {}),
        ...(response ? { status: response.status, statusName: response.statusInfo.name } : {}),
        ...(verifiedAs ? { verifiedAs } : {}),
      });
      if (!response) {
        if (!error) continue;
        if (isActionNotSupported(error)) {
          lastRefusal = 'soap_action_refused';
          break; // this action is wrong whatever the signing order: the next action
        }
        if (error.kind === 'transport' || error.kind === 'timeout') return report('unreachable', { cause: error.message });
        if (error.kind === 'bad_signature') return report('answer_not_verified', {});
        if (error.kind === 'echo_mismatch') return report('answer_not_verified', { field: error.field });
        if (error.kind === 'bad_xml' || error.kind === 'too_large' || (error.kind === 'http_status' && error.httpStatus < 500)) {
          return report('wrong_endpoint', { httpStatus: String(result.exchange?.httpStatus ?? '') });
        }
        lastRefusal = 'mypos_error';
        lastDetail = { cause: error.message };
        continue;
      }
      actionAnswered = true;
      const status = response.status;
      if (status === '40') return report('login_refused', { status, keyIndex: deps.signer.keyIndex });
      if (SIGNATURE_REFUSED.has(status)) {
        lastRefusal = 'signature_refused';
        lastDetail = { status, keyIndex: deps.signer.keyIndex };
        continue;
      }
      if (LAYOUT_REFUSED.has(status)) {
        lastRefusal = 'request_refused';
        lastDetail = { status };
        continue;
      }
      const learnedProfile: ProtocolProfile = { ...profile, soapActions: wsdl.ok ? profile.soapActions : actionsLike(action, probe), answerOrder: verifiedAs ?? profile.answerOrder };
      const learned: LearnedProfile = {
        profile: learnedProfile,
        learnedAt: new Date(deps.now()).toISOString(),
        endpoint: deps.endpoint,
        evidence: [
          `SOAPAction "${action}" accepted${wsdl.ok ? ' (from the WSDL)' : ''}`,
          `signing order ${signingOrder} accepted (status ${status} ${response.statusInfo.name})`,
          `answers verify in the ${verifiedAs ?? profile.answerOrder} order`,
        ],
      };
      if (NOT_SUBSCRIBED.has(status)) return report('terminal_not_subscribed', { status, statusName: response.statusInfo.name }, learned);
      if (status === '42') return report('terminal_offline', { status }, learned);
      if (ACCEPTED.has(status) || response.statusInfo.kind === 'pin') return report(undefined, { status }, learned);
      lastRefusal = 'mypos_error';
      lastDetail = { status, statusName: response.statusInfo.name };
    }
    if (actionAnswered) break;
  }
  return report(lastRefusal ?? 'budget_spent', lastDetail);
}
