import { MyposClient } from './client.js';
import { MyposGateway, type GatewayOptions } from './gateway.js';
import { importCertificatesPem, importPrivateKeyPem, type CertificateInfo } from './keys.js';
import type { FieldOrder } from './methods.js';
import { CertificateVerifier, KeyRing } from './signing.js';
import type { MyposTransport } from './transport.js';

export const MYPOS_ENDPOINTS = {
  production: 'https://crr-api.mypos.com/infromhttp',
  test: 'https://demotest-crrservice.mypos.com/infromhttp',
} as const;

export interface MyposSettings {
  readonly endpoint: string;
  readonly login: string;
  /** "3.0" for every method (DECISIONS.md); configurable because one page shows "1.0". */
  readonly version: string;
  readonly fieldOrder: FieldOrder;
  /** The key_index to sign with, and every configured private key by its index. */
  readonly keyIndex: string;
  readonly privateKeysPem: Readonly<Record<string, string>>;
  /** myPOS's certificate: X.509 PEM or a PEM PKCS#7 bundle. */
  readonly myposCertificatePem: string;
}

export interface LoadedMypos {
  readonly gateway: MyposGateway;
  readonly client: MyposClient;
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

export async function loadMypos(settings: MyposSettings, transport: MyposTransport, options: GatewayOptions = {}): Promise<LoadedMypos> {
  const keys = new Map<string, CryptoKey>();
  for (const [index, pem] of Object.entries(settings.privateKeysPem)) keys.set(index, await importPrivateKeyPem(pem));
  const myposCertificates = await importCertificatesPem(settings.myposCertificatePem);
  const client = new MyposClient({
    endpoint: checkEndpoint(settings.endpoint),
    login: settings.login,
    version: settings.version,
    fieldOrder: settings.fieldOrder,
    signer: new KeyRing(keys, settings.keyIndex),
    verifier: new CertificateVerifier(myposCertificates),
    transport,
  });
  return { gateway: new MyposGateway(client, options), client, myposCertificates };
}
