import type { FieldError } from '../../../shared/result.js';
import type { Cents } from '../../../shared/money.js';
import type { SignatureVerifier } from '../mypos/signing.js';
import { BodyTooLargeError, type MyposTransport } from '../mypos/transport.js';
import { classifyRefund, classifyReversal, classifyTxnStatus, readIpcAnswer, type AnswerProblem, type Expected, type RefundAnswer, type ReversalAnswer, type TxnStatusAnswer } from './answers.js';
import { refundRequest, reversalRequest, txnStatusRequest, type IpcRefundInput } from './requests.js';
import { signIpcWith, type IpcFields, type IpcTextSigner } from './signing.js';
import type { IpcMerchant } from './values.js';

// The server-to-server IPC calls (status, refund, reversal): sign, POST form-encoded to the IPC
// endpoint, read with a size cap and a timeout, verify, classify. As the SDK's Base.php
// `_processPost` does it (one POST, Content-type application/x-www-form-urlencoded, http_build_query
// of the fields with Signature last), with the transport port of mypos/transport.ts so the Node
// adapter's connect timeout and the simulator (a real HTTP peer) plug in the same way. myPOS
// requires a User-Agent header (developers.mypos.com "Security and availability").
//
// The purchase is not posted by the edge: the customer's browser posts it (the SDK's
// `_processHtmlPost`, an auto-submitted form), so signedPurchaseForm only signs it.

export const IPC_DEFAULT_TIMEOUT_MS = 30_000;
export const IPC_MAX_ANSWER_BYTES = 256 * 1024;
export const IPC_USER_AGENT = 'mypos-till (myPOS IPC 1.4)';

/** Our key for the IPC: mypos/signing.ts KeyRing fits (its keyIndex is what KeyIndex must say). */
export interface IpcSigner extends IpcTextSigner {
  readonly keyIndex: string;
}

export interface IpcClientConfig {
  /** The IPC URL (ipc/settings.ts: test, production or a URL). */
  readonly endpoint: string;
  readonly merchant: IpcMerchant;
  readonly signer: IpcSigner;
  /** myPOS's certificates (mypos/signing.ts CertificateVerifier: any of them). */
  readonly verifier: SignatureVerifier;
  readonly transport: MyposTransport;
  readonly timeoutMs?: number;
  readonly maxAnswerBytes?: number;
}

/** No verified answer came: nothing is known of the call's effect. */
export interface Unreachable {
  readonly kind: 'unreachable';
  readonly reason: 'timeout' | 'transport' | 'http_status' | 'too_large';
  readonly message: string;
  readonly httpStatus?: number;
}

/** The builder refused the input (nothing was signed or sent). */
export interface Invalid {
  readonly kind: 'invalid';
  readonly error: FieldError;
}

export type IpcPost = { readonly kind: 'verified'; readonly fields: IpcFields; readonly sent: IpcFields } | AnswerProblem | Unreachable;

function assertKeyIndex(fields: IpcFields, signer: IpcSigner): void {
  const keyIndex = fields.find(([name]) => name === 'KeyIndex')?.[1];
  if (keyIndex !== signer.keyIndex) throw new Error(`the fields say KeyIndex ${keyIndex ?? '(none)'} but the signer's key is ${signer.keyIndex}`);
}

/**
 * The signed fields of an IPCPurchase, for the auto-submitted HTML form the customer's browser
 * posts to the IPC endpoint. The page must HTML-escape each value in its attribute (as the SDK's
 * Helper::escape does): the browser then posts, and myPOS verifies, the raw values signed here.
 */
export async function signedPurchaseForm(fields: IpcFields, signer: IpcSigner): Promise<IpcFields> {
  if (fields[0]?.[0] !== 'IPCmethod' || fields[0][1] !== 'IPCPurchase') throw new Error('signedPurchaseForm signs an IPCPurchase (ipc/requests.ts purchaseRequest)');
  assertKeyIndex(fields, signer);
  return signIpcWith(fields, signer);
}

export class IpcClient {
  constructor(private readonly config: IpcClientConfig) {}

  get merchant(): IpcMerchant {
    return this.config.merchant;
  }

  /** Signs and posts fields from ipc/requests.ts, and answers the verified answer's fields. */
  async post(fields: IpcFields): Promise<IpcPost> {
    assertKeyIndex(fields, this.config.signer);
    const sent = await signIpcWith(fields, this.config.signer);
    const timeoutMs = this.config.timeoutMs ?? IPC_DEFAULT_TIMEOUT_MS;
    const maxBytes = this.config.maxAnswerBytes ?? IPC_MAX_ANSWER_BYTES;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let httpStatus: number | undefined;
    let text: string;
    try {
      const response = await this.config.transport({
        url: this.config.endpoint,
        body: new URLSearchParams(sent.map(([name, value]) => [name, value])).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'user-agent': IPC_USER_AGENT },
        signal: controller.signal,
      });
      httpStatus = response.status;
      text = await response.readText(maxBytes);
    } catch (error) {
      const at = httpStatus === undefined ? {} : { httpStatus };
      if (controller.signal.aborted) return { kind: 'unreachable', reason: 'timeout', message: `no answer within ${timeoutMs} ms`, ...at };
      if (error instanceof BodyTooLargeError) return { kind: 'unreachable', reason: 'too_large', message: error.message, ...at };
      if (error instanceof TypeError && httpStatus !== undefined) return { kind: 'bad_answer', reason: 'the answer is not valid UTF-8' };
      return { kind: 'unreachable', reason: 'transport', message: `connection failed: ${error instanceof Error ? error.message : 'unknown error'}`, ...at };
    } finally {
      clearTimeout(timer);
    }
    if (httpStatus < 200 || httpStatus > 299) return { kind: 'unreachable', reason: 'http_status', message: `the IPC answered HTTP ${httpStatus}`, httpStatus };
    const answer = await readIpcAnswer(text, this.config.verifier);
    return answer.kind === 'verified' ? { kind: 'verified', fields: answer.fields, sent } : answer;
  }

  /** IPCGetTxnStatus of a purchase, compared with what the payment expects. */
  async txnStatus(expected: Expected): Promise<TxnStatusAnswer | Unreachable | Invalid> {
    const request = txnStatusRequest(this.config.merchant, { orderId: expected.orderId });
    if (!request.ok) return { kind: 'invalid', error: request.error };
    const answer = await this.post(request.value);
    return answer.kind === 'verified' ? classifyTxnStatus(answer.fields, expected) : answer;
  }

  /** IPCRefund of (part of) a purchase by its IPC_Trnref; orderId is the refund's own id. */
  async refund(input: IpcRefundInput, capCents?: Cents): Promise<RefundAnswer | Unreachable | Invalid> {
    const request = refundRequest(this.config.merchant, input, capCents);
    if (!request.ok) return { kind: 'invalid', error: request.error };
    const answer = await this.post(request.value);
    return answer.kind === 'verified' ? classifyRefund(answer.fields, input) : answer;
  }

  /** IPCReversal (void) of a purchase by its IPC_Trnref. */
  async reversal(input: { readonly trnref: string }): Promise<ReversalAnswer | Unreachable | Invalid> {
    const request = reversalRequest(this.config.merchant, input);
    if (!request.ok) return { kind: 'invalid', error: request.error };
    const answer = await this.post(request.value);
    return answer.kind === 'verified' ? classifyReversal(answer.fields, input) : answer;
  }
}
