import { describe, expect, it } from 'vitest';
import { PAYMENT_REASONS } from '../../shared/reasons.js';
import { describeStatus, isPinCode, issuerReason, ISSUER_CODES, STATUS_TABLE } from '../../shared/status-codes.js';

describe('status table', () => {
  it.each([
    ['0', 'ok'],
    ['1A', 'pin'],
    ['55', 'pin'],
    ['65', 'pin'],
    ['70', 'pin'],
    ['6', 'duplicate'],
    ['11', 'busy'],
    ['13', 'declined'],
    ['14', 'cancelled'],
    ['15', 'pending'],
    ['17', 'pending'],
    ['40', 'refused'],
    ['41', 'refused'],
    ['42', 'refused'],
    ['50', 'refused'],
    ['51', 'refused'],
    ['60', 'error'],
    ['99', 'error'],
  ] as const)('status %s is %s, with a reason code and a log message', (code, kind) => {
    const info = describeStatus(code);
    expect(info.kind).toBe(kind);
    expect(PAYMENT_REASONS).toContain(info.reason);
    expect(info.log).toContain(code);
  });

  it('gives every status of every table a reason the till words, and 7 says the code is not typed', () => {
    for (const info of STATUS_TABLE) expect(PAYMENT_REASONS).toContain(info.reason);
    expect(describeStatus('7').reason).toBe('code_not_typed');
    expect(describeStatus('42').reason).toBe('terminal_offline');
    expect(describeStatus('3').reason).toBe('mypos_system_error');
    expect(describeStatus('777').reason).toBe('unknown_status');
  });

  it('lets the E_ name decide the meaning of 5', () => {
    expect(describeStatus('5').name).toBe('E_UNSUPPORTED_CALL');
    expect(describeStatus('5', 'E_MISSING_REQ_PARAMS').name).toBe('E_MISSING_REQ_PARAMS');
    expect(describeStatus('5', 'E_INVALID_PARAMS').kind).toBe('refused');
  });

  it('keeps status as text: "1a" and "05" are understood, unknown codes are errors', () => {
    expect(describeStatus('1a').kind).toBe('pin');
    expect(describeStatus('05').name).toBe('E_UNSUPPORTED_CALL');
    expect(describeStatus('777')).toMatchObject({ kind: 'error', name: 'UNKNOWN' });
  });

  it('recognises PIN codes wherever they come', () => {
    expect(isPinCode('1A')).toBe(true);
    expect(isPinCode(' 70 ')).toBe(true);
    expect(isPinCode('00')).toBe(false);
    expect(isPinCode(undefined)).toBe(false);
  });

  it('gives issuer codes their reasons; one it does not know is a decline by the issuer', () => {
    expect(issuerReason('51')).toBe('insufficient_funds');
    expect(issuerReason('05')).toBe('issuer_declined');
    expect(issuerReason('Q9')).toBe('issuer_declined');
    for (const code of ISSUER_CODES) expect(PAYMENT_REASONS).toContain(issuerReason(code));
  });
});
