import { DOCUMENTED_PROFILE } from '../../../edge/core/mypos/profile.js';
import { describe, expect, it } from 'vitest';
import { MyposClient } from '../../../edge/core/mypos/client.js';
import { importCertificatesPem, importPrivateKeyPem } from '../../../edge/core/mypos/keys.js';
import { PemError } from '../../../edge/core/mypos/pem.js';
import { purchaseRequest, refundRequest } from '../../../edge/core/mypos/requests.js';
import { CertificateVerifier, KeyRing, signText, verifyText } from '../../../edge/core/mypos/signing.js';
import { fetchTransport } from '../../../edge/core/mypos/transport.js';
import { opensslFixtures } from '../../helpers/fixtures.js';

// The vectors were made by `openssl dgst -sha256 -sign` (tests/fixtures/openssl/make-fixtures.sh).
// PKCS#1 v1.5 signatures are deterministic, so ours must equal openssl's byte for byte.

describe('signatures against openssl test vectors', () => {
  it('signs every vector exactly as openssl does, from a PKCS#8 and from a PKCS#1 key', async () => {
    const pkcs8 = await importPrivateKeyPem(opensslFixtures.pkcs8Pem);
    const pkcs1 = await importPrivateKeyPem(opensslFixtures.pkcs1Pem);
    expect(opensslFixtures.vectors.length).toBeGreaterThanOrEqual(5);
    for (const vector of opensslFixtures.vectors) {
      expect(await signText(pkcs8, vector.text)).toBe(vector.signature);
      expect(await signText(pkcs1, vector.text)).toBe(vector.signature);
    }
  });

  it('verifies openssl signatures with the X.509 certificate and with the PKCS#7 bundle', async () => {
    for (const pem of [opensslFixtures.certPem, opensslFixtures.pkcs7Pem]) {
      const [certificate] = await importCertificatesPem(pem);
      if (!certificate) throw new Error('no certificate');
      expect(certificate.subject).toContain('openssl test vectors');
      for (const vector of opensslFixtures.vectors) {
        expect(await verifyText(certificate.publicKey, vector.text, vector.signature)).toBe(true);
        // Line breaks inside a received signature are ignored.
        expect(await verifyText(certificate.publicKey, vector.text, vector.signature.replace(/(.{64})/g, '$1\n '))).toBe(true);
        expect(await verifyText(certificate.publicKey, `${vector.text};`, vector.signature)).toBe(false);
      }
      expect(await verifyText(certificate.publicKey, 'x', 'not base64!')).toBe(false);
    }
  });

  it('builds the documented MPRPurchase example and signs the values in the reference order', async () => {
    const client = new MyposClient({
      endpoint: 'http://127.0.0.1:9/infromhttp',
      login: 'name@website.com',
      profile: { ...DOCUMENTED_PROFILE, wireOrder: 'documented', signingOrder: 'documented' },
      signer: new KeyRing(new Map([['1', await importPrivateKeyPem(opensslFixtures.pkcs8Pem)]]), '1'),
      verifier: new CertificateVerifier(await importCertificatesPem(opensslFixtures.certPem)),
      transport: fetchTransport(),
    });
    const request = purchaseRequest({ tid: '90000015', ruid: '201203319999999', amountCents: 2345, reference: { number: 'Inv12345', type: '1' } });
    if (!request.ok) throw new Error(request.error.message);
    const signed = await client.sign(request.value);
    if (!signed.ok) throw new Error(signed.error.message);
    expect(signed.value.signedText).toBe('3.0;name@website.com;1;90000015;201203319999999;23.45;Inv12345;1');
    expect(signed.value.xml).toContain(`<urn:signature>${opensslFixtures.vectors[1]?.signature}</urn:signature>`);
    const order = [...signed.value.xml.matchAll(/<urn:([a-z_]+)>/g)].map((match) => match[1]);
    expect(order).toEqual(['version', 'login', 'key_index', 'tid', 'ruid', 'amount', 'reference_number', 'reference_number_type', 'signature']);
  });

  it('signs key_index first when configured, keeping the documented wire order (separate settings)', async () => {
    const client = new MyposClient({
      endpoint: 'http://127.0.0.1:9/infromhttp',
      login: 'name@website.com',
      profile: { ...DOCUMENTED_PROFILE, wireOrder: 'documented', signingOrder: 'key_index_first' },
      signer: new KeyRing(new Map([['1', await importPrivateKeyPem(opensslFixtures.pkcs1Pem)]]), '1'),
      verifier: new CertificateVerifier(await importCertificatesPem(opensslFixtures.certPem)),
      transport: fetchTransport(),
    });
    const request = refundRequest({ tid: '90000015', ruid: '201203319999999', amountCents: 2345 });
    if (!request.ok) throw new Error(request.error.message);
    const signed = await client.sign(request.value);
    if (!signed.ok) throw new Error(signed.error.message);
    expect(signed.value.signedText).toBe('1;3.0;name@website.com;90000015;201203319999999;23.45');
    expect(signed.value.xml).toContain(`<urn:signature>${opensslFixtures.vectors[2]?.signature}</urn:signature>`);
    const order = [...signed.value.xml.matchAll(/<urn:([a-z_]+)>/g)].map((match) => match[1]);
    expect(order).toEqual(['version', 'login', 'key_index', 'tid', 'ruid', 'amount', 'signature']);
  });

  it('signs with the key of the configured key_index', async () => {
    const other = await crypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
      false,
      ['sign'],
    );
    const keys = new Map([
      ['1', other.privateKey],
      ['2', await importPrivateKeyPem(opensslFixtures.pkcs8Pem)],
    ]);
    const ring = new KeyRing(keys, '2');
    expect(ring.indexes).toEqual(['1', '2']);
    const vector = opensslFixtures.vectors[0];
    if (!vector) throw new Error('no vector');
    expect(await ring.sign(vector.text)).toBe(vector.signature);
    expect(() => new KeyRing(keys, '3')).toThrow(/key_index 3/);
  });

  it('refuses unusable key files with a clear message', async () => {
    await expect(importPrivateKeyPem(opensslFixtures.certPem)).rejects.toThrow(PemError);
    await expect(importPrivateKeyPem('-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----')).rejects.toThrow(/encrypted/);
    await expect(importPrivateKeyPem('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----')).rejects.toThrow(/could not be read/);
    await expect(importCertificatesPem(opensslFixtures.pkcs8Pem)).rejects.toThrow(/no certificate/);
  });
});
