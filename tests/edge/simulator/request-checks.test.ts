import { DOCUMENTED_PROFILE } from '../../../edge/core/mypos/profile.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRequestEnvelope } from '../../../edge/core/mypos/envelope.js';
import { importPrivateKeyPem } from '../../../edge/core/mypos/keys.js';
import { nodeMyposTransport } from '../../../edge/adapters/node/mypos-transport.js';
import { MyposClient } from '../../../edge/core/mypos/client.js';
import { MyposGateway } from '../../../edge/core/mypos/gateway.js';
import { purchaseRequestFromInput } from '../../../edge/core/mypos/requests.js';
import { parseSoapResponse } from '../../../edge/core/mypos/soap-parse.js';
import { CertificateVerifier, KeyRing, signedText, signText } from '../../../edge/core/mypos/signing.js';
import { newRuid } from '../../../shared/ruid.js';
import { opensslFixtures } from '../../helpers/fixtures.js';
import { startHarness, type Harness } from '../../helpers/mypos-harness.js';

let h: Harness;
let partnerKey: CryptoKey;
beforeAll(async () => {
  h = await startHarness();
  partnerKey = await importPrivateKeyPem(h.partnerKeyPem);
});
afterAll(async () => {
  await h.close();
});

/** Sends a hand-made request and returns the answer's status and status_msg. */
async function send(method: string, fields: Array<[string, string]>, key: CryptoKey = partnerKey, signature?: string) {
  const sig = signature ?? (await signText(key, signedText(fields.map(([, value]) => value))));
  const xml = buildRequestEnvelope('MPRPurchase', fields, sig).replaceAll('MPRPurchase', method);
  const response = await fetch(h.sim.endpoint, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml });
  const parsed = parseSoapResponse(await response.text(), method);
  if (!parsed.ok) throw new Error(parsed.reason);
  const map = new Map(parsed.element.fields);
  return { status: map.get('status'), statusMsg: map.get('status_msg') };
}

const base = (): Array<[string, string]> => [
  ['version', '3.0'],
  ['login', 'demo@mypos.local'],
  ['key_index', '1'],
  ['tid', '90000015'],
  ['ruid', newRuid()],
  ['amount', '1.00'],
];

describe('the simulator checks requests like myPOS', () => {
  it('accepts a well-formed, well-signed request', async () => {
    expect(await send('MPRPurchase', base())).toEqual({ status: '0', statusMsg: 'OK' });
  });

  it('answers 51 to a signature by another key and 50 to one that is not base64', async () => {
    const otherKey = await importPrivateKeyPem(opensslFixtures.pkcs8Pem);
    expect((await send('MPRPurchase', base(), otherKey)).status).toBe('51');
    expect((await send('MPRPurchase', base(), partnerKey, '%%%not-base64%%%')).status).toBe('50');
  });

  it('answers 40 to an unknown login or key_index', async () => {
    const login = base().map(([name, value]): [string, string] => [name, name === 'login' ? 'someone@else' : value]);
    expect((await send('MPRPurchase', login)).status).toBe('40');
    const keyIndex = base().map(([name, value]): [string, string] => [name, name === 'key_index' ? '7' : value]);
    expect((await send('MPRPurchase', keyIndex)).status).toBe('40');
  });

  it('answers 1 E_MISSING_REQ_PARAMS to a missing field and 4 to elements out of order', async () => {
    expect(await send('MPRPurchase', base().filter(([name]) => name !== 'amount'))).toEqual({ status: '1', statusMsg: 'E_MISSING_REQ_PARAMS' });
    const swapped = base();
    const [first, second] = [swapped[0], swapped[1]];
    if (!first || !second) throw new Error('fields');
    swapped[0] = second;
    swapped[1] = first;
    expect(await send('MPRPurchase', swapped)).toEqual({ status: '4', statusMsg: 'E_INVALID_PARAMS' });
  });

  it('answers 5 E_UNSUPPORTED_CALL to an unknown method', async () => {
    expect(await send('MPRTeleport', base())).toEqual({ status: '5', statusMsg: 'E_UNSUPPORTED_CALL' });
  });
});

describe('bad input is refused before anything is signed', () => {
  /** A gateway to the simulator whose signer counts its signatures. */
  async function countingGateway() {
    const counter = { signs: 0 };
    const ring = new KeyRing(new Map([['1', partnerKey]]), '1');
    const client = new MyposClient({
      endpoint: h.sim.endpoint,
      login: 'demo@mypos.local',
      profile: { ...DOCUMENTED_PROFILE, wireOrder: 'documented', signingOrder: 'documented' },
      signer: { keyIndex: '1', sign: (text) => ((counter.signs += 1), ring.sign(text)) },
      verifier: new CertificateVerifier(h.myposCertificates),
      transport: nodeMyposTransport(),
    });
    return { counter, client, gateway: new MyposGateway(client, { timings: { maxRetries: 0 } }) };
  }

  it.each([
    [{ amount: '12,50' }, 'amount', 'format'],
    [{ amount: '-1' }, 'amount', 'format'],
    [{ amount: '0.001' }, 'amount', 'format'],
    [{ amount: '10000.00' }, 'amount', 'max'],
    [{ tid: '9000001' }, 'tid', 'an8'],
    [{ reference: { number: 'Фактура', type: '1' } }, 'reference.number', 'ascii'],
    [{ reference: { number: 'x'.repeat(51), type: '1' } }, 'reference.number', 'length'],
    [{ reference: { number: 'A<B', type: '1' } }, 'reference.number', 'no_markup'],
    [{ reference: { number: 'A&B', type: '1' } }, 'reference.number', 'no_markup'],
    [{ reference: { number: 'Inv1', type: '9' } }, 'reference.type', 'enum'],
  ])('%o is refused: %s %s', async (change, field, rule) => {
    const { counter, gateway } = await countingGateway();
    const before = (await h.control<{ exchanges: unknown[] }>('/state')).exchanges.length;
    const result = await gateway.call(purchaseRequestFromInput({ tid: '90000015', ruid: newRuid(), amount: '12.50', ...change }));
    expect(result.ok).toBe(false);
    if (!result.ok && result.error.kind === 'invalid_request') {
      expect(result.error.field).toMatchObject({ field, rule });
      expect(result.error.message).toContain(field);
    } else {
      throw new Error('expected invalid_request');
    }
    expect(result.attempts).toBe(0);
    expect(counter.signs).toBe(0);
    expect((await h.control<{ exchanges: unknown[] }>('/state')).exchanges.length).toBe(before);
  });

  it('the same gateway signs and sends a valid purchase (the counter works)', async () => {
    const { counter, gateway } = await countingGateway();
    const result = await gateway.call(purchaseRequestFromInput({ tid: '90000015', ruid: newRuid(), amount: '12.50', reference: { number: 'Inv 7', type: '1' } }));
    expect(result.ok).toBe(true);
    expect(counter.signs).toBe(1);
  });

  it('the client refuses unknown, missing and control-character fields without signing', async () => {
    const { counter, client } = await countingGateway();
    const unknown = await client.sign({ method: 'MPRPurchase', tid: '90000015', ruid: 'r1', fields: { amount: '1.00', tip: '1.00' } });
    expect(unknown.ok ? undefined : unknown.error).toMatchObject({ field: 'tip', rule: 'unknown' });
    const missing = await client.sign({ method: 'MPRPurchase', tid: '90000015', ruid: 'r1', fields: {} });
    expect(missing.ok ? undefined : missing.error).toMatchObject({ field: 'amount', rule: 'required' });
    const control = await client.sign({ method: 'MPRPurchase', tid: '90000015', ruid: 'r1', fields: { amount: '1.00', reference_number: 'a\u0001b' } });
    expect(control.ok ? undefined : control.error).toMatchObject({ field: 'reference_number', rule: 'xml_char' });
    expect(counter.signs).toBe(0);
  });
});
