import { newRuid } from '../../../shared/ruid.js';
import { createApp, type EdgeApp } from '../../core/app.js';
import { adminToken, amountSetting, auditKeySetting, ConfigError, gatewayTimings, integer, machineTimings, myposLogin, profileOverrides, shopSettings } from '../../core/env-settings.js';
import { importAuditKey } from '../../core/auth/audit.js';
import { InMemoryEventBus } from '../../core/event-bus.js';
import { jsonLines } from '../../core/json-logger.js';
import { DEFAULT_RECEIPTS } from '../../core/lan/iqom-xml.js';
import type { LanLinks } from '../../core/lan/lan-link.js';
import { exchangeOf } from '../../core/mypos/client.js';
import { loadMypos, MYPOS_ENDPOINTS, startProfile, type MyposSettings } from '../../core/mypos/setup.js';
import { learnedFor, ProtocolService } from '../../core/mypos/protocol-service.js';
import { fetchTransport } from '../../core/mypos/transport.js';
import type { Logger, Scheduler } from '../../core/ports.js';
import { terminalWatchTimings } from '../../core/terminals.js';
import { DEFAULT_AMOUNT_CAP_CENTS } from '../../../shared/money.js';
import { settingsOf, type WorkerEnv } from './env.js';
import { storePorts } from './store-proxy.js';

// The same createApp as on Node, with the Workers' ports: the store object for every store, fetch
// for myPOS, the keys from secrets. LAN terminals need a TCP socket to the store's network: they
// are for the Node edge, so here a LAN link answers "not sent".

const noLanLinks: LanLinks = () => ({
  send: async () => ({ kind: 'not_sent', reason: 'LAN terminals are served by the Node edge in the store, not by Workers' }),
  close: () => undefined,
});

/** JSON lines on the console (Workers Logs); EDGE_LOG_LEVEL=warn keeps only warnings and errors. */
export function workerLogger(env: WorkerEnv): Logger {
  return jsonLines((line) => console.log(line), env.EDGE_LOG_LEVEL === 'warn' ? 'warn' : 'info');
}

export async function buildEdgeApp(env: WorkerEnv, scheduler: Scheduler, logger: Logger = workerLogger(env)): Promise<EdgeApp> {
  const settings = settingsOf(env);
  const endpointSetting = settings.MYPOS_ENDPOINT ?? '';
  if (!endpointSetting) throw new ConfigError('MYPOS_ENDPOINT is required (a var in wrangler.jsonc)');
  const login = myposLogin(settings.MYPOS_LOGIN);
  if (!settings.MYPOS_PRIVATE_KEY) throw new ConfigError('MYPOS_PRIVATE_KEY is required (wrangler secret put MYPOS_PRIVATE_KEY)');
  if (!settings.MYPOS_CERT) throw new ConfigError('MYPOS_CERT is required (the myPOS certificate, PEM)');
  const token = adminToken(settings, true) ?? '';
  // The audit lines' HMAC key: a secret, apart from the store object's database. Workers keep no
  // head file (the Durable Object's storage is the only store here): the MACs still show a changed
  // or recomputed line; a cut-off tail shows only against the logged heads (the "audit" log lines).
  const auditSecret = auditKeySetting(settings);
  if (auditSecret === undefined) throw new ConfigError('EDGE_AUDIT_KEY is required (wrangler secret put EDGE_AUDIT_KEY; at least 32 characters, e.g. openssl rand -base64 32)');
  const auditKey = await importAuditKey(auditSecret);
  const endpoint = endpointSetting === 'test' || endpointSetting === 'production' ? MYPOS_ENDPOINTS[endpointSetting] : endpointSetting;
  const keyIndex = settings.MYPOS_KEY_INDEX ?? '1';
  const ports = storePorts(env.STORE);
  const mypos: MyposSettings = { endpoint, login, overrides: profileOverrides(settings), keyIndex, privateKeysPem: { [keyIndex]: settings.MYPOS_PRIVATE_KEY }, myposCertificatePem: settings.MYPOS_CERT };
  // Once per isolate: the WSDL (3 s at most), the environment, what the doctor learned.
  const learned = learnedFor(endpoint, await ports.protocol.loadProtocolProfile());
  const started = await startProfile(mypos, learned, logger, fetch, 3_000);
  const transport = fetchTransport();
  const loaded = await loadMypos(
    mypos,
    transport,
    {
      timings: gatewayTimings(settings),
      beforeSend: (signed) => ports.store.recordExchange({ ...exchangeOf(signed, 0, Date.now()), phase: 'sending' }),
      onExchange: (exchange) => ports.store.recordExchange({ ...exchange, phase: 'answered' }),
    },
    started.profile,
  );
  const certificates = loaded.myposCertificates.map((certificate) => ({ name: 'mypos', notAfter: certificate.notAfter.toISOString(), daysLeft: Math.floor((certificate.notAfter.getTime() - Date.now()) / 86_400_000) }));
  const protocol = new ProtocolService({
    settings: mypos,
    loaded,
    transport,
    store: ports.protocol,
    certificates: certificates.map(({ name, notAfter }) => ({ name, notAfter })),
    logger,
    newRuid,
    started,
    learned,
  });
  return createApp({
    ...ports,
    // Cloudflare sets it (a client cannot): the limits on failed pairing and credentials are per client.
    clientAddress: (c) => c.req.header('cf-connecting-ip') ?? 'unknown',
    protocol,
    gateway: loaded.gateway,
    lanLinks: noLanLinks,
    auditKey,
    bus: new InMemoryEventBus(),
    scheduler,
    clock: { now: () => Date.now() },
    logger,
    newRuid,
    health: async () => ({ mode: 'workers', mypos: new URL(endpoint).host, certificates, protocol: protocol.current().sources }),
    config: {
      capCents: amountSetting(settings, 'AMOUNT_CAP', DEFAULT_AMOUNT_CAP_CENTS),
      ssePingMs: integer(settings, 'EDGE_SSE_PING_MS', 15_000, 1),
      timings: machineTimings(settings),
      version: '0.1.0',
      adminToken: token,
      shop: shopSettings(settings),
      deviceRateLimit: integer(settings, 'EDGE_DEVICE_RATE_LIMIT', 600, 1),
      lanReceipts: DEFAULT_RECEIPTS,
      // The Worker's own routes have no timers: GET /api/terminals does the check (at most once per poll).
      terminalWatch: terminalWatchTimings(settings),
    },
  });
}
