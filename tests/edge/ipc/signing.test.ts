import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipcSignedText, signIpc, signIpcWith, verifyIpc, verifyIpcWith, SIGNATURE_FIELD, type IpcFields } from '../../../edge/core/ipc/signing.js';
import { purchaseRequest } from '../../../edge/core/ipc/requests.js';
import { importCertificatesPem, importPrivateKeyPem } from '../../../edge/core/mypos/keys.js';
import { CertificateVerifier, KeyRing } from '../../../edge/core/mypos/signing.js';
import { opensslFixtures } from '../../helpers/fixtures.js';
import { MERCHANT } from './mypos-side.js';

// The IPC signature checked with the openssl command line, an implementation independent of
// WebCrypto: a key made by openssl in a temp dir; what signIpc signs, openssl verifies; what openssl
// signs over the same text, verifyIpc verifies. PKCS#1 v1.5 is deterministic, so both signatures
// are the same bytes.

let dir: string;
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** What openssl says of a signature (base64) over a text, with the public key. */
function opensslVerifies(text: string, signatureBase64: string): boolean {
  writeFileSync(join(dir, 'text.txt'), text);
  writeFileSync(join(dir, 'sig.bin'), Buffer.from(signatureBase64, 'base64'));
  try {
    return openssl('dgst', '-sha256', '-verify', 'pub.pem', '-signature', 'sig.bin', 'text.txt').includes('Verified OK');
  } catch {
    return false;
  }
}

function opensslSigns(text: string): string {
  writeFileSync(join(dir, 'text.txt'), text);
  openssl('dgst', '-sha256', '-sign', 'key.pem', '-out', 'sig.bin', 'text.txt');
  return readFileSync(join(dir, 'sig.bin')).toString('base64');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ipc-openssl-'));
  openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'key.pem');
  openssl('rsa', '-in', 'key.pem', '-pubout', '-out', 'pub.pem');
  openssl('req', '-new', '-x509', '-key', 'key.pem', '-days', '2', '-subj', '/CN=ipc signature test', '-out', 'cert.pem');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const keys = async () => {
  const privateKey = await importPrivateKeyPem(readFileSync(join(dir, 'key.pem'), 'utf8'));
  const certificates = await importCertificatesPem(readFileSync(join(dir, 'cert.pem'), 'utf8'));
  const publicKey = certificates[0]?.publicKey;
  if (!publicKey) throw new Error('no certificate');
  return { privateKey, publicKey, verifier: new CertificateVerifier(certificates) };
};

function purchase(): IpcFields {
  const built = purchaseRequest(MERCHANT, {
    orderId: '01J0000000ABCDEFGHJKMNPQRS',
    amountCents: 2345,
    currency: 'EUR',
    urlOk: 'https://till.example/pay/t-1/ok',
    urlCancel: 'https://till.example/pay/t-1/cancel',
    urlNotify: 'https://till.example/api/ipc/notify',
    lines: [
      { name: 'Kaffee & Kuchen – groß', quantity: 2, unitPriceCents: 1000 },
      { name: 'Баница', quantity: 1, unitPriceCents: 345 },
    ],
  });
  if (!built.ok) throw new Error(built.error.message);
  return built.value;
}

describe('the IPC signature against the openssl command line', () => {
  it('signs the text the SDK signs: base64 of the values joined with "-", Signature left out', () => {
    const fields = purchase();
    const values = fields.map(([, value]) => value);
    expect(values).toContain('');
    expect(ipcSignedText(fields)).toBe(Buffer.from(values.join('-'), 'utf8').toString('base64'));
    expect(ipcSignedText([...fields, [SIGNATURE_FIELD, 'ignored']])).toBe(ipcSignedText(fields));
  });

  it('signs with signIpc what openssl verifies, byte for byte the signature openssl makes', async () => {
    const { privateKey } = await keys();
    const fields = purchase();
    const signed = await signIpc(fields, privateKey);
    expect(signed.slice(0, -1)).toEqual(fields);
    const [name, signature] = signed[signed.length - 1] ?? ['', ''];
    expect(name).toBe(SIGNATURE_FIELD);
    expect(opensslVerifies(ipcSignedText(fields), signature)).toBe(true);
    expect(signature).toBe(opensslSigns(ipcSignedText(fields)));
    // The signer port (a KeyRing, as the client uses) signs the same.
    expect(await signIpcWith(fields, new KeyRing(new Map([['1', privateKey]]), '1'))).toEqual(signed);
  });

  it('verifies with verifyIpc and the certificate what openssl signed', async () => {
    const { publicKey, verifier } = await keys();
    const fields = purchase();
    const signed: IpcFields = [...fields, [SIGNATURE_FIELD, opensslSigns(ipcSignedText(fields))]];
    expect(await verifyIpc(signed, publicKey)).toBe(true);
    expect(await verifyIpcWith(signed, verifier)).toBe(true);
  });

  it('refuses a changed value, a changed order, a field added or removed, and another key', async () => {
    const { publicKey, verifier } = await keys();
    const fields = purchase();
    const signature = opensslSigns(ipcSignedText(fields));
    const withSignature = (list: IpcFields): IpcFields => [...list, [SIGNATURE_FIELD, signature]];
    const changed = fields.map(([name, value]): readonly [string, string] => (name === 'Amount' ? [name, '23.46'] : [name, value]));
    const swapped = [...fields];
    [swapped[1], swapped[2]] = [fields[2] as readonly [string, string], fields[1] as readonly [string, string]];
    const variants: IpcFields[] = [changed, swapped, fields.slice(1), [...fields, ['Extra', 'x']]];
    for (const variant of variants) {
      expect(opensslVerifies(ipcSignedText(variant), signature)).toBe(false);
      expect(await verifyIpc(withSignature(variant), publicKey)).toBe(false);
      expect(await verifyIpcWith(withSignature(variant), verifier)).toBe(false);
    }
    // The fixtures' certificate (another key) does not verify it; nor does a missing or empty Signature.
    const other = new CertificateVerifier(await importCertificatesPem(opensslFixtures.certPem));
    expect(await verifyIpcWith(withSignature(fields), other)).toBe(false);
    expect(await verifyIpc(fields, publicKey)).toBe(false);
    expect(await verifyIpc([...fields, [SIGNATURE_FIELD, '']], publicKey)).toBe(false);
    expect(await verifyIpcWith([...withSignature(fields), [SIGNATURE_FIELD, signature]], verifier)).toBe(false);
  });

  it('verifies with any of several certificates (myPOS rotates them)', async () => {
    const { verifier } = await keys();
    const both = new CertificateVerifier([...(await importCertificatesPem(opensslFixtures.certPem)), ...verifier.certificates]);
    const fields = purchase();
    expect(await verifyIpcWith([...fields, [SIGNATURE_FIELD, opensslSigns(ipcSignedText(fields))]], both)).toBe(true);
  });
});
