import { bytesToBase64 } from '../mypos/base64.js';
import { signText, verifyText, type SignatureVerifier } from '../mypos/signing.js';

// Online Checkout (IPC v1.4) signatures, as the official SDK makes them
// (developermypos/myPOS-Checkout-SDK-PHP, IPC/Base.php `_createSignature` and Response.php
// `verifySignature`): the values of every field but `Signature`, in the order they are sent,
// joined with "-", then base64 (of their UTF-8 bytes); that text is signed with RSA-SHA256
// (RSASSA-PKCS1-v1_5) and the signature sent base64 in `Signature`. The same key pair and
// certificate kinds as the Remote API (mypos/keys.ts); only the signed text differs.
//
// Checked against the SDK (Base.php, Response.php, Helper.php): `_createSignature` runs before
// `Signature` is added, over Helper::unescape of each value (HTML entities decoded: the form the
// browser posts and the SDK signs are the raw values, which is what is signed here); an empty value
// still counts (so "a--b"); Response.php drops only a top-level "signature" key (any case) and
// flattens nested arrays in order, a nested Signature included (ipc/answers.ts flattens the same
// way before calling these). PKCS#1 v1.5 is deterministic, so openssl's signature of the same text
// equals ours byte for byte (tests/edge/ipc/signing.test.ts).

const encoder = new TextEncoder();

/** A form's fields in the order they are sent (the order is part of what is signed). */
export type IpcFields = readonly (readonly [name: string, value: string])[];

export const SIGNATURE_FIELD = 'Signature';

/** The text the SDK signs: base64 of the values (Signature left out) joined with "-". */
export function ipcSignedText(fields: IpcFields): string {
  return bytesToBase64(encoder.encode(fields.filter(([name]) => name !== SIGNATURE_FIELD).map(([, value]) => value).join('-')));
}

/** The fields with their Signature appended (signed with our private key). */
export async function signIpc(fields: IpcFields, key: CryptoKey): Promise<IpcFields> {
  const unsigned = fields.filter(([name]) => name !== SIGNATURE_FIELD);
  return [...unsigned, [SIGNATURE_FIELD, await signText(key, ipcSignedText(unsigned))]];
}

/** Whether the fields (as received, in order) carry a Signature the peer's key made. */
export async function verifyIpc(fields: IpcFields, key: CryptoKey): Promise<boolean> {
  const signature = fields.find(([name]) => name === SIGNATURE_FIELD)?.[1];
  if (signature === undefined || signature === '') return false;
  return verifyText(key, ipcSignedText(fields), signature);
}

/** A signer port (mypos/signing.ts KeyRing is one): signs a text, answers base64. */
export interface IpcTextSigner {
  sign(text: string): Promise<string>;
}

/** signIpc through a signer port instead of a bare key. */
export async function signIpcWith(fields: IpcFields, signer: IpcTextSigner): Promise<IpcFields> {
  const unsigned = fields.filter(([name]) => name !== SIGNATURE_FIELD);
  return [...unsigned, [SIGNATURE_FIELD, await signer.sign(ipcSignedText(unsigned))]];
}

/**
 * verifyIpc with myPOS's certificates (mypos/signing.ts CertificateVerifier: good when any of them
 * verifies, as they rotate). Exactly one Signature field is expected.
 */
export async function verifyIpcWith(fields: IpcFields, verifier: SignatureVerifier): Promise<boolean> {
  const signatures = fields.filter(([name]) => name === SIGNATURE_FIELD);
  const signature = signatures[0]?.[1];
  if (signatures.length !== 1 || signature === undefined || signature === '') return false;
  return verifier.verify(ipcSignedText(fields), signature);
}
