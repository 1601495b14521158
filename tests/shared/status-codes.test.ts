import { describe, expect, it } from 'vitest';
import { describeIssuerCode, describeStatus, isPinCode } from '../../shared/status-codes.js';

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
  ] as const)('status %s is %s, with a cashier and a log message', (code, kind) => {
    const info = describeStatus(code);
    expect(info.kind).toBe(kind);
    expect(info.cashier.length).toBeGreaterThan(4);
    expect(info.log).toContain(code);
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

  it('describes issuer codes', () => {
    expect(describeIssuerCode('51')).toContain('funds');
    expect(describeIssuerCode('Q9')).toContain('Q9');
  });
});
