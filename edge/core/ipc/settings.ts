import { ConfigError, integer, type Env } from '../env-settings.js';
import { importCertificatesPem, importPrivateKeyPem } from '../mypos/keys.js';
import { CertificateVerifier, KeyRing } from '../mypos/signing.js';
import type { IpcMerchant } from './values.js';

// The Online Checkout settings, from environment variables (a Worker's bindings, Node's
// process.env; the Node adapter reads the *_FILE variants into the PEM variables before this).
// The channel is off when MYPOS_IPC_SID is unset. A bad value stops start-up with a message
// naming the variable and the rule; a key's content never appears in a message.
//
// Endpoints: the SDK's Config.php defaults to https://www.mypos.com/vmp/checkout (production);
// developers.mypos.com's test scenarios name https://www.mypos.com/vmp/checkout-test (the v1.4
// manual's older host was www.mypos.eu). SID, wallet and key index are numeric as Config.php
// `validate()` checks (the manual: WalletNumber N(11)). The keys: our private key (PKCS#8 or
// PKCS#1 PEM) signs, myPOS's certificate (X.509 or PKCS#7 PEM, possibly several) verifies.

export const IPC_ENDPOINTS = {
  test: 'https://www.mypos.com/vmp/checkout-test',
  production: 'https://www.mypos.com/vmp/checkout',
} as const;

const OTHER_VARIABLES = ['MYPOS_IPC_WALLET', 'MYPOS_IPC_KEY_INDEX', 'MYPOS_IPC_ENDPOINT', 'MYPOS_IPC_PRIVATE_KEY', 'MYPOS_IPC_CERT'] as const;

export interface IpcSettings {
  readonly merchant: IpcMerchant;
  /** The IPC URL the purchase form posts to and the status and refund calls go to. */
  readonly endpoint: string;
  /** Whether it is myPOS's test environment (the purchase page takes test cards only). */
  readonly environment: 'test' | 'production' | 'url';
  readonly privateKeyPem: string;
  readonly certificatePem: string;
}

function required(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new ConfigError(`${name} is required when MYPOS_IPC_SID is set (the online checkout channel is on)`);
  return value.trim();
}

function endpointOf(raw: string): Pick<IpcSettings, 'endpoint' | 'environment'> {
  if (raw === 'test' || raw === 'production') return { endpoint: IPC_ENDPOINTS[raw], environment: raw };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`MYPOS_IPC_ENDPOINT must be "test", "production" or a URL like https://www.mypos.com/vmp/checkout-test (got "${raw}")`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`MYPOS_IPC_ENDPOINT must be an http or https URL (got "${raw}")`);
  if (url.username || url.password || url.hash) throw new ConfigError('MYPOS_IPC_ENDPOINT must not carry a user name, a password or a #fragment');
  const known = Object.entries(IPC_ENDPOINTS).find(([, value]) => value === url.href.replace(/\/$/, ''));
  return known ? { endpoint: known[1], environment: known[0] as 'test' | 'production' } : { endpoint: url.href, environment: 'url' };
}

/** The settings, or undefined when MYPOS_IPC_SID is unset (the channel is off). */
export function ipcSettings(env: Env): IpcSettings | undefined {
  const sid = env.MYPOS_IPC_SID?.trim();
  if (sid === undefined || sid === '') {
    const stray = OTHER_VARIABLES.filter((name) => (env[name] ?? '') !== '');
    if (stray.length > 0) throw new ConfigError(`${stray.join(', ')} ${stray.length > 1 ? 'are' : 'is'} set but MYPOS_IPC_SID is not: set MYPOS_IPC_SID to turn the online checkout channel on, or unset ${stray.length > 1 ? 'them' : 'it'}`);
    return undefined;
  }
  if (!/^[0-9]{1,15}$/.test(sid)) throw new ConfigError(`MYPOS_IPC_SID must be the store id (SID): 1 to 15 digits, like 000000000000010 (got "${sid}")`);
  const wallet = required(env, 'MYPOS_IPC_WALLET');
  if (!/^[0-9]{11}$/.test(wallet)) throw new ConfigError(`MYPOS_IPC_WALLET must be the myPOS client (wallet) number: 11 digits (got "${wallet}")`);
  const keyIndex = required(env, 'MYPOS_IPC_KEY_INDEX');
  if (!/^[0-9]{1,4}$/.test(keyIndex)) throw new ConfigError(`MYPOS_IPC_KEY_INDEX must be the key index myPOS shows for our key: a whole number (got "${keyIndex}")`);
  const endpoint = endpointOf(required(env, 'MYPOS_IPC_ENDPOINT'));
  const privateKeyPem = required(env, 'MYPOS_IPC_PRIVATE_KEY');
  if (!privateKeyPem.includes('-----BEGIN')) throw new ConfigError('MYPOS_IPC_PRIVATE_KEY must be the PEM text of our private key ("-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----")');
  const certificatePem = required(env, 'MYPOS_IPC_CERT');
  if (!certificatePem.includes('-----BEGIN')) throw new ConfigError('MYPOS_IPC_CERT must be the PEM text of the myPOS certificate ("-----BEGIN CERTIFICATE-----" or "-----BEGIN PKCS7-----")');
  return { merchant: { sid, walletNumber: wallet, keyIndex }, ...endpoint, privateKeyPem, certificatePem };
}

/** MYPOS_IPC_LINK_TTL_MS (15 min: how long a link takes payments) and MYPOS_IPC_POLL_MS (10 s: IPCGetTxnStatus while it waits). */
export function onlineTimings(env: Env): { readonly linkTtlMs: number; readonly pollMs: number } {
  return { linkTtlMs: integer(env, 'MYPOS_IPC_LINK_TTL_MS', 15 * 60_000, 1_000), pollMs: integer(env, 'MYPOS_IPC_POLL_MS', 10_000, 10) };
}

/** The key and certificates read for use; a file that cannot be read stops start-up, named. */
export async function loadIpcKeys(settings: IpcSettings): Promise<{ readonly signer: KeyRing; readonly verifier: CertificateVerifier }> {
  let key: CryptoKey;
  try {
    key = await importPrivateKeyPem(settings.privateKeyPem);
  } catch (error) {
    throw new ConfigError(`MYPOS_IPC_PRIVATE_KEY cannot be used: ${error instanceof Error ? error.message : 'unreadable'}`);
  }
  let verifier: CertificateVerifier;
  try {
    verifier = new CertificateVerifier(await importCertificatesPem(settings.certificatePem));
  } catch (error) {
    throw new ConfigError(`MYPOS_IPC_CERT cannot be used: ${error instanceof Error ? error.message : 'unreadable'}`);
  }
  const keyIndex = settings.merchant.keyIndex;
  return { signer: new KeyRing(new Map([[keyIndex, key]]), keyIndex), verifier };
}
