import { verifyIpc, type IpcFields } from '../../core/ipc/signing.js';
import type { IpcSimSettings } from './settings.js';
import { htmlUnescape, IPC_STATUS, ipcError, type IpcError, type IpcForm } from './wire.js';

// What myPOS checks on every call before its own data (the handbook's IPCGetTxnLog shows the
// order: the method, the signature, then "Check if SID match to wallet number"): the standard
// properties are there, the signature verifies with the certificate of the KeyIndex, the SID and
// the wallet are the store's, and the version is one myPOS speaks.

/** The standard properties every request carries (IPCLanguage is optional: English by default). */
const STANDARD = ['IPCVersion', 'SID', 'WalletNumber', 'KeyIndex'] as const;

/** The first required field that is missing or empty. */
export function missingField(form: IpcForm, names: readonly string[]): IpcError | undefined {
  const missing = names.find((name) => form.text(name).trim() === '');
  return missing === undefined ? undefined : ipcError(IPC_STATUS.missingParams, `Missing required parameter: ${missing}`);
}

async function verifiedBy(fields: IpcFields, keys: readonly CryptoKey[]): Promise<boolean> {
  for (const key of keys) if (await verifyIpc(fields, key)) return true;
  return false;
}

/**
 * The signature with the KeyIndex's certificates, over the values as received; failing that over
 * the values html-unescaped (the SDK posts server-to-server calls html-escaped but signs them
 * unescaped; a browser posts the form's values already unescaped).
 */
export async function signatureVerifies(form: IpcForm, settings: IpcSimSettings): Promise<boolean> {
  const certificates = settings.partnerCertificates.get(form.text('KeyIndex').trim());
  if (!certificates || certificates.length === 0) return false;
  const keys = certificates.map((certificate) => certificate.publicKey);
  if (await verifiedBy(form.fields, keys)) return true;
  const unescaped = form.fields.map(([name, value]) => [name, htmlUnescape(value)] as const);
  return unescaped.some(([, value], index) => value !== form.fields[index]?.[1]) && verifiedBy(unescaped, keys);
}

/** Missing standard or method fields, the signature, the store; undefined when the caller may go on. */
export async function checkCaller(form: IpcForm, settings: IpcSimSettings, required: readonly string[]): Promise<IpcError | undefined> {
  const missing = missingField(form, [...STANDARD, ...required, 'Signature']);
  if (missing) return missing;
  if (!(await signatureVerifies(form, settings))) return ipcError(IPC_STATUS.signatureFailed, 'Signature check failed');
  if (form.text('SID') !== settings.sid) return ipcError(IPC_STATUS.invalidSid, 'Invalid SID');
  if (form.text('WalletNumber') !== settings.wallet) return ipcError(IPC_STATUS.invalidSid, 'SID does not match the wallet number');
  // The SDK's Config says 1.4.1, its samples 1.4.
  if (!/^1\.[0-4](\.[0-9]+)?$/.test(form.text('IPCVersion'))) return ipcError(IPC_STATUS.invalidParams, 'Unsupported IPCVersion (1.0 to 1.4.x)');
  return undefined;
}
