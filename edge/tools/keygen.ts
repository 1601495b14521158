import { PemConverter, X509CertificateGenerator } from '../core/mypos/x509.js';
import { SIGNATURE_ALGORITHM } from '../core/mypos/keys.js';

// An RSA-2048 key pair and a self-signed certificate, as the certificate exchange checklist of
// the myPOS reference asks: the partner sends the certificate, keeps the key.

export interface GeneratedKeys {
  /** PKCS#8 PEM. */
  readonly privateKeyPem: string;
  /** X.509 PEM. */
  readonly certificatePem: string;
  readonly notAfter: Date;
}

export async function generateKeyAndCertificate(commonName: string, validDays = 365): Promise<GeneratedKeys> {
  const keys = await crypto.subtle.generateKey(
    { ...SIGNATURE_ALGORITHM, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  );
  const notBefore = new Date();
  const notAfter = new Date(notBefore.getTime() + validDays * 86_400_000);
  const serial = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  const certificate = await X509CertificateGenerator.createSelfSigned({
    serialNumber: `01${serial}`,
    name: `CN=${commonName.replace(/[,=+<>#;"\\]/g, ' ')}`,
    notBefore,
    notAfter,
    keys,
    signingAlgorithm: SIGNATURE_ALGORITHM,
  });
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    privateKeyPem: PemConverter.encode(pkcs8, 'PRIVATE KEY'),
    certificatePem: certificate.toString('pem'),
    notAfter,
  };
}
