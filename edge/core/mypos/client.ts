import { accept, refuse, type Checked } from '../../../shared/result.js';
import type { MyposError } from './errors.js';
import { buildRequestEnvelope, type OrderedFields } from './envelope.js';
import type { MyposRequest } from './requests.js';
import { answerSignedValues, isCommonField, otherAnswerOrder, requestSignedValues, wireFields, type AnswerOrder, type ProtocolProfile } from './profile.js';
import { toMyposResponse, type MyposResponse } from './response.js';
import type { RequestSigner, SignatureVerifier } from './signing.js';
import { signedText, SIGNED_VALUE_SEPARATOR } from './signing.js';
import { MAX_SOAP_BYTES, parseSoapResponse } from './soap-parse.js';
import { BodyTooLargeError, type MyposTransport } from './transport.js';
import { isXmlSafe } from './xml.js';

export interface MyposClientConfig {
  readonly endpoint: string;
  readonly login: string;
  /** How to lay out, sign and read: the documents' reading unless the WSDL or the doctor said otherwise. */
  readonly profile: ProtocolProfile;
  readonly signer: RequestSigner;
  readonly verifier: SignatureVerifier;
  readonly transport: MyposTransport;
  readonly maxResponseBytes?: number;
}

export interface SignedRequest {
  readonly request: MyposRequest;
  /** In wire order. */
  readonly fields: OrderedFields;
  readonly signedText: string;
  readonly soapAction: string;
  readonly xml: string;
}

/** One request and what came back, as the edge stores it (never a private key). */
export interface Exchange {
  readonly method: string;
  readonly tid: string;
  readonly ruid: string;
  readonly attempt: number;
  readonly requestXml: string;
  readonly responseXml: string | undefined;
  readonly httpStatus: number | undefined;
  /** true: signature verified; false: it did not; undefined: nothing to verify. */
  readonly verified: boolean | undefined;
  /** Which answer order the signature verified under (the profile's, or the other one tried once). */
  readonly verifiedAs: AnswerOrder | undefined;
  readonly error: MyposError['kind'] | undefined;
  /** The HTTP Date header of the answer: myPOS's clock. */
  readonly httpDate: string | undefined;
  readonly startedAt: number;
  readonly finishedAt: number;
}

/** An exchange of a signed request, with nothing received yet unless `received` says so. */
export function exchangeOf(signed: SignedRequest, attempt: number, startedAt: number, received: Partial<Exchange> = {}): Exchange {
  return {
    method: signed.request.method,
    tid: signed.request.tid,
    ruid: signed.request.ruid,
    attempt,
    requestXml: signed.xml,
    responseXml: undefined,
    httpStatus: undefined,
    verified: undefined,
    verifiedAs: undefined,
    error: undefined,
    httpDate: undefined,
    startedAt,
    finishedAt: Date.now(),
    ...received,
  };
}

export type CallResult =
  | { readonly ok: true; readonly response: MyposResponse; readonly exchange: Exchange }
  | { readonly ok: false; readonly error: MyposError; readonly exchange: Exchange | undefined };

export class MyposClient {
  private readonly maxResponseBytes: number;
  private current: ProtocolProfile;

  constructor(private readonly config: MyposClientConfig) {
    this.maxResponseBytes = config.maxResponseBytes ?? MAX_SOAP_BYTES;
    this.current = config.profile;
  }

  get profile(): ProtocolProfile {
    return this.current;
  }

  /** From the next request on (the WSDL read at start, or what the doctor learned). */
  useProfile(profile: ProtocolProfile): void {
    this.current = profile;
  }

  /** Lays out, checks and signs a request. Refuses it, naming the field, before anything is signed. */
  async sign(request: MyposRequest): Promise<Checked<SignedRequest>> {
    const profile = this.current;
    const values: Record<string, string> = {
      version: profile.version,
      login: this.config.login,
      key_index: this.config.signer.keyIndex,
      tid: request.tid,
      ruid: request.ruid,
      ...request.fields,
    };
    const specs = wireFields(request.method, profile);
    const known = new Set(specs.map((spec) => spec.name));
    for (const name of Object.keys(request.fields)) {
      if (!known.has(name)) return refuse(name, 'unknown', `${name} is not an element of ${request.method}`);
    }
    const fields: Array<readonly [string, string]> = [];
    for (const spec of specs) {
      const value = values[spec.name];
      if (value === undefined) {
        if (spec.optional) continue;
        return refuse(spec.name, 'required', `${spec.name} is required for ${request.method}`);
      }
      if (value.length === 0) return refuse(spec.name, 'required', `${spec.name} must not be empty`);
      if (!isXmlSafe(value)) return refuse(spec.name, 'xml_char', `${spec.name} contains a control character that XML cannot carry`);
      // ";" joins the signed values: one inside a value would make two strings sign the same.
      if (value.includes(SIGNED_VALUE_SEPARATOR)) return refuse(spec.name, 'charset', `${spec.name} must not contain ${SIGNED_VALUE_SEPARATOR}`);
      fields.push([spec.name, value]);
    }
    const text = signedText(requestSignedValues(request.method, profile.signingOrder, fields));
    const signature = await this.config.signer.sign(text);
    return accept({ request, fields, signedText: text, soapAction: profile.soapActions[request.method], xml: buildRequestEnvelope(request.method, fields, signature) });
  }

  /** Sends a signed request once and checks the answer: signature first, then echoes, then status. */
  async send(signed: SignedRequest, attempt: number, timeoutMs: number): Promise<CallResult> {
    const { request } = signed;
    const startedAt = Date.now();
    const exchange = (partial: Partial<Exchange>): Exchange => exchangeOf(signed, attempt, startedAt, partial);
    const fail = (error: MyposError, partial: Partial<Exchange> = {}): CallResult => ({
      ok: false,
      error,
      exchange: exchange({ ...partial, error: error.kind }),
    });

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let httpStatus: number | undefined;
    let xml: string;
    let httpDate: string | undefined;
    try {
      const response = await this.config.transport({
        url: this.config.endpoint,
        body: signed.xml,
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${signed.soapAction}"` },
        signal: controller.signal,
      });
      httpStatus = response.status;
      httpDate = response.date;
      xml = await response.readText(this.maxResponseBytes);
    } catch (error) {
      if (controller.signal.aborted) {
        return fail({ kind: 'timeout', message: `no answer within ${timeoutMs} ms`, afterMs: timeoutMs }, { httpStatus });
      }
      if (error instanceof BodyTooLargeError) {
        return fail({ kind: 'too_large', message: error.message, limitBytes: this.maxResponseBytes }, { httpStatus });
      }
      if (error instanceof TypeError && httpStatus !== undefined && /decod|utf/i.test(error.message)) {
        return fail({ kind: 'bad_xml', message: 'the response is not valid UTF-8' }, { httpStatus });
      }
      return fail({ kind: 'transport', message: `connection failed: ${describeCause(error)}` }, { httpStatus });
    } finally {
      clearTimeout(timer);
    }

    const parsed = parseSoapResponse(xml, request.method);
    if (httpStatus < 200 || httpStatus > 299) {
      // A WCF service answers a request it cannot dispatch (a wrong SOAPAction) with 500 and a fault.
      if (!parsed.ok && parsed.fault) {
        return fail({ kind: 'soap_fault', message: `myPOS answered HTTP ${httpStatus}: ${parsed.reason}`, httpStatus, faultCode: parsed.fault.code }, { httpStatus, responseXml: xml });
      }
      return fail({ kind: 'http_status', message: `myPOS answered HTTP ${httpStatus}`, httpStatus }, { httpStatus, responseXml: xml });
    }
    if (!parsed.ok) return fail({ kind: 'bad_xml', message: parsed.reason }, { httpStatus, responseXml: xml });

    const fields = parsed.element.fields;
    const signatureField = fields.find(([name]) => name === 'signature');
    const unsigned = fields.filter(([name]) => name !== 'signature');
    const verifiedAs = signatureField === undefined ? undefined : await this.verifyAnswer(signed, unsigned, signatureField[1]);
    if (!verifiedAs) {
      return fail(
        { kind: 'bad_signature', message: signatureField ? 'the response signature does not verify with the myPOS certificate in either answer order' : 'the response has no signature' },
        { httpStatus, responseXml: xml, verified: false },
      );
    }
    const received = { httpStatus, responseXml: xml, verified: true, verifiedAs, httpDate };

    const response = toMyposResponse(request.method, unsigned, httpDate);
    if (response.status === '') return fail({ kind: 'bad_xml', message: 'the response has no status' }, received);
    const mismatch = this.findEchoMismatch(signed, response);
    if (mismatch) return fail(mismatch, received);

    const kind = response.statusInfo.kind;
    if (kind === 'refused' || kind === 'error' || kind === 'busy' || kind === 'duplicate') {
      return fail({ kind: 'mypos_status', message: response.statusInfo.log, status: response.statusInfo, response }, received);
    }
    return { ok: true, response, exchange: exchange(received) };
  }

  /**
   * The profile's answer order first, then the other candidate once: myPOS's answers are signed in
   * one of them, and which one the documents cannot say. An answer neither verifies is not trusted.
   */
  private async verifyAnswer(signed: SignedRequest, unsigned: OrderedFields, signature: string): Promise<AnswerOrder | undefined> {
    const first = this.current.answerOrder;
    const sentNames = signed.fields.map(([name]) => name);
    for (const order of [first, otherAnswerOrder(first)]) {
      const text = signedText(answerSignedValues(order, signed.request.method, sentNames, unsigned));
      if (await this.config.verifier.verify(text, signature)) return order;
    }
    return undefined;
  }

  /**
   * Fields we sent must come back with the exact value sent. The common fields are echoed on every
   * answer; the method's own fields only on a successful one (myPOS leaves them out of refusals).
   * A field we did not send may come back absent, empty, nil (already dropped) or "0" (a WCF
   * service's unset integer, e.g. reference_number_type); anything else is not about our request.
   */
  private findEchoMismatch(signed: SignedRequest, response: MyposResponse): MyposError | undefined {
    const sent = new Map(signed.fields);
    const received = new Map(response.fields);
    const success = response.status === '0';
    for (const spec of wireFields(signed.request.method, this.current)) {
      const sentValue = sent.get(spec.name);
      const receivedValue = received.get(spec.name);
      const mustBePresent = sentValue !== undefined && (isCommonField(spec.name) || success);
      const unsetEcho = receivedValue === '' || receivedValue === '0';
      // A refusal need not echo the method's own fields; a WCF service writes them unset then.
      const unsetAllowed = sentValue === undefined || (!success && !isCommonField(spec.name));
      if (receivedValue === undefined ? mustBePresent : receivedValue !== sentValue && !(unsetAllowed && unsetEcho)) {
        return {
          kind: 'echo_mismatch',
          message: `${spec.name} in the answer (${receivedValue ?? 'missing'}) is not what was sent (${sentValue ?? 'not sent'})`,
          field: spec.name,
          sent: sentValue,
          received: receivedValue,
        };
      }
    }
    return undefined;
  }
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const cause = (error as Error & { cause?: unknown }).cause;
  const code = cause instanceof Error && 'code' in cause ? String((cause as Error & { code: unknown }).code) : undefined;
  return code ? `${error.message} (${code})` : error.message;
}
