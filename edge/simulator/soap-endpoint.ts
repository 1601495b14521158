import { base64ToBytes } from '../core/mypos/base64.js';
import { isMyposMethod, requestFields, RESULT_NS, SOAP_NS, MYPOS_NS, COMMON_FIELDS, type MyposMethod } from '../core/mypos/methods.js';
import { answerSignedValues, requestSignedValues } from '../core/mypos/profile.js';
import { signedText, signText, verifyText } from '../core/mypos/signing.js';
import { MAX_SOAP_BYTES, parseSoapBody } from '../core/mypos/soap-parse.js';
import { BodyTooLargeError, readTextCapped } from '../core/mypos/transport.js';
import { escapeXmlText } from '../core/mypos/xml.js';
import type { FaultSwitches, Fault } from './faults.js';
import { answer as answerOf, handleMethod, type MethodAnswer } from './handlers.js';
import type { SimulatorSettings } from './settings.js';
import type { VirtualTerminals } from './terminals.js';
import { actionNotSupported, deserializationFailed, methodOfWcfAction, soapActionHeader, wcfAnswerElements, wcfAnswerXml } from './wcf.js';

type Fields = ReadonlyArray<readonly [string, string]>;

/** Every answer the simulator gave, for tests and the page: method, RUID, status. */
export interface SimExchange {
  readonly method: string;
  readonly ruid: string;
  /** The request asked about (MPRGetTxnStatus, MPRCancel, MPRLastTxnVoid), when echoed. */
  readonly ruidOriginal?: string;
  readonly status: string;
  readonly cached: boolean;
  readonly fault: string | undefined;
  readonly at: number;
}

/** An answer before it is rendered: what it says, and the request it answers (as received, signature excluded). */
interface AnswerModel {
  readonly fields: Fields;
  readonly request: Fields;
}

/**
 * POST /infromhttp: the myPOS cloud. Checks the request like myPOS does, then answers signed, in
 * the layout of the settings' profile (documented, or wcf: see wcf.ts).
 */
export class SoapEndpoint {
  private readonly cache = new Map<string, AnswerModel>();
  readonly exchanges: SimExchange[] = [];

  constructor(
    private readonly settings: SimulatorSettings,
    private readonly terminals: VirtualTerminals,
    private readonly faults: FaultSwitches,
  ) {}

  reset(): void {
    this.cache.clear();
    this.exchanges.length = 0;
  }

  /**
   * dropConnection cuts the TCP connection without an answer (the Node server passes one); without
   * it a dropped answer is a body stream that fails, which also reaches the client as a network error.
   */
  async handle(request: Request, dropConnection?: () => void): Promise<Response> {
    // drop_request: lost on its way, never processed nor recorded; the client gets no answer.
    if (await this.faults.requestLost(request)) return this.damaged('', [], { kind: 'drop', method: undefined, remaining: 0, delayMs: 0 }, dropConnection);
    const wcf = this.settings.profile === 'wcf';
    // A WCF service dispatches by the SOAPAction before it reads the body: any other action is
    // refused with a fault, and nothing is processed or recorded.
    const action = soapActionHeader(request);
    const actionMethod = wcf ? methodOfWcfAction(action) : undefined;
    if (wcf && !actionMethod) return actionNotSupported(action);
    let xml: string;
    try {
      xml = await readTextCapped(request.body, MAX_SOAP_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return soapFault(413, 'request larger than 10 MB');
      return soapFault(400, 'request body is not UTF-8 text');
    }
    const parsed = parseSoapBody(xml);
    if (!parsed.ok) return soapFault(400, parsed.reason);
    const { name, fields } = parsed.element;
    if (actionMethod && name !== actionMethod) return deserializationFailed(actionMethod, name);
    const received = new Map(fields);
    const unsigned = fields.filter(([field]) => field !== 'signature');
    const common = unsigned.filter(([field]) => (COMMON_FIELDS as readonly string[]).includes(field));
    const refuse = (method: string, answer: MethodAnswer) => this.respond(method, common, unsigned, answer, undefined, dropConnection);
    if (!isMyposMethod(name)) return refuse(name, answerOf('5', 'E_UNSUPPORTED_CALL'));
    const method = name;

    const layout = this.checkLayout(method, fields);
    if (layout) return refuse(method, layout);
    if (received.get('login') !== this.settings.partnerLogin) return refuse(method, answerOf('40', 'Authentication failed'));
    const certificates = this.settings.partnerCertificates.get(received.get('key_index') ?? '');
    if (!certificates) return refuse(method, answerOf('40', 'Authentication failed'));
    const signature = received.get('signature') ?? '';
    if (!base64ToBytes(signature)) return refuse(method, answerOf('50', 'Invalid signature'));
    // documented: the values in the order received (the documented order, checked above); wcf: the
    // public client's order, key_index first, whatever the wire order.
    const text = signedText(wcf ? requestSignedValues(method, 'key_index_first', unsigned) : unsigned.map(([, value]) => value));
    let verified = false;
    for (const certificate of certificates) verified ||= await verifyText(certificate.publicKey, text, signature);
    if (!verified) return refuse(method, answerOf('51', 'Signature verification failed'));

    const ruid = received.get('ruid') ?? '';
    const cacheKey = `${method}\u0000${ruid}`;
    const cached = this.cache.get(cacheKey);
    if (cached) {
      if (this.settings.duplicateMode === 'error') return refuse(method, answerOf('6', 'E_DUPLICATE_TRANSMISSION'));
      return this.send(method, ruid, cached, true, dropConnection);
    }
    const answer = handleMethod(method, received, { terminals: this.terminals, merchant: this.settings.merchant, pinCodeIn: this.settings.pinCodeIn });
    return this.respond(method, answer.echoAll ? unsigned : common, unsigned, answer, cacheKey, dropConnection);
  }

  /** Missing elements, unknown ones, or elements out of the documented order. */
  private checkLayout(method: MyposMethod, fields: Fields): MethodAnswer | undefined {
    const specs = requestFields(method, 'documented');
    const names = fields.map(([field]) => field);
    if (names.at(-1) !== 'signature' && names.includes('signature')) return answerOf('4', 'E_INVALID_PARAMS');
    const sent = names.filter((field) => field !== 'signature');
    if (sent.some((field) => !specs.some((spec) => spec.name === field))) return answerOf('4', 'E_INVALID_PARAMS');
    const missing = specs.some((spec) => !spec.optional && !sent.includes(spec.name)) || !names.includes('signature');
    if (missing) return answerOf('1', 'E_MISSING_REQ_PARAMS');
    const expected = specs.map((spec) => spec.name).filter((field) => sent.includes(field));
    if (expected.join(';') !== sent.join(';')) return answerOf('4', 'E_INVALID_PARAMS');
    if (fields.some(([field, value]) => field !== 'signature' && value.trim() === '')) return answerOf('1', 'E_MISSING_REQ_PARAMS');
    return undefined;
  }

  private async respond(method: string, echoed: Fields, request: Fields, answer: MethodAnswer, cacheKey: string | undefined, drop: (() => void) | undefined): Promise<Response> {
    const model: AnswerModel = { fields: [...echoed, ...answer.extra, ['status', answer.status], ['status_msg', answer.statusMsg]], request };
    if (cacheKey) this.cache.set(cacheKey, model);
    const ruid = echoed.find(([field]) => field === 'ruid')?.[1] ?? '';
    return this.send(method, ruid, model, false, drop);
  }

  /** A cached answer is rendered from the same model, so a repeat gets the very same answer. */
  private async send(method: string, ruid: string, { fields, request }: AnswerModel, cached: boolean, drop: (() => void) | undefined): Promise<Response> {
    const fault = isMyposMethod(method) ? this.faults.take(method) : undefined;
    const ruidOriginal = fields.find(([f]) => f === 'ruid_original')?.[1];
    this.exchanges.push({ method, ruid, ...(ruidOriginal === undefined ? {} : { ruidOriginal }), status: fields.find(([f]) => f === 'status')?.[1] ?? '', cached, fault: fault?.kind, at: Date.now() });
    if (!fault) return xmlResponse(await this.render(method, fields, request));
    return this.damaged(method, fields, fault, drop, request);
  }

  private async damaged(method: string, fields: Fields, fault: Fault, drop: (() => void) | undefined, request: Fields = []): Promise<Response> {
    switch (fault.kind) {
      case 'drop':
        if (drop) {
          drop();
          return new Response(null, { status: 204 });
        }
        return new Response(new ReadableStream({ start: (controller) => controller.error(new Error('response dropped by fault switch')) }), {
          headers: { 'content-type': 'text/xml; charset=utf-8' },
        });
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        return xmlResponse(await this.render(method, fields, request));
      case 'http_500':
        return new Response('<html><body>500 Internal Server Error</body></html>', { status: 500, headers: { 'content-type': 'text/html' } });
      case 'malformed_xml': {
        const xml = await this.render(method, fields, request);
        return xmlResponse(xml.slice(0, Math.floor(xml.length / 2)));
      }
      case 'bad_signature':
        return xmlResponse(await this.render(method, fields, request, 'tampered;'));
      case 'wrong_echo': {
        const target = fields.some(([field]) => field === 'amount') ? 'amount' : 'ruid';
        const changed = fields.map(([field, value]) => [field, field === target ? `${value}9` : value] as const);
        return xmlResponse(await this.render(method, changed, request));
      }
    }
  }

  private async render(method: string, fields: Fields, request: Fields, signaturePrefix = ''): Promise<string> {
    if (this.settings.profile === 'wcf' && isMyposMethod(method)) return this.renderWcf(method, fields, request, signaturePrefix);
    const wrapped = await this.signature(signaturePrefix + signedText(fields.map(([, value]) => value)));
    const body = [...fields, ['signature', wrapped] as const].map(([field, value]) => `<a:${field}>${escapeXmlText(value)}</a:${field}>`).join('');
    return (
      `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${SOAP_NS}"><s:Body>` +
      `<${method}Response xmlns:urn="${MYPOS_NS}"><${method}Result xmlns:a="${RESULT_NS}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">` +
      `${body}</${method}Result></${method}Response></s:Body></s:Envelope>`
    );
  }

  /**
   * Every member alphabetically, with method_name; signed over the logical order (the request's
   * elements as received, then the method's own, then status and status_msg; nil members and
   * method_name left out): what the edge computes for its `logical` answer order.
   */
  private async renderWcf(method: MyposMethod, fields: Fields, request: Fields, signaturePrefix: string): Promise<string> {
    const elements = wcfAnswerElements(method, fields, request);
    const present = elements.flatMap(([name, value]) => (value === undefined ? [] : [[name, value] as const]));
    const values = answerSignedValues('logical', method, request.map(([name]) => name), present);
    const signature = await this.signature(signaturePrefix + signedText(values));
    return wcfAnswerXml(method, [...elements, ['signature', signature]]);
  }

  /** myPOS breaks the base64 signature into lines; clients must ignore the whitespace. */
  private async signature(text: string): Promise<string> {
    const signature = await signText(this.settings.signingKey, text);
    return `\n${signature.replace(/(.{96})/g, '$1\n')}\n`;
  }
}

function xmlResponse(xml: string): Response {
  return new Response(xml, { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' } });
}

function soapFault(status: number, reason: string): Response {
  const xml =
    `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${SOAP_NS}"><s:Body><s:Fault>` +
    `<faultcode>s:Client</faultcode><faultstring>${escapeXmlText(reason)}</faultstring></s:Fault></s:Body></s:Envelope>`;
  return new Response(xml, { status, headers: { 'content-type': 'text/xml; charset=utf-8' } });
}
