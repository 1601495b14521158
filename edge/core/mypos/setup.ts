import { MyposClient } from './client.js';
import { MyposGateway, type GatewayOptions } from './gateway.js';
import { importCertificatesPem, importPrivateKeyPem, type CertificateInfo } from './keys.js';
import { resolveProfile, wsdlDifferences, type LearnedProfile, type ProfileOverrides, type ResolvedProfile } from './profile-sources.js';
import type { ProtocolProfile } from './profile.js';
import { CertificateVerifier, KeyRing } from './signing.js';
import type { MyposTransport } from './transport.js';
import { readWsdl, type WsdlResult } from './wsdl.js';
import type { Logger } from '../ports.js';

export const MYPOS_ENDPOINTS = {
  production: 'https://crr-api.mypos.com/infromhttp',
  test: 'https://demotest-crrservice.mypos.com/infromhttp',
} as const;

export interface MyposSettings {
  readonly endpoint: string;
  readonly login: string;
  /** Protocol parts the operator set by hand (MYPOS_VERSION, MYPOS_SIGNING_ORDER, …). */
  readonly overrides: ProfileOverrides;
  /** The key_index to sign with, and every configured private key by its index. */
  readonly keyIndex: string;
  readonly privateKeysPem: Readonly<Record<string, string>>;
  /** myPOS's certificate: X.509 PEM or a PEM PKCS#7 bundle. */
  readonly myposCertificatePem: string;
}

export interface LoadedMypos {
  readonly gateway: MyposGateway;
  readonly client: MyposClient;
  readonly signer: KeyRing;
  readonly verifier: CertificateVerifier;
  readonly myposCertificates: readonly CertificateInfo[];
}

/** Plain HTTP is allowed only to this machine (the simulator); myPOS itself is HTTPS only. */
export function checkEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error('MYPOS_ENDPOINT is not a URL');
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol === 'https:' || (url.protocol === 'http:' && local)) return url.toString();
  throw new Error('MYPOS_ENDPOINT must use https (plain http is allowed only for localhost)');
}

export async function loadMypos(
  settings: MyposSettings,
  transport: MyposTransport,
  options: GatewayOptions = {},
  profile: ProtocolProfile = resolveProfile({ overrides: settings.overrides }).profile,
): Promise<LoadedMypos> {
  const keys = new Map<string, CryptoKey>();
  for (const [index, pem] of Object.entries(settings.privateKeysPem)) keys.set(index, await importPrivateKeyPem(pem));
  const myposCertificates = await importCertificatesPem(settings.myposCertificatePem);
  const signer = new KeyRing(keys, settings.keyIndex);
  const verifier = new CertificateVerifier(myposCertificates);
  const client = new MyposClient({ endpoint: checkEndpoint(settings.endpoint), login: settings.login, profile, signer, verifier, transport });
  return { gateway: new MyposGateway(client, options), client, signer, verifier, myposCertificates };
}

export interface StartProfile extends ResolvedProfile {
  readonly wsdl: WsdlResult;
}

/**
 * The profile the edge starts with: the WSDL read (a few seconds at most; unreachable, it never
 * stops start-up), over the environment, over what the doctor learned, over the documents. A
 * difference between the WSDL and the profile it replaces is logged once.
 */
export async function startProfile(settings: MyposSettings, learned: LearnedProfile | undefined, logger: Logger, fetchImpl: typeof fetch = fetch, timeoutMs = 5_000): Promise<StartProfile> {
  const wsdl = await readWsdl(settings.endpoint, fetchImpl, timeoutMs);
  const without = resolveProfile({ learned, overrides: settings.overrides });
  if (!wsdl.ok) {
    logger.warn('myPOS WSDL not read; using the stored or default protocol profile', { reason: wsdl.reason, sources: JSON.stringify(without.sources) });
    return { ...without, wsdl };
  }
  const differences = wsdlDifferences(without.profile, wsdl.wsdl);
  if (differences.length > 0) logger.warn('myPOS WSDL differs from the built-in protocol table; the WSDL is used', { differences: differences.join('; ') });
  return { ...resolveProfile({ learned, overrides: settings.overrides, wsdl: wsdl.wsdl }), wsdl };
}
