import { importAuditKey } from '../../core/auth/audit.js';
import { bootEdge, edgeSettings, type Recovery } from '../../core/boot.js';
import type { EdgeApp } from '../../core/edge-ports.js';
import { auditKeySetting, ConfigError, myposLogin, profileOverrides, type Env } from '../../core/env-settings.js';
import { jsonLines } from '../../core/json-logger.js';
import type { LanLinks } from '../../core/lan/lan-link.js';
import { MYPOS_ENDPOINTS, type MyposSettings } from '../../core/mypos/setup.js';
import { fetchTransport } from '../../core/mypos/transport.js';
import type { Logger, Scheduler } from '../../core/ports.js';
import { settingsOf, type WorkerEnv } from './env.js';
import { workerOnline } from './online-settings.js';
import { storePorts } from './store-proxy.js';

// The Workers' adapters for bootEdge: the store object for every store, fetch for myPOS, the keys
// from secrets. LAN terminals need a TCP socket to the store's network: they are for the Node
// edge, so here a LAN link answers "not sent".

const noLanLinks: LanLinks = () => ({
  send: async () => ({ kind: 'not_sent', reason: 'LAN terminals are served by the Node edge in the store, not by Workers' }),
  close: () => undefined,
});

/** JSON lines on the console (Workers Logs); EDGE_LOG_LEVEL=warn keeps only warnings and errors. */
export function workerLogger(env: WorkerEnv): Logger {
  return jsonLines((line) => console.log(line), env.EDGE_LOG_LEVEL === 'warn' ? 'warn' : 'info');
}

/** myPOS from the Worker's vars and secrets: one key (MYPOS_PRIVATE_KEY), myPOS's certificate (MYPOS_CERT). */
function workerMypos(settings: Env): MyposSettings {
  const endpointSetting = settings.MYPOS_ENDPOINT ?? '';
  if (!endpointSetting) throw new ConfigError('MYPOS_ENDPOINT is required (a var in wrangler.jsonc)');
  const login = myposLogin(settings.MYPOS_LOGIN);
  if (!settings.MYPOS_PRIVATE_KEY) throw new ConfigError('MYPOS_PRIVATE_KEY is required (wrangler secret put MYPOS_PRIVATE_KEY)');
  if (!settings.MYPOS_CERT) throw new ConfigError('MYPOS_CERT is required (the myPOS certificate, PEM)');
  const endpoint = endpointSetting === 'test' || endpointSetting === 'production' ? MYPOS_ENDPOINTS[endpointSetting] : endpointSetting;
  const keyIndex = settings.MYPOS_KEY_INDEX ?? '1';
  return { endpoint, login, overrides: profileOverrides(settings), keyIndex, privateKeysPem: { [keyIndex]: settings.MYPOS_PRIVATE_KEY }, myposCertificatePem: settings.MYPOS_CERT };
}

/**
 * The edge's app in a Worker isolate or a terminal object, with what it recovers at start: a
 * terminal object its own terminal's payments, the Worker's own app nothing.
 */
export async function buildEdgeApp(env: WorkerEnv, scheduler: Scheduler, recover: Recovery, logger: Logger = workerLogger(env)): Promise<EdgeApp> {
  const settings = settingsOf(env);
  const mypos = workerMypos(settings);
  const table = edgeSettings(settings, true);
  const online = workerOnline(settings);
  // The audit lines' HMAC key: a secret, apart from the store object's database. Workers keep no
  // head file (the Durable Object's storage is the only store here): the MACs still show a changed
  // or recomputed line; a cut-off tail shows only against the logged heads (the "audit" log lines).
  const auditSecret = auditKeySetting(settings);
  if (auditSecret === undefined) throw new ConfigError('EDGE_AUDIT_KEY is required (wrangler secret put EDGE_AUDIT_KEY; at least 32 characters, e.g. openssl rand -base64 32)');
  return bootEdge({
    settings: table,
    mypos,
    stores: storePorts(env.STORE),
    scheduler,
    transport: fetchTransport(),
    lanLinks: noLanLinks,
    clock: { now: () => Date.now() },
    logger,
    // Cloudflare sets it (a client cannot): the limits on failed pairing and credentials are per client.
    clientAddress: (c) => c.req.header('cf-connecting-ip') ?? 'unknown',
    auditKey: await importAuditKey(auditSecret),
    health: () => ({ mode: 'workers' }),
    // Once per isolate: the WSDL (3 s at most), the environment, what the doctor learned.
    profileStart: { timeoutMs: 3_000 },
    recover,
    // Pay by link: its requests are routed to the Online Checkout's terminal object (ONLINE01),
    // whose alarm runs the link's status polls and expiry.
    online,
  });
}
