import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { edgeSettings, type EnvSettings } from '../../core/boot.js';
import { ConfigError, integer, myposLogin, profileOverrides, type Env } from '../../core/env-settings.js';
import { MYPOS_ENDPOINTS, type MyposSettings } from '../../core/mypos/setup.js';
import { backupSettings, type BackupSettings } from './backup/settings.js';
import { backupHealth } from './backup/status.js';
import { isLoopback, type TlsFiles } from './tls.js';

export { ConfigError, type Env };

// The Node edge's configuration from the environment (README "Configuration"): the app's settings
// as on Workers (edgeSettings), and what only a Node edge has: where it listens, its files, its
// LAN terminals. A bad value stops start-up with a message naming the variable; key contents never
// appear in a message.

export interface EdgeConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly webDir: string;
  /** Live myPOS settings; undefined in demo mode (the built-in simulator). */
  readonly live: MyposSettings | undefined;
  readonly partnerCertFile: string | undefined;
  readonly connectTimeoutMs: number;
  /** The app's settings; without EDGE_ADMIN_TOKEN (demo mode only) the demo keeps one in the data folder. */
  readonly settings: EnvSettings;
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
  /** EDGE_PUBLIC_URL (settings.publicUrl): the origin of the links the edge prints. */
  readonly publicUrl: string | undefined;
  /** EDGE_BACKUP_DIR, EDGE_BACKUP_EVERY, EDGE_BACKUP_KEEP: the database's backups (README "Backups"). */
  readonly backup: BackupSettings;
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

const SHOP_NETWORK_WAYS =
  'Serve HTTPS: set EDGE_TLS_CERT_FILE and EDGE_TLS_KEY_FILE to a certificate for a name you own (any ACME client with a DNS challenge), ' +
  'or to one from a local CA (`npm run tls:local` makes it); or keep EDGE_HOST=127.0.0.1 behind a TLS reverse proxy with EDGE_BEHIND_PROXY=1. ' +
  'See README "Shop network".';

/**
 * Where the edge listens and how tablets reach it. Plain HTTP only on loopback: on a LAN address
 * a tablet gets no secure context (no service worker, so no offline start; no Web Locks, the
 * outbox's one-sender rule; no Secure device cookie, so pairing fails).
 */
export function networkSettings(env: Env): Pick<EdgeConfig, 'host' | 'tls' | 'tlsReloadMs' | 'tlsCaFile' | 'behindProxy'> {
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
  return { host, tls, tlsReloadMs: integer(env, 'EDGE_TLS_RELOAD_MS', 2_000, 100), tlsCaFile: env.EDGE_TLS_CA_FILE ? resolve(env.EDGE_TLS_CA_FILE) : undefined, behindProxy };
}

/** EDGE_DATA_DIR, absolute (default ./data). */
export function dataDirOf(env: Env): string {
  return resolve(env.EDGE_DATA_DIR ?? 'data');
}

export async function loadConfig(env: Env): Promise<EdgeConfig> {
  const endpoint = env.MYPOS_ENDPOINT;
  const port = integer(env, 'PORT', 8787);
  const network = networkSettings(env);
  const live = endpoint ? await liveSettings(env, endpoint) : undefined;
  const dataDir = dataDirOf(env);
  const backup = backupSettings(env, dataDir);
  // GET /api/health reports the backups: read from their folder at each request.
  const settings = { ...edgeSettings(env, endpoint !== undefined), backupHealth: () => backupHealth(backup.dir, backup.everyMs, Date.now()) };
  return {
    port,
    ...network,
    publicUrl: settings.publicUrl,
    backup,
    dataDir,
    webDir: resolve(env.EDGE_WEB_DIR ?? 'dist/web'),
    live,
    partnerCertFile: env.MYPOS_PARTNER_CERT_FILE,
    connectTimeoutMs: integer(env, 'MYPOS_CONNECT_TIMEOUT_MS', 10_000, 1),
    settings,
    lan: {
      terminals: lanTerminals(env.EDGE_LAN_TERMINALS),
      connectTimeoutMs: integer(env, 'EDGE_LAN_CONNECT_TIMEOUT_MS', 10_000, 1),
      responseTimeoutMs: integer(env, 'EDGE_LAN_RESPONSE_TIMEOUT_MS', 180_000, 1),
    },
  };
}
