import { X509Certificate, X509Certificates } from './x509.js';
import { PemError, readPemBlocks } from './pem.js';

// Key material for the signed SOAP calls. WebCrypto imports PKCS#8 only, so a PKCS#1
// ("BEGIN RSA PRIVATE KEY") key is wrapped into PKCS#8 here, once, at load.

export const SIGNATURE_ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

export async function importPrivateKeyPem(pem: string): Promise<CryptoKey> {
  const blocks = readPemBlocks(pem);
  const block = blocks.find((b) => b.label === 'PRIVATE KEY' || b.label === 'RSA PRIVATE KEY' || b.label === 'ENCRYPTED PRIVATE KEY');
  if (!block) throw new PemError('no private key found: expected a PEM "PRIVATE KEY" (PKCS#8) or "RSA PRIVATE KEY" (PKCS#1) block');
  if (block.label === 'ENCRYPTED PRIVATE KEY') throw new PemError('the private key is encrypted; give an unencrypted PKCS#8 or PKCS#1 PEM');
  const pkcs8 = block.label === 'RSA PRIVATE KEY' ? wrapPkcs1InPkcs8(block.der) : block.der;
  try {
    return await crypto.subtle.importKey('pkcs8', toArrayBuffer(pkcs8), SIGNATURE_ALGORITHM, false, ['sign']);
  } catch {
    throw new PemError('the private key could not be read as an RSA key');
  }
}

export interface CertificateInfo {
  readonly publicKey: CryptoKey;
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** Reads an X.509 PEM certificate, or every certificate of a PEM PKCS#7 bundle. */
export async function importCertificatesPem(pem: string): Promise<CertificateInfo[]> {
  const blocks = readPemBlocks(pem);
  const certificates: X509Certificate[] = [];
  for (const block of blocks) {
    if (block.label === 'CERTIFICATE') certificates.push(new X509Certificate(toArrayBuffer(block.der)));
    else if (block.label === 'PKCS7') certificates.push(...new X509Certificates(toArrayBuffer(block.der)));
  }
  if (certificates.length === 0) throw new PemError('no certificate found: expected a PEM "CERTIFICATE" or "PKCS7" block');
  return Promise.all(
    certificates.map(async (certificate) => ({
      publicKey: await certificate.publicKey.export(SIGNATURE_ALGORITHM, ['verify']),
      subject: certificate.subject,
      notBefore: certificate.notBefore,
      notAfter: certificate.notAfter,
    })),
  );
}

// PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier { rsaEncryption, NULL }, OCTET STRING pkcs1 }
const PKCS8_VERSION = [0x02, 0x01, 0x00];
const RSA_ALGORITHM_IDENTIFIER = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];

function wrapPkcs1InPkcs8(pkcs1: Uint8Array): Uint8Array {
  const octetString = [0x04, ...derLength(pkcs1.length)];
  const bodyLength = PKCS8_VERSION.length + RSA_ALGORITHM_IDENTIFIER.length + octetString.length + pkcs1.length;
  const head = [0x30, ...derLength(bodyLength), ...PKCS8_VERSION, ...RSA_ALGORITHM_IDENTIFIER, ...octetString];
  const out = new Uint8Array(head.length + pkcs1.length);
  out.set(head, 0);
  out.set(pkcs1, head.length);
  return out;
}

function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return [0x80 | bytes.length, ...bytes];
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
