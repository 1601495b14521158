import type { MyposError } from './errors.js';
import type { OrderedFields } from './envelope.js';
import type { MyposRequest } from './requests.js';
import type { AnswerOrder } from './profile.js';
import type { MyposResponse } from './response.js';

// What a call to myPOS is made of and leaves behind: the signed request, the exchange the edge
// stores, and the call's result. Plain records, so the stores and adapters need not load the client.

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
