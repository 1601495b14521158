// @peculiar/x509 needs its Reflect metadata polyfill loaded first (as in core/mypos/x509.ts).
import '@abraham/reflection';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  PemConverter,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509Certificate,
  X509CertificateGenerator,
} from '@peculiar/x509';
import { createHash, createPrivateKey, X509Certificate as NodeX509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import QRCode from 'qrcode';

// `npm run tls:local`: a small local CA (kept between runs) and a server certificate it signs for
// this machine's names and LAN addresses, so the tablets reach the till over HTTPS (README
// "Shop network"). ECDSA P-256 with SHA-256 throughout, made with WebCrypto.

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
/** Apple refuses TLS server certificates valid for longer than 825 days, even under a CA the user trusts. */
export const SERVER_DAYS_MAX = 825;
export const CA_YEARS = 10;
const DAY_MS = 86_400_000;

export interface PemPair {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface ServerCertificate extends PemPair {
  /** Hexadecimal, as Node's X509Certificate and tls report it. */
  readonly serialNumber: string;
  readonly notAfter: Date;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
}

function randomSerial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x10; // positive, and no leading zero byte to be trimmed
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Keeps a name safe inside a distinguished name. */
function dnValue(text: string): string {
  return text.replace(/[,=+<>#;"\\]/g, ' ').trim();
}

function newKeys() {
  return crypto.subtle.generateKey(EC, true, ['sign', 'verify']);
}

async function keyPem(key: CryptoKey): Promise<string> {
  return PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** The CA's key back from its PEM (ECDSA P-256 as made here, or RSA when someone brought one). */
async function importSigningKey(pem: string): Promise<{ key: CryptoKey; algorithm: { name: string; hash: string } }> {
  const nodeKey = createPrivateKey(pem);
  const der = new Uint8Array(nodeKey.export({ type: 'pkcs8', format: 'der' }));
  if (nodeKey.asymmetricKeyType === 'ec') {
    const curve = nodeKey.asymmetricKeyDetails?.namedCurve;
    const namedCurve = curve === 'prime256v1' || curve === 'P-256' ? 'P-256' : curve === 'secp384r1' || curve === 'P-384' ? 'P-384' : undefined;
    if (!namedCurve) throw new Error(`the CA key's curve ${curve ?? '?'} is not supported (P-256 or P-384)`);
    return { key: await crypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve }, false, ['sign']), algorithm: SIGNING };
  }
  if (nodeKey.asymmetricKeyType === 'rsa') {
    const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    return { key: await crypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign']), algorithm };
  }
  throw new Error(`the CA key is ${nodeKey.asymmetricKeyType ?? 'of an unknown type'} (ECDSA or RSA needed)`);
}

/** A CA for this shop's tablets: may sign server certificates only (path length 0). */
export async function createLocalCa(options: { commonName?: string; now?: Date; years?: number } = {}): Promise<PemPair> {
  const now = options.now ?? new Date();
  const notBefore = new Date(now.getTime() - 3_600_000);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + (options.years ?? CA_YEARS));
  const keys = await newKeys();
  const name = `CN=${dnValue(options.commonName ?? `myPOS till local CA (${hostname()})`)}, O=myPOS till`;
  const certificate = await X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name,
    notBefore,
    notAfter,
    keys,
    signingAlgorithm: SIGNING,
    extensions: [
      new BasicConstraintsExtension(true, 0, true),
      new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
      await SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: certificate.toString('pem'), keyPem: await keyPem(keys.privateKey) };
}

/** A server certificate for these names and addresses, signed by the CA; at most 825 days. */
export async function issueServerCertificate(
  ca: PemPair,
  options: { dnsNames: readonly string[]; ipAddresses: readonly string[]; now?: Date; days?: number },
): Promise<ServerCertificate> {
  const days = options.days ?? SERVER_DAYS_MAX;
  if (!Number.isInteger(days) || days < 1 || days > SERVER_DAYS_MAX) throw new Error(`a server certificate is valid 1 to ${SERVER_DAYS_MAX} days (got ${days})`);
  const dnsNames = [...new Set(options.dnsNames.map((n) => n.toLowerCase()))];
  const ipAddresses = [...new Set(options.ipAddresses)];
  if (dnsNames.length + ipAddresses.length === 0) throw new Error('a server certificate needs at least one name or address');
  const caCertificate = new X509Certificate(ca.certPem);
  const signer = await importSigningKey(ca.keyPem);
  const now = options.now ?? new Date();
  const notBefore = new Date(now.getTime() - 3_600_000);
  // The whole validity (notBefore to notAfter) stays within the limit.
  const notAfter = new Date(notBefore.getTime() + days * DAY_MS - 60_000);
  if (notAfter > caCertificate.notAfter) throw new Error(`the CA expires on ${caCertificate.notAfter.toISOString().slice(0, 10)}, before this certificate would: make a new CA (--force)`);
  const keys = await newKeys();
  const serialNumber = randomSerial();
  const certificate = await X509CertificateGenerator.create({
    serialNumber,
    subject: `CN=${dnValue(dnsNames[0] ?? ipAddresses[0] ?? 'till')}`,
    issuer: caCertificate.subject,
    notBefore,
    notAfter,
    publicKey: keys.publicKey,
    signingKey: signer.key,
    signingAlgorithm: signer.algorithm,
    extensions: [
      new BasicConstraintsExtension(false, undefined, true),
      new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
      new ExtendedKeyUsageExtension([ExtendedKeyUsage.serverAuth], false),
      new SubjectAlternativeNameExtension([...dnsNames.map((value) => ({ type: 'dns' as const, value })), ...ipAddresses.map((value) => ({ type: 'ip' as const, value }))], false),
      await SubjectKeyIdentifierExtension.create(keys.publicKey),
      await AuthorityKeyIdentifierExtension.create(caCertificate.publicKey),
    ],
  });
  const certPem = certificate.toString('pem');
  return { certPem, keyPem: await keyPem(keys.privateKey), serialNumber: new NodeX509Certificate(certPem).serialNumber, notAfter, dnsNames, ipAddresses };
}

/** This machine: its host name, that name under .local (mDNS), localhost; its non-internal addresses and 127.0.0.1. */
export function machineNames(): { dnsNames: string[]; ipAddresses: string[] } {
  const host = hostname().toLowerCase();
  const dnsNames = ['localhost'];
  if (isDnsName(host)) dnsNames.unshift(host, ...(host.includes('.') ? [] : [`${host}.local`]));
  const ipAddresses = ['127.0.0.1'];
  for (const address of Object.values(networkInterfaces()).flatMap((list) => list ?? [])) {
    if (!address.internal) ipAddresses.push(address.address);
  }
  return { dnsNames, ipAddresses: [...new Set(ipAddresses)] };
}

export function isDnsName(name: string): boolean {
  return name.length <= 253 && /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$/i.test(name) && isIP(name) === 0;
}

/** base64(SHA-256(SubjectPublicKeyInfo)): Chromium's --ignore-certificate-errors-spki-list, HPKP-style pins. */
export function spkiSha256(certPem: string): string {
  const spki = new NodeX509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/** Writes through a temporary file and a rename: a reader (the edge's reload) never sees half a file. */
function writeAtomic(path: string, content: string, mode: number): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode });
  chmodSync(temporary, mode);
  renameSync(temporary, path);
}

export interface TlsLocalOptions {
  readonly out: string;
  readonly names: readonly string[];
  readonly ips: readonly string[];
  readonly port: number;
  readonly force: boolean;
  readonly days: number;
}

export interface TlsLocalResult {
  readonly caFile: string;
  readonly caKeyFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly caCreated: boolean;
  readonly server: ServerCertificate;
  readonly caFingerprint: string;
  readonly publicUrl: string;
  readonly downloadUrl: string;
}

/** Makes (or keeps) the CA in `out` and a new server certificate beside it. */
export async function makeLocalTls(options: TlsLocalOptions): Promise<TlsLocalResult> {
  const out = resolve(options.out);
  mkdirSync(out, { recursive: true, mode: 0o700 });
  chmodSync(out, 0o700);
  const caFile = join(out, 'ca.crt');
  const caKeyFile = join(out, 'ca.key');
  const certFile = join(out, 'server.crt');
  const keyFile = join(out, 'server.key');
  const hasCert = existsSync(caFile);
  const hasKey = existsSync(caKeyFile);
  let ca: PemPair;
  let caCreated = false;
  if (hasCert && hasKey && !options.force) {
    ca = { certPem: readFileSync(caFile, 'utf8'), keyPem: readFileSync(caKeyFile, 'utf8') };
    const existing = new NodeX509Certificate(ca.certPem);
    if (!existing.checkPrivateKey(createPrivateKey(ca.keyPem))) throw new Error(`${caFile} and ${caKeyFile} do not belong together: fix them, or make a new CA with --force (every tablet must then trust the new one)`);
  } else {
    if ((hasCert || hasKey) && !options.force) {
      throw new Error(`${hasCert ? caKeyFile : caFile} is missing while ${hasCert ? caFile : caKeyFile} is there: restore it, or make a new CA with --force (every tablet must then trust the new one)`);
    }
    ca = await createLocalCa();
    writeAtomic(caKeyFile, ca.keyPem, 0o600);
    writeAtomic(caFile, ca.certPem, 0o644);
    caCreated = true;
  }
  const machine = machineNames();
  const server = await issueServerCertificate(ca, {
    dnsNames: [...options.names, ...machine.dnsNames],
    ipAddresses: [...options.ips, ...machine.ipAddresses],
    days: options.days,
  });
  // The key first: the edge reloads on the certificate's change as well, and a pair that does not
  // match yet is tried again on its next check.
  writeAtomic(keyFile, server.keyPem, 0o600);
  writeAtomic(certFile, server.certPem, 0o644);
  const host = options.names[0] ?? server.dnsNames.find((n) => n.endsWith('.local')) ?? server.dnsNames[0] ?? '127.0.0.1';
  const publicUrl = `https://${host}:${options.port}`;
  // The download works before the tablet resolves any name: a LAN address, when there is one.
  const lanV4 = server.ipAddresses.find((ip) => isIP(ip) === 4 && !ip.startsWith('127.'));
  const downloadUrl = `${lanV4 ? `https://${lanV4}:${options.port}` : publicUrl}/tls/ca.crt`;
  const caFingerprint = new NodeX509Certificate(ca.certPem).fingerprint256;
  return { caFile, caKeyFile, certFile, keyFile, caCreated, server, caFingerprint, publicUrl, downloadUrl };
}

const USAGE = `npm run tls:local [-- --out DIR] [--name NAME ...] [--ip ADDRESS ...] [--port N] [--days N] [--force]

  --out DIR      where the CA and the server certificate go (default: $EDGE_DATA_DIR/tls, else data/tls)
  --name NAME    a name the tablets use for the till, e.g. till.shop.lan (repeat, or comma-separated);
                 the first one builds EDGE_PUBLIC_URL. The machine's host name, host name.local and
                 localhost are always added, as are its LAN addresses and 127.0.0.1.
  --ip ADDRESS   another address to cover (repeat, or comma-separated)
  --port N       the edge's port, for the printed URLs (default: $PORT, else 8787)
  --days N       the server certificate's validity, at most ${SERVER_DAYS_MAX} (default)
  --force        make a new CA even when one exists (every tablet must then trust the new one)`;

export function parseTlsLocalArgs(args: readonly string[], env: Readonly<Record<string, string | undefined>>): TlsLocalOptions | 'help' {
  const names: string[] = [];
  const ips: string[] = [];
  let out = join(env.EDGE_DATA_DIR ?? 'data', 'tls');
  let port = Number(env.PORT ?? '8787');
  let days = SERVER_DAYS_MAX;
  let force = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? args[++i];
      if (next === undefined || next === '') throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--help' || flag === '-h') return 'help';
    else if (flag === '--force') force = true;
    else if (flag === '--out') out = value();
    else if (flag === '--port') port = Number(value());
    else if (flag === '--days') days = Number(value());
    else if (flag === '--name') {
      for (const name of value().split(',').map((n) => n.trim().toLowerCase()).filter(Boolean)) {
        if (isIP(name) !== 0) ips.push(name);
        else if (isDnsName(name)) names.push(name);
        else throw new Error(`--name ${name}: not a host name (letters, digits, hyphens and dots)`);
      }
    } else if (flag === '--ip') {
      for (const ip of value().split(',').map((n) => n.trim()).filter(Boolean)) {
        if (isIP(ip) === 0) throw new Error(`--ip ${ip}: not an IPv4 or IPv6 address`);
        ips.push(ip);
      }
    } else throw new Error(`unknown option ${arg}\n\n${USAGE}`);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error('--port must be a port number (1-65535)');
  if (!Number.isInteger(days) || days < 1 || days > SERVER_DAYS_MAX) throw new Error(`--days must be 1 to ${SERVER_DAYS_MAX} (Apple's limit)`);
  return { out, names, ips, port, force, days };
}

/** Per platform, how a tablet (or a till PC) trusts the CA once. */
export const TRUST_STEPS = `Trust the CA on each tablet, once (check the fingerprint above where the device shows it):
  Android      Open the link in Chrome; at the warning tap Advanced, then Proceed; the file downloads.
               Settings > Security and privacy > More security settings > Encryption and credentials >
               Install a certificate > CA certificate > Install anyway, pick till-local-ca.crt.
               (Names vary by maker: search Settings for "CA certificate".) Chrome then trusts it.
  iPadOS/iOS   Open the link in Safari; at the warning tap Show Details, then visit this website;
               Allow the profile download. Settings > Profile Downloaded (or General > VPN & Device
               Management) > Install. Then Settings > General > About > Certificate Trust Settings:
               turn on full trust for the CA.
  Windows      Open the link, keep the file, double-click it > Install Certificate > Local Machine >
               Place all certificates in: Trusted Root Certification Authorities > Finish
               (or as administrator: certutil -addstore -f Root till-local-ca.crt). Restart the browser.
  macOS        Open the link, double-click the file: Keychain Access adds it. Open the certificate,
               Trust > When using this certificate: Always Trust (or: sudo security add-trusted-cert
               -d -r trustRoot -k /Library/Keychains/System.keychain till-local-ca.crt).
  ChromeOS     Open the link, keep the file. Settings > Privacy and security > Security > Manage
               certificates > Authorities > Import, pick the file, tick "Trust this certificate for
               identifying websites". (Managed Chromebooks: the admin console pushes it.)`;

export async function runTlsLocal(args: readonly string[], env: Readonly<Record<string, string | undefined>>, print: (text: string) => void): Promise<TlsLocalResult | undefined> {
  const options = parseTlsLocalArgs(args, env);
  if (options === 'help') {
    print(USAGE);
    return undefined;
  }
  const result = await makeLocalTls(options);
  const qr = await QRCode.toString(result.downloadUrl, { type: 'terminal', small: true });
  const lines = [
    result.caCreated
      ? `A new local CA: ${result.caFile} (its key ${result.caKeyFile}, mode 600: keep it on this machine, never on a tablet).${options.force ? ' Every tablet must trust this new CA.' : ''}`
      : `The local CA is kept: ${result.caFile} (tablets that trust it need nothing new).`,
    `A new server certificate: ${result.certFile} (key ${result.keyFile}, mode 600), valid until ${result.server.notAfter.toISOString().slice(0, 10)}.`,
    `  names:     ${result.server.dnsNames.join(', ')}`,
    `  addresses: ${result.server.ipAddresses.join(', ')}`,
    `Run this again before then, or when the machine's names or addresses change: a running edge picks up the new certificate within seconds.`,
    '',
    'Set these for the edge (its service file, or the shell that runs npm start):',
    '  EDGE_HOST=0.0.0.0',
    `  PORT=${options.port}`,
    `  EDGE_TLS_CERT_FILE=${result.certFile}`,
    `  EDGE_TLS_KEY_FILE=${result.keyFile}`,
    `  EDGE_TLS_CA_FILE=${result.caFile}`,
    `  EDGE_PUBLIC_URL=${result.publicUrl}`,
    ...(options.names.length === 0
      ? [`  (no --name given: EDGE_PUBLIC_URL uses ${new URL(result.publicUrl).hostname}; a name your router's DNS gives this machine is better)`]
      : [`  (the tablets must find ${new URL(result.publicUrl).hostname}: give this machine that name in the router's DNS, with a fixed address)`]),
    '',
    `CA fingerprint (SHA-256): ${result.caFingerprint}`,
    `With the edge started so, each tablet downloads the CA from ${result.downloadUrl}`,
    qr,
    TRUST_STEPS,
  ];
  print(lines.join('\n'));
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runTlsLocal(process.argv.slice(2), process.env, (text) => console.log(text)).catch((error: unknown) => {
    console.error(`tls:local: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
