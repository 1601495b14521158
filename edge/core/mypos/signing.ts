import { base64ToBytes, bytesToBase64 } from './base64.js';
import { SIGNATURE_ALGORITHM, type CertificateInfo } from './keys.js';

// RSASSA-PKCS1-v1_5 with SHA-256 over the values joined by ";" (DECISIONS.md "Signatures").

const encoder = new TextEncoder();

export const SIGNED_VALUE_SEPARATOR = ';';

export function signedText(values: readonly string[]): string {
  return values.join(SIGNED_VALUE_SEPARATOR);
}

export interface RequestSigner {
  /** The key_index sent with every request: which of our keys signed it. */
  readonly keyIndex: string;
  sign(text: string): Promise<string>;
}

export interface SignatureVerifier {
  verify(text: string, signatureBase64: string): Promise<boolean>;
}

export async function signText(key: CryptoKey, text: string): Promise<string> {
  const signature = await crypto.subtle.sign(SIGNATURE_ALGORITHM, key, encoder.encode(text));
  return bytesToBase64(new Uint8Array(signature));
}

export async function verifyText(key: CryptoKey, text: string, signatureBase64: string): Promise<boolean> {
  const signature = base64ToBytes(signatureBase64);
  if (!signature) return false;
  return crypto.subtle.verify(SIGNATURE_ALGORITHM, key, signature as Uint8Array<ArrayBuffer>, encoder.encode(text));
}

/**
 * Our keys by key_index, for rotation: requests are signed with the active one; the others stay
 * loaded so that an index can be switched back without a restart.
 */
export class KeyRing implements RequestSigner {
  constructor(
    private readonly keys: ReadonlyMap<string, CryptoKey>,
    readonly keyIndex: string,
  ) {
    if (!keys.has(keyIndex)) throw new Error(`no private key is configured for key_index ${keyIndex}`);
  }

  get indexes(): string[] {
    return [...this.keys.keys()];
  }

  sign(text: string): Promise<string> {
    const key = this.keys.get(this.keyIndex);
    if (!key) throw new Error(`no private key is configured for key_index ${this.keyIndex}`);
    return signText(key, text);
  }
}

/** The peer's certificates: a signature is good when any of them verifies it (they rotate too). */
export class CertificateVerifier implements SignatureVerifier {
  constructor(readonly certificates: readonly CertificateInfo[]) {
    if (certificates.length === 0) throw new Error('at least one certificate is needed to verify signatures');
  }

  async verify(text: string, signatureBase64: string): Promise<boolean> {
    for (const certificate of this.certificates) {
      if (await verifyText(certificate.publicKey, text, signatureBase64)) return true;
    }
    return false;
  }
}
