import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_AMOUNT_CAP_CENTS, type Cents } from '../../../shared/money.js';
import { adminToken, amountSetting, ConfigError, gatewayTimings, integer, machineTimings, myposLogin, profileOverrides, shopSettings, type Env, type ShopSettings } from '../../core/env-settings.js';
import type { GatewayTimings } from '../../core/mypos/gateway.js';
import { MYPOS_ENDPOINTS, type MyposSettings } from '../../core/mypos/setup.js';
import type { MachineTimings } from '../../core/payments/machine.js';
import { terminalWatchTimings, type TerminalWatchTimings } from '../../core/terminals.js';

export { ConfigError, type Env };
import type { ReceiptMode, ReceiptOptions } from '../../core/lan/iqom-xml.js';
import { isLoopback, type TlsFiles } from './tls.js';

// The edge's configuration from the environment (README "Configuration"). A bad value stops
// start-up with a message naming the variable; key contents never appear in a message.

export interface EdgeConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly webDir: string;
  /** Live myPOS settings; undefined in demo mode (the built-in simulator). */
  readonly live: MyposSettings | undefined;
  readonly partnerCertFile: string | undefined;
  readonly gateway: GatewayTimings;
  readonly connectTimeoutMs: number;
  readonly machine: MachineTimings;
  /** TERMINAL_CODE_POLL_MS, TERMINAL_CODE_WAIT_MS: the check for a typed subscription code. */
  readonly terminalWatch: TerminalWatchTimings;
  readonly capCents: Cents;
  readonly ssePingMs: number;
  /** EDGE_ADMIN_TOKEN; in demo mode made and kept in the data folder when unset. */
  readonly adminToken: string | undefined;
  readonly shop: ShopSettings;
  readonly deviceRateLimit: number;
  /** LAN terminals (iqom Payment Interface): EDGE_LAN_TERMINALS="TID=host:port[:CUR],...". */
  readonly lan: LanConfig;
  /** EDGE_TLS_CERT_FILE, EDGE_TLS_KEY_FILE: the edge serves HTTPS (README "Shop network"). */
  readonly tls: TlsFiles | undefined;
  /** EDGE_TLS_RELOAD_MS: how often the two files are checked for a renewed certificate. */
  readonly tlsReloadMs: number;
  /** EDGE_TLS_CA_FILE: the local CA's certificate, offered at /tls/ca.crt. */
  readonly tlsCaFile: string | undefined;
  /** EDGE_BEHIND_PROXY=1: on loopback behind a TLS reverse proxy, trusting its X-Forwarded-Proto. */
  readonly behindProxy: boolean;
  /** EDGE_PUBLIC_URL: the origin tablets use (pairing links), never taken from a Host header. */
  readonly publicUrl: string | undefined;
}

export interface LanTerminalConfig {
  readonly tid: string;
  readonly address: string;
  readonly currency: string;
}

export interface LanConfig {
  readonly terminals: readonly LanTerminalConfig[];
  readonly connectTimeoutMs: number;
  readonly responseTimeoutMs: number;
  readonly receipts: ReceiptOptions;
}

const RECEIPT_MODES: readonly ReceiptMode[] = ['ON', 'OFF', 'AFTER_CONFIRMATION'];

function receiptMode(env: Env, name: string, fallback: ReceiptMode): ReceiptMode {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(RECEIPT_MODES as readonly string[]).includes(raw)) throw new ConfigError(`${name} must be ON, OFF or AFTER_CONFIRMATION (got "${raw}")`);
  return raw as ReceiptMode;
}

function lanTerminals(raw: string | undefined): LanTerminalConfig[] {
  if (!raw) return [];
  return raw.split(',').map((item) => {
    const match = /^([A-Za-z0-9]{8})=([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):([0-9]{1,5})(?::([A-Z]{3}))?$/.exec(item.trim());
    if (!match) throw new ConfigError(`EDGE_LAN_TERMINALS: "${item.trim()}" must be TID=host:port or TID=host:port:CUR (TID of 8 letters or digits)`);
    return { tid: match[1] ?? '', address: `${match[2] ?? ''}:${match[3] ?? ''}`, currency: match[4] ?? 'EUR' };
  });
}

async function readSecretFile(name: string, path: string): Promise<string> {
  try {
    return await readFile(resolve(path), 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable';
    throw new ConfigError(`${name}: cannot read ${path} (${code})`);
  }
}

async function liveSettings(env: Env, endpointSetting: string): Promise<MyposSettings> {
  const endpoint = endpointSetting === 'test' || endpointSetting === 'production' ? MYPOS_ENDPOINTS[endpointSetting] : endpointSetting;
  const login = myposLogin(env.MYPOS_LOGIN);
  const keySpec = env.MYPOS_PRIVATE_KEY_FILE;
  if (!keySpec) throw new ConfigError('MYPOS_PRIVATE_KEY_FILE is required when MYPOS_ENDPOINT is set');
  const certFile = env.MYPOS_CERT_FILE;
  if (!certFile) throw new ConfigError('MYPOS_CERT_FILE (the myPOS certificate) is required when MYPOS_ENDPOINT is set');
  const privateKeysPem: Record<string, string> = {};
  for (const item of keySpec.split(',')) {
    const [index, path] = item.includes('=') ? item.split('=', 2) : [env.MYPOS_KEY_INDEX ?? '1', item];
    privateKeysPem[String(index).trim()] = await readSecretFile('MYPOS_PRIVATE_KEY_FILE', String(path).trim());
  }
  const keyIndex = env.MYPOS_KEY_INDEX ?? '1';
  if (!/^[0-9]+$/.test(keyIndex)) throw new ConfigError('MYPOS_KEY_INDEX must be a whole number');
  if (!(keyIndex in privateKeysPem)) throw new ConfigError(`MYPOS_KEY_INDEX ${keyIndex} has no key in MYPOS_PRIVATE_KEY_FILE`);
  return {
    endpoint,
    login,
    overrides: profileOverrides(env),
    keyIndex,
    privateKeysPem,
    myposCertificatePem: await readSecretFile('MYPOS_CERT_FILE', certFile),
  };
}

function flag(env: Env, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new ConfigError(`${name} must be 1 or 0 (got "${raw}")`);
}

function publicUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`EDGE_PUBLIC_URL must be a URL like https://till.shop.lan:8787 (got "${raw}")`);
  }
  if (url.protocol !== 'https:') throw new ConfigError(`EDGE_PUBLIC_URL must be an https URL: tablets need a secure context (got "${raw}"); see README "Shop network"`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`EDGE_PUBLIC_URL is an origin only, like https://till.shop.lan:8787, without a path (got "${raw}")`);
  }
  return url.origin;
}

const SHOP_NETWORK_WAYS =
  'Serve HTTPS: set EDGE_TLS_CERT_FILE and EDGE_TLS_KEY_FILE to a certificate for a name you own (any ACME client with a DNS challenge), ' +
  'or to one from a local CA (`npm run tls:local` makes it); or keep EDGE_HOST=127.0.0.1 behind a TLS reverse proxy with EDGE_BEHIND_PROXY=1. ' +
  'See README "Shop network".';

/**
 * Where the edge listens and how tablets reach it. Plain HTTP only on loopback: on a LAN address
 * a tablet gets no secure context (no service worker, so no offline start; no Web Locks, the
 * outbox's one-sender rule; no Secure device cookie, so pairing fails).
 */
export function networkSettings(env: Env): Pick<EdgeConfig, 'host' | 'tls' | 'tlsReloadMs' | 'tlsCaFile' | 'behindProxy' | 'publicUrl'> {
  const host = env.EDGE_HOST === undefined || env.EDGE_HOST === '' ? '127.0.0.1' : env.EDGE_HOST;
  const certFile = env.EDGE_TLS_CERT_FILE || undefined;
  const keyFile = env.EDGE_TLS_KEY_FILE || undefined;
  if ((certFile === undefined) !== (keyFile === undefined)) throw new ConfigError('EDGE_TLS_CERT_FILE and EDGE_TLS_KEY_FILE go together: set both (the certificate and its key, PEM) or neither');
  const tls = certFile && keyFile ? { certFile: resolve(certFile), keyFile: resolve(keyFile) } : undefined;
  const behindProxy = flag(env, 'EDGE_BEHIND_PROXY');
  if (behindProxy && !isLoopback(host)) {
    throw new ConfigError(
      `EDGE_BEHIND_PROXY=1 needs EDGE_HOST on a loopback address such as 127.0.0.1 (got "${host}"): the edge trusts the proxy's X-Forwarded-Proto, so the proxy must be the only way in. See README "Shop network".`,
    );
  }
  if (!isLoopback(host) && !tls && !behindProxy) {
    throw new ConfigError(
      `EDGE_HOST=${host} would serve the till over plain HTTP on the network, where a tablet gets no secure context: no service worker (no offline start), no Web Locks (one outbox sender) and no Secure device cookie (pairing fails). ${SHOP_NETWORK_WAYS}`,
    );
  }
  return { host, tls, tlsReloadMs: integer(env, 'EDGE_TLS_RELOAD_MS', 2_000, 100), tlsCaFile: env.EDGE_TLS_CA_FILE ? resolve(env.EDGE_TLS_CA_FILE) : undefined, behindProxy, publicUrl: publicUrl(env.EDGE_PUBLIC_URL) };
}

export async function loadConfig(env: Env): Promise<EdgeConfig> {
  const endpoint = env.MYPOS_ENDPOINT;
  return {
    port: integer(env, 'PORT', 8787),
    ...networkSettings(env),
    dataDir: resolve(env.EDGE_DATA_DIR ?? 'data'),
    webDir: resolve(env.EDGE_WEB_DIR ?? 'dist/web'),
    live: endpoint ? await liveSettings(env, endpoint) : undefined,
    partnerCertFile: env.MYPOS_PARTNER_CERT_FILE,
    gateway: gatewayTimings(env),
    connectTimeoutMs: integer(env, 'MYPOS_CONNECT_TIMEOUT_MS', 10_000, 1),
    machine: machineTimings(env),
    terminalWatch: terminalWatchTimings(env),
    capCents: amountSetting(env, 'AMOUNT_CAP', DEFAULT_AMOUNT_CAP_CENTS),
    ssePingMs: integer(env, 'EDGE_SSE_PING_MS', 15_000, 1),
    adminToken: adminToken(env, endpoint !== undefined),
    shop: shopSettings(env),
    deviceRateLimit: integer(env, 'EDGE_DEVICE_RATE_LIMIT', 600, 1),
    lan: {
      terminals: lanTerminals(env.EDGE_LAN_TERMINALS),
      connectTimeoutMs: integer(env, 'EDGE_LAN_CONNECT_TIMEOUT_MS', 10_000, 1),
      responseTimeoutMs: integer(env, 'EDGE_LAN_RESPONSE_TIMEOUT_MS', 180_000, 1),
      receipts: { receipt: receiptMode(env, 'EDGE_LAN_MERCHANT_RECEIPT', 'OFF'), custrcpt: receiptMode(env, 'EDGE_LAN_CUSTOMER_RECEIPT', 'AFTER_CONFIRMATION') },
    },
  };
}
