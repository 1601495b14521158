import { importCertificatesPem, importPrivateKeyPem } from '../../../edge/core/mypos/keys.js';
import { CertificateVerifier, KeyRing, signText } from '../../../edge/core/mypos/signing.js';
import { opensslFixtures } from '../../helpers/fixtures.js';

// Test doubles of both sides' keys, from the openssl fixtures (tests/fixtures/openssl): "myPOS"
// signs answers and notifications with the fixture key; the edge verifies with the fixture
// certificate. Our own key (the merchant's) is a second, generated pair.

export async function myposSide(): Promise<{ sign: (values: readonly string[]) => Promise<string>; verifier: CertificateVerifier }> {
  const key = await importPrivateKeyPem(opensslFixtures.pkcs8Pem);
  const verifier = new CertificateVerifier(await importCertificatesPem(opensslFixtures.certPem));
  // The SDK's formula written out independently of ipc/signing.ts: base64(implode('-', values)).
  const sign = (values: readonly string[]) => signText(key, Buffer.from(values.join('-'), 'utf8').toString('base64'));
  return { sign, verifier };
}

export async function merchantSigner(keyIndex = '1'): Promise<{ signer: KeyRing; publicKey: CryptoKey }> {
  const pair = await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, false, ['sign', 'verify']);
  return { signer: new KeyRing(new Map([[keyIndex, pair.privateKey]]), keyIndex), publicKey: pair.publicKey };
}

export const MERCHANT = { sid: '000000000000010', walletNumber: '61938166610', keyIndex: '1' } as const;
