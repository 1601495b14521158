import { accept, refuse, type Checked } from '../../../shared/result.js';
import { findEchoMismatch } from './echo-check.js';
import type { MyposError } from './errors.js';
import { buildRequestEnvelope, type OrderedFields } from './envelope.js';
import { exchangeOf, type CallResult, type Exchange, type SignedRequest } from './exchange.js';
import type { MyposRequest } from './requests.js';
import { answerSignedValues, otherAnswerOrder, requestSignedValues, wireFields, type AnswerOrder, type ProtocolProfile } from './profile.js';
import { toMyposResponse } from './response.js';
import type { RequestSigner, SignatureVerifier } from './signing.js';
import { signedText, SIGNED_VALUE_SEPARATOR } from './signing.js';
import { MAX_SOAP_BYTES, parseSoapResponse } from './soap-parse.js';
import { BodyTooLargeError, type MyposTransport } from './transport.js';
import { isXmlSafe } from './xml.js';

// The records of a call are in exchange.ts, the echo check of an answer in echo-check.ts; importers
// take them from here as before.
export { exchangeOf } from './exchange.js';
export type { CallResult, Exchange, SignedRequest } from './exchange.js';

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
    const mismatch = findEchoMismatch(signed, response, this.current);
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
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const cause = (error as Error & { cause?: unknown }).cause;
  const code = cause instanceof Error && 'code' in cause ? String((cause as Error & { code: unknown }).code) : undefined;
  return code ? `${error.message} (${code})` : error.message;
}
