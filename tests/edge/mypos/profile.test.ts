import { describe, expect, it } from 'vitest';
import { ConfigError, myposLogin, profileOverrides } from '../../../edge/core/env-settings.js';
import { parseLearnedProfile, resolveProfile, wsdlDifferences, type LearnedProfile } from '../../../edge/core/mypos/profile-sources.js';
import { answerSignedValues, DOCUMENTED_PROFILE, requestSignedValues, soapActionsFromTemplate, wireFields } from '../../../edge/core/mypos/profile.js';
import type { WsdlReading } from '../../../edge/core/mypos/wsdl.js';

const WCF_ACTIONS = soapActionsFromTemplate('urnIPayService/IPayService/{method}');

const learned = (overrides: Partial<LearnedProfile['profile']> = {}): LearnedProfile => ({
  profile: { ...DOCUMENTED_PROFILE, signingOrder: 'key_index_first', answerOrder: 'logical', soapActions: WCF_ACTIONS, ...overrides },
  learnedAt: '2026-12-02T10:00:00.000Z',
  endpoint: 'https://demotest-crrservice.mypos.com/infromhttp',
  evidence: ['test'],
});

describe('signing and wire order are separate settings', () => {
  const sent = [['version', '3.0'], ['login', 'a@b.c'], ['key_index', '1'], ['tid', '90000015'], ['ruid', 'R1'], ['amount', '1.00']] as const;

  it('signs key_index first while the wire keeps the documented order', () => {
    expect(requestSignedValues('MPRPurchase', 'key_index_first', sent).join(';')).toBe('1;3.0;a@b.c;90000015;R1;1.00');
    expect(requestSignedValues('MPRPurchase', 'documented', sent).join(';')).toBe('3.0;a@b.c;1;90000015;R1;1.00');
    expect(wireFields('MPRPurchase', { ...DOCUMENTED_PROFILE, signingOrder: 'key_index_first' }).map((f) => f.name)).toEqual([
      'version', 'login', 'key_index', 'tid', 'ruid', 'amount', 'reference_number', 'reference_number_type',
    ]);
  });

  it('lays the wire out in the WSDL sequence when there is one, keeping what we never send out of it', () => {
    const profile = { ...DOCUMENTED_PROFILE, wireSequences: { MPRRefund: ['key_index', 'login', 'ruid', 'tid', 'version', 'amount', 'extra_field'] } };
    expect(wireFields('MPRRefund', profile).map((f) => f.name)).toEqual(['key_index', 'login', 'ruid', 'tid', 'version', 'amount']);
    // A sequence lacking one of our elements keeps it, last.
    const partial = { ...DOCUMENTED_PROFILE, wireSequences: { MPRRefund: ['version', 'login', 'key_index', 'tid', 'ruid'] } };
    expect(wireFields('MPRRefund', partial).map((f) => f.name).at(-1)).toBe('amount');
  });
});

describe('answer orders', () => {
  // An alphabetical WCF answer, with method_name, an unset integer echoed as 0.
  const received = [
    ['amount', '1.00'], ['key_index', '1'], ['login', 'a@b.c'], ['method_name', 'MPRPurchase'], ['reference_number_type', '0'],
    ['ruid', 'R1'], ['status', '0'], ['status_msg', 'OK'], ['tid', '90000015'], ['version', '3.0'],
  ] as const;
  const sentNames = ['version', 'login', 'key_index', 'tid', 'ruid', 'amount'];

  it('as_received signs the values in arrival order, everything included', () => {
    expect(answerSignedValues('as_received', 'MPRPurchase', sentNames, received).join(';')).toBe('1.00;1;a@b.c;MPRPurchase;0;R1;0;OK;90000015;3.0');
  });

  it('logical signs the request as sent, the method’s own answer fields, status and status_msg; method_name left out', () => {
    expect(answerSignedValues('logical', 'MPRPurchase', sentNames, received).join(';')).toBe('3.0;a@b.c;1;90000015;R1;1.00;0;0;OK');
    const status = [['amount', '2.00'], ['response_code', '00'], ['ruid_original_status', '00'], ['ruid_original', 'P1'], ['ruid', 'R2'], ['status', '0'], ['status_msg', 'OK'], ['tid', 'T'], ['version', '3.0'], ['login', 'l'], ['key_index', '1']] as const;
    expect(answerSignedValues('logical', 'MPRGetTxnStatus', ['version', 'login', 'key_index', 'tid', 'ruid', 'ruid_original'], status).join(';')).toBe('3.0;l;1;T;R2;P1;00;2.00;00;0;OK');
  });
});

describe('where each part of the profile comes from', () => {
  const wsdl: WsdlReading = { url: 'https://x/?wsdl', soapActions: { MPRPurchase: 'from-wsdl/MPRPurchase' }, sequences: { MPRPurchase: ['version', 'login', 'key_index', 'tid', 'ruid', 'amount'] } };

  it('documents, then learned, then environment; the WSDL wins for SOAPAction and wire order', () => {
    expect(resolveProfile({}).sources).toEqual({ version: 'documents', wireOrder: 'documents', signingOrder: 'documents', soapActions: 'documents', answerOrder: 'documents' });
    const fromLearned = resolveProfile({ learned: learned() });
    expect(fromLearned.profile).toMatchObject({ signingOrder: 'key_index_first', answerOrder: 'logical' });
    expect(fromLearned.profile.soapActions.MPRCancel).toBe('urnIPayService/IPayService/MPRCancel');
    const fromEnv = resolveProfile({ learned: learned(), overrides: { signingOrder: 'documented' } });
    expect(fromEnv.profile.signingOrder).toBe('documented');
    expect(fromEnv.sources.signingOrder).toBe('environment');
    const withWsdl = resolveProfile({ learned: learned(), overrides: { soapActions: soapActionsFromTemplate('env/{method}') }, wsdl });
    expect(withWsdl.profile.soapActions.MPRPurchase).toBe('from-wsdl/MPRPurchase');
    // A method the WSDL does not name keeps the next source's action.
    expect(withWsdl.profile.soapActions.MPRCancel).toBe('env/MPRCancel');
    expect(withWsdl.sources).toMatchObject({ soapActions: 'wsdl', wireOrder: 'wsdl', answerOrder: 'learned' });
  });

  it('names each difference between the WSDL and the built-in table', () => {
    const lines = wsdlDifferences(DOCUMENTED_PROFILE, { ...wsdl, sequences: { MPRPurchase: ['key_index', 'version', 'login', 'tid', 'ruid', 'amount'] } });
    expect(lines.some((line) => line.startsWith('MPRPurchase SOAPAction: "from-wsdl/MPRPurchase"'))).toBe(true);
    expect(lines.some((line) => line.startsWith('MPRPurchase elements: key_index, version'))).toBe(true);
    expect(wsdlDifferences(DOCUMENTED_PROFILE, { url: 'u', soapActions: DOCUMENTED_PROFILE.soapActions, sequences: {} })).toEqual([]);
  });

  it('reads a stored profile back, and ignores a damaged one', () => {
    const stored = learned();
    expect(parseLearnedProfile(JSON.stringify(stored))).toEqual(stored);
    expect(parseLearnedProfile('{')).toBeUndefined();
    expect(parseLearnedProfile(JSON.stringify({ ...stored, profile: { ...stored.profile, signingOrder: 'sideways' } }))).toBeUndefined();
    const { MPRCancel: _dropped, ...partial } = stored.profile.soapActions;
    expect(parseLearnedProfile(JSON.stringify({ ...stored, profile: { ...stored.profile, soapActions: partial } }))).toBeUndefined();
  });
});

describe('protocol settings from the environment', () => {
  it('reads each part and names the variable of a bad value', () => {
    expect(profileOverrides({})).toEqual({});
    const all = profileOverrides({ MYPOS_SIGNING_ORDER: 'key_index_first', MYPOS_WIRE_ORDER: 'documented', MYPOS_ANSWER_ORDER: 'logical', MYPOS_SOAP_ACTION: 'urnIPayService/IPayService/{method}', MYPOS_VERSION: '3.0' });
    expect(all).toMatchObject({ signingOrder: 'key_index_first', wireOrder: 'documented', answerOrder: 'logical', version: '3.0' });
    expect(all.soapActions?.MPRGetTxnStatus).toBe('urnIPayService/IPayService/MPRGetTxnStatus');
    expect(() => profileOverrides({ MYPOS_SIGNING_ORDER: 'reference' })).toThrow(/MYPOS_SIGNING_ORDER must be "documented" or "key_index_first"/);
    expect(() => profileOverrides({ MYPOS_ANSWER_ORDER: 'alphabetical' })).toThrow(/MYPOS_ANSWER_ORDER/);
    expect(() => profileOverrides({ MYPOS_SOAP_ACTION: 'urnIPayService/MPRPurchase' })).toThrow(/must contain \{method\}/);
    expect(() => profileOverrides({ MYPOS_VERSION: '3;0' })).toThrow(ConfigError);
    // The old switch moved the wire and the signature together: it is refused with where to go.
    expect(() => profileOverrides({ MYPOS_FIELD_ORDER: 'key_index_first' })).toThrow(/MYPOS_WIRE_ORDER and MYPOS_SIGNING_ORDER/);
  });

  it('refuses a login with the signed-string separator', () => {
    expect(myposLogin('shop@example.com')).toBe('shop@example.com');
    expect(() => myposLogin('shop;1@example.com')).toThrow(/MYPOS_LOGIN must not contain ";"/);
    expect(() => myposLogin(undefined)).toThrow(/MYPOS_LOGIN is required/);
  });
});
