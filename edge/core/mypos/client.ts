import { accept, refuse, type Checked } from '../../../shared/result.js';
import type { MyposError } from './errors.js';
import { buildRequestEnvelope, soapAction, type OrderedFields } from './envelope.js';
import { echoedFields, requestFields, type FieldOrder } from './methods.js';
import type { MyposRequest } from './requests.js';
import { toMyposResponse, type MyposResponse } from './response.js';
import type { RequestSigner, SignatureVerifier } from './signing.js';
import { signedText } from './signing.js';
import { MAX_SOAP_BYTES, parseSoapResponse } from './soap-parse.js';
import { BodyTooLargeError, type MyposTransport } from './transport.js';
import { isXmlSafe } from './xml.js';

export interface MyposClientConfig {
  readonly endpoint: string;
  readonly login: string;
  readonly version: string;
  readonly fieldOrder: FieldOrder;
  readonly signer: RequestSigner;
  readonly verifier: SignatureVerifier;
  readonly transport: MyposTransport;
  readonly maxResponseBytes?: number;
}

export interface SignedRequest {
  readonly request: MyposRequest;
  readonly fields: OrderedFields;
  readonly signedText: string;
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

  constructor(private readonly config: MyposClientConfig) {
    this.maxResponseBytes = config.maxResponseBytes ?? MAX_SOAP_BYTES;
  }

  /** Lays out, checks and signs a request. Refuses it, naming the field, before anything is signed. */
  async sign(request: MyposRequest): Promise<Checked<SignedRequest>> {
    const values: Record<string, string> = {
      version: this.config.version,
      login: this.config.login,
      key_index: this.config.signer.keyIndex,
      tid: request.tid,
      ruid: request.ruid,
      ...request.fields,
    };
    const specs = requestFields(request.method, this.config.fieldOrder);
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
      fields.push([spec.name, value]);
    }
    const text = signedText(fields.map(([, value]) => value));
    const signature = await this.config.signer.sign(text);
    return accept({ request, fields, signedText: text, xml: buildRequestEnvelope(request.method, fields, signature) });
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
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: soapAction(request.method) },
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

    if (httpStatus < 200 || httpStatus > 299) {
      return fail({ kind: 'http_status', message: `myPOS answered HTTP ${httpStatus}`, httpStatus }, { httpStatus, responseXml: xml });
    }
    const parsed = parseSoapResponse(xml, request.method);
    if (!parsed.ok) return fail({ kind: 'bad_xml', message: parsed.reason }, { httpStatus, responseXml: xml });

    const fields = parsed.element.fields;
    const signatureField = fields.find(([name]) => name === 'signature');
    const unsigned = fields.filter(([name]) => name !== 'signature');
    const verified = signatureField !== undefined && (await this.config.verifier.verify(signedText(unsigned.map(([, v]) => v)), signatureField[1]));
    if (!verified) {
      return fail(
        { kind: 'bad_signature', message: signatureField ? 'the response signature does not verify with the myPOS certificate' : 'the response has no signature' },
        { httpStatus, responseXml: xml, verified: false },
      );
    }
    const received = { httpStatus, responseXml: xml, verified: true, httpDate };

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
   * ME fields must come back with the exact value sent. The common fields are echoed on every
   * answer; the method's own fields only on a successful one (myPOS leaves them out of refusals).
   */
  private findEchoMismatch(signed: SignedRequest, response: MyposResponse): MyposError | undefined {
    const sent = new Map(signed.fields);
    const received = new Map(response.fields);
    const success = response.status === '0';
    const common = new Set(['version', 'login', 'key_index', 'tid', 'ruid']);
    for (const spec of echoedFields(signed.request.method, this.config.fieldOrder)) {
      const sentValue = sent.get(spec.name);
      const receivedValue = received.get(spec.name);
      const mustBePresent = sentValue !== undefined && (common.has(spec.name) || success);
      if (receivedValue === undefined ? mustBePresent : sentValue === undefined ? receivedValue !== '' : receivedValue !== sentValue) {
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
