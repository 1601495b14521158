import { describe, expect, it } from 'vitest';
import type { GatewayResult } from '../../../edge/core/mypos/gateway.js';
import { observeSend } from '../../../edge/core/payments/observations.js';

// What a purchase's answer tells the machine when there is no myPOS status in it.

const failed = (error: Extract<GatewayResult, { ok: false }>['error']): GatewayResult => ({ ok: false, error, exchange: undefined, attempts: 1 });

describe('the answer to a purchase without a myPOS status', () => {
  it('ActionNotSupported: the service never ran the operation, nothing reached the terminal: refused', () => {
    const observation = observeSend(failed({ kind: 'soap_fault', message: 'myPOS answered HTTP 500: SOAP Fault a:ActionNotSupported: …', httpStatus: 500, faultCode: 'a:ActionNotSupported' }));
    expect(observation).toMatchObject({ kind: 'refused', refusal: { status: '5', reason: 'unsupported_operation' } });
  });

  it('any other fault, an HTTP error or no answer: uncertain, to be asked', () => {
    expect(observeSend(failed({ kind: 'soap_fault', message: 'InternalServiceFault', httpStatus: 500, faultCode: 'a:InternalServiceFault' })).kind).toBe('uncertain');
    expect(observeSend(failed({ kind: 'http_status', message: 'HTTP 502', httpStatus: 502 })).kind).toBe('uncertain');
    expect(observeSend(failed({ kind: 'timeout', message: 'no answer', afterMs: 30_000 })).kind).toBe('uncertain');
  });
});
