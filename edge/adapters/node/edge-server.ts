import { serve, type HttpBindings, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { networkInterfaces } from 'node:os';
import { join, relative } from 'node:path';
import { newRuid } from '../../../shared/ruid.js';
import { createApp, type EdgeApp } from '../../core/app.js';
import { createPairingCode } from '../../core/auth/pairing.js';
import { randomToken } from '../../core/auth/tokens.js';
import { InMemoryEventBus } from '../../core/event-bus.js';
import { exchangeOf } from '../../core/mypos/client.js';
import { importCertificatesPem } from '../../core/mypos/keys.js';
import { loadMypos, startProfile, type MyposSettings } from '../../core/mypos/setup.js';
import { learnedFor, ProtocolService } from '../../core/mypos/protocol-service.js';
import { profileOverrides } from '../../core/env-settings.js';
import type { Logger } from '../../core/ports.js';
import { TimerScheduler } from '../../core/timer-scheduler.js';
import { startSimulator, type RunningSimulator } from '../../simulator/node-server.js';
import { startIqomSimulator, type RunningIqomSimulator } from '../../simulator/iqom-server.js';
import { iqomSocketLinks } from './iqom-socket.js';
import { reportCertificates, type CertificateReport } from './certificates.js';
import { ClockWatch } from './clock-watch.js';
import { loadConfig, type EdgeConfig, type Env } from './config.js';
import { jsonLogger } from './logger.js';
import { nodeMyposTransport } from './mypos-transport.js';
import type { SqlStore } from '../sql/sql-store.js';
import { openNodeStore } from './node-sqlite.js';
import { connectionLimits, connectionServerOptions, guardServer, nodeClientAddress } from './connection-guard.js';
import { nodeAudit } from './audit-files.js';
import { privateFileSync } from './file-modes.js';
import { isLoopback, logCertificate, readCaCertificate, readTlsPair, watchTlsFiles, withScheme } from './tls.js';

export interface RunningEdge {
  /** Where the edge listens (`https://` with EDGE_TLS_CERT_FILE). */
  readonly url: string;
  /** The origin tablets use: EDGE_PUBLIC_URL, else a LAN address when listening on all, else `url`. */
  readonly publicUrl: string;
  /** EDGE_TLS_CA_FILE: where tablets download the local CA's certificate. */
  readonly caDownloadUrl: string | undefined;
  /** Demo mode: a one-time link pairing the first till (as admin). */
  readonly pairingLink: string | undefined;
  /** Demo mode: where the generated admin token is kept. */
  readonly adminTokenFile: string | undefined;
  readonly config: EdgeConfig;
  readonly store: SqlStore;
  readonly edge: EdgeApp;
  /** The built-in simulator in demo mode. */
  readonly simulator: RunningSimulator | undefined;
  /** Demo mode: the iqom Payment Interface stand-in, serving the LAN terminal DEMO_LAN_TID. */
  readonly lanSimulator: RunningIqomSimulator | undefined;
  close(): Promise<void>;
}

export const DEMO_LOGIN = 'demo@mypos.local';
export const DEMO_LAN_TID = 'LAN00001';

async function demoAdminToken(file: string): Promise<string> {
  if (existsSync(file)) {
    privateFileSync(file);
    return (await readFile(file, 'utf8')).trim();
  }
  const token = randomToken();
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  privateFileSync(file);
  return token;
}

/**
 * Demo mode: the simulator on SIM_PORT, its certificate and the demo partner key from the data
 * folder; and the iqom Payment Interface stand-in on SIM_LAN_PORT for the LAN terminal.
 */
async function demoSettings(env: Env, config: EdgeConfig): Promise<{ settings: MyposSettings; simulator: RunningSimulator; lanSimulator: RunningIqomSimulator }> {
  const simulator = await startDemoSimulator(env, config.dataDir);
  const lanSimulator = await startIqomSimulator(Number(env.SIM_LAN_PORT ?? '8789'), { cardMs: 2_000, timeScale: Number(env.SIM_TIME_SCALE ?? '1') });
  return { simulator, lanSimulator, settings: await demoMyposSettings(env, config.dataDir, simulator) };
}

/** The built-in simulator with the demo partner's login and key (the doctor starts it too). */
export function startDemoSimulator(env: Env, dataDir: string, port?: string): Promise<RunningSimulator> {
  return startSimulator({ ...env, ...(port === undefined ? {} : { SIM_PORT: port }), SIM_DATA_DIR: dataDir, SIM_PARTNER_LOGIN: DEMO_LOGIN, SIM_PARTNER_CERT_FILE: undefined });
}

/** The edge's myPOS settings for the built-in simulator: the demo key, the simulator's certificate. */
export async function demoMyposSettings(env: Env, dataDir: string, simulator: Pick<RunningSimulator, 'endpoint' | 'certificateFile'>): Promise<MyposSettings> {
  return {
    endpoint: simulator.endpoint,
    login: DEMO_LOGIN,
    overrides: profileOverrides(env),
    keyIndex: '1',
    privateKeysPem: { '1': await readFile(join(dataDir, 'keys/partner-key.pem'), 'utf8') },
    myposCertificatePem: await readFile(simulator.certificateFile, 'utf8'),
  };
}

/** Starts the edge on Node: SQLite store, myPOS gateway, the API, the PWA's files, recovery. */
/** Demo mode: the simulator's documented profile serves no WSDL, which is not worth a warning. */
function quietWarnings(logger: Logger): Logger {
  return { info: (message, fields) => logger.info(message, fields), warn: (message, fields) => logger.info(message, fields), error: (message, fields) => logger.error(message, fields) };
}

/** A LAN address of this machine, for links when the edge listens on all addresses (0.0.0.0, ::). */
function lanAddress(): string | undefined {
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  return all.find((a) => !a.internal && a.family === 'IPv4')?.address;
}

function origin(scheme: string, host: string, port: number): string {
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export async function startEdge(env: Env, logger: Logger = jsonLogger()): Promise<RunningEdge> {
  const config = await loadConfig(env);
  // EDGE_MAX_CONNECTIONS, EDGE_MAX_CONNECTIONS_PER_IP: a bad value stops start-up here.
  const limits = connectionLimits(env);
  // Read before anything starts: a bad certificate, key or CA file stops start-up here.
  const tlsPair = config.tls ? readTlsPair(config.tls) : undefined;
  const caCertificate = config.tlsCaFile ? readCaCertificate(config.tlsCaFile) : undefined;
  const demo = config.live ? undefined : await demoSettings(env, config);
  const settings = config.live ?? demo?.settings;
  if (!settings) throw new Error('no myPOS settings');
  const store = openNodeStore(join(config.dataDir, 'edge.sqlite'));
  const audit = await nodeAudit(env, config.dataDir);
  if (audit.secret.created) logger.info('audit key made', { file: audit.secret.file });
  const clock = new ClockWatch(logger);
  const transport = nodeMyposTransport({ connectTimeoutMs: config.connectTimeoutMs });
  // The protocol profile: the WSDL (when myPOS serves it), the environment, what the doctor learned.
  const learned = learnedFor(settings.endpoint, await store.loadProtocolProfile());
  const started = await startProfile(settings, learned, demo ? quietWarnings(logger) : logger);
  const loaded = await loadMypos(settings, transport, {
    timings: config.gateway,
    beforeSend: (signed) => store.recordExchange({ ...exchangeOf(signed, 0, Date.now()), phase: 'sending' }),
    onExchange: (exchange) => {
      if (exchange.verified === false) logger.warn('myPOS answer failed signature verification', { ruid: exchange.ruid, method: exchange.method });
      if (exchange.verified === true && exchange.httpDate) clock.observe(Date.parse(exchange.httpDate), exchange.startedAt, exchange.finishedAt);
      return store.recordExchange({ ...exchange, phase: 'answered' });
    },
  }, started.profile);
  logger.info('myPOS protocol profile', { sources: JSON.stringify(started.sources), learnedAt: learned?.learnedAt });

  const now = Date.now();
  const certificates: CertificateReport[] = reportCertificates('mypos', loaded.myposCertificates, now);
  const partnerCertFile = config.partnerCertFile ?? (demo ? join(config.dataDir, 'keys/partner-cert.pem') : undefined);
  if (partnerCertFile) certificates.push(...reportCertificates('partner', await importCertificatesPem(await readFile(partnerCertFile, 'utf8')), now));
  for (const report of certificates.filter((c) => c.expiresSoon)) logger.warn('certificate expires soon', { certificate: report.name, notAfter: report.notAfter, daysLeft: report.daysLeft });

  if (demo) {
    // The demo's terminals are already paired in the simulator: the till knows them too.
    for (const terminal of demo.simulator.simulator.terminals.terminals.values()) {
      if (terminal.subscription === 'subscribed' && !(await store.getTerminal(terminal.tid))) {
        await store.saveTerminal({ tid: terminal.tid, currency: terminal.currency, transport: 'cloud', address: undefined, state: 'active', code: undefined, updatedAt: new Date().toISOString() });
      }
    }
  }
  // LAN terminals are configured, not subscribed: the configuration is the truth at each start.
  const lanTerminals = [...config.lan.terminals, ...(demo ? [{ tid: DEMO_LAN_TID, address: demo.lanSimulator.address, currency: 'EUR' }] : [])];
  for (const terminal of lanTerminals) {
    await store.saveTerminal({ tid: terminal.tid, currency: terminal.currency, transport: 'lan', address: terminal.address, state: 'active', code: undefined, updatedAt: new Date().toISOString() });
  }
  const lanLinks = iqomSocketLinks({ connectTimeoutMs: config.lan.connectTimeoutMs, responseTimeoutMs: config.lan.responseTimeoutMs });

  // Demo mode: an admin token made once and kept (mode 600) in the data folder.
  const adminToken = config.adminToken ?? (await demoAdminToken(join(config.dataDir, 'admin-token')));
  const scheduler = new TimerScheduler(logger);
  const protocol = new ProtocolService({
    settings,
    loaded,
    transport,
    store,
    certificates: certificates.map((report) => ({ name: report.name, notAfter: report.notAfter })),
    logger,
    newRuid,
    started,
    learned,
  });
  const edge = createApp({
    clientAddress: nodeClientAddress({ behindProxy: config.behindProxy }),
    protocol,
    store,
    access: store,
    catalogue: store,
    ledger: store.ledger,
    gateway: loaded.gateway,
    lanLinks,
    auditKey: audit.key,
    auditHead: audit.head,
    bus: new InMemoryEventBus(),
    scheduler,
    clock,
    logger,
    newRuid,
    health: async () => ({ mode: demo ? 'demo' : 'live', mypos: new URL(settings.endpoint).host, certificates, clockOffsetMs: clock.offsetMs, protocol: protocol.current().sources }),
    config: {
      capCents: config.capCents,
      ssePingMs: config.ssePingMs,
      timings: config.machine,
      version: '0.1.0',
      adminToken,
      shop: config.shop,
      deviceRateLimit: config.deviceRateLimit,
      lanReceipts: config.lan.receipts,
      terminalWatch: config.terminalWatch,
      publicUrl: config.publicUrl,
    },
  });

  await edge.audit.start();
  const root = new Hono<{ Bindings: HttpBindings }>();
  if (caCertificate) {
    // The local CA's certificate (public), for tablets to download and trust (`npm run tls:local`).
    const body = caCertificate;
    root.get('/tls/ca.crt', (c) =>
      c.body(body, 200, {
        'content-type': 'application/x-x509-ca-cert',
        'content-disposition': 'attachment; filename="till-local-ca.crt"',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      }),
    );
  }
  root.route('/', edge.app);
  if (existsSync(join(config.webDir, 'index.html'))) {
    const webRoot = relative(process.cwd(), config.webDir) || '.';
    root.use('/*', serveStatic({ root: webRoot }));
    // The till is a single-page app: any other path that is not the API gets its shell.
    root.get('*', serveStatic({ root: webRoot, path: 'index.html' }));
  } else {
    root.get('/', (c) => c.text('The till is not built: run `npm run build`, or use `npm start`.', 503));
  }

  // The core decides the Secure cookie and its links from the request URL: https on a TLS socket,
  // or behind the TLS proxy (X-Forwarded-Proto from a loopback peer only).
  const scheme = { tls: tlsPair !== undefined, behindProxy: config.behindProxy };
  const serveRequest = (request: Request, bindings: HttpBindings) => root.fetch(withScheme(request, bindings.incoming.socket.remoteAddress, scheme), bindings);
  const server = await new Promise<ServerType>((resolveServer, rejectServer) => {
    const options = { fetch: serveRequest as (request: Request, env: unknown) => Promise<Response>, port: config.port, hostname: config.host };
    // HTTP/1.1 over TLS: node:https (the slow-client limits of node:http apply to it as they are).
    const started: ServerType = tlsPair
      ? serve({ ...options, createServer: createHttpsServer, serverOptions: { ...connectionServerOptions(limits), cert: tlsPair.cert, key: tlsPair.key, minVersion: 'TLSv1.2' } }, () => resolveServer(started))
      : serve({ ...options, serverOptions: connectionServerOptions(limits) }, () => resolveServer(started));
    // Before the first connection is accepted: header and request timeouts, the connection caps.
    guardServer(started, limits);
    started.once('error', rejectServer);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  let stopWatching: (() => void) | undefined;
  if (tlsPair && config.tls) {
    logCertificate(logger, 'TLS certificate', tlsPair.cert);
    const httpsServer = server as unknown as HttpsServer;
    stopWatching = watchTlsFiles(config.tls, (pair) => httpsServer.setSecureContext({ cert: pair.cert, key: pair.key, minVersion: 'TLSv1.2' }), logger, config.tlsReloadMs);
  }
  // LAN payments first: one cut off by the restart is failed or unknown, never resent.
  const lanResumed = await edge.lan.recover();
  const resumed = await edge.processor.recover();
  if (lanResumed > 0) logger.info('lan payments in flight at start', { count: lanResumed });
  if (resumed > 0) logger.info('resumed payments in flight', { count: resumed });
  // Subscriptions still waiting for their code, within their time: watched again.
  const watched = await edge.terminals.resume();
  if (watched > 0) logger.info('terminals waiting for their code', { count: watched });

  const url = origin(tlsPair ? 'https' : 'http', config.host, port);
  const anyAddress = config.host === '0.0.0.0' || config.host === '::';
  const lan = anyAddress ? lanAddress() : undefined;
  const publicUrl = config.publicUrl ?? (lan ? origin(tlsPair ? 'https' : 'http', lan, port) : url);
  if (!config.publicUrl && !isLoopback(config.host)) logger.warn('EDGE_PUBLIC_URL is not set: links are built from the request, and the printed ones from a LAN address', { publicUrl });
  // Demo mode: a ready link that pairs the first till as an admin device, valid one hour.
  const pairing = demo ? await createPairingCode(store, 'admin', ['*'], 3600, Date.now()) : undefined;
  return {
    url,
    publicUrl,
    caDownloadUrl: caCertificate ? `${publicUrl}/tls/ca.crt` : undefined,
    pairingLink: pairing ? `${publicUrl}/pair?code=${pairing.code}` : undefined,
    adminTokenFile: config.adminToken ? undefined : join(config.dataDir, 'admin-token'),
    config,
    store,
    edge,
    simulator: demo?.simulator,
    lanSimulator: demo?.lanSimulator,
    async close() {
      stopWatching?.();
      scheduler.close();
      lanLinks.closeAll();
      await new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await demo?.simulator.close();
      await demo?.lanSimulator.close();
      store.close();
    },
  };
}
