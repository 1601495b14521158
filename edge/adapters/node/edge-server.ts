import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { createPairingCode } from '../../core/auth/pairing.js';
import { bootEdge, type KnownTerminal, type NamedCertificates, type OnlineSettings } from '../../core/boot.js';
import { ipcSettings, onlineTimings, type IpcSettings } from '../../core/ipc/settings.js';
import type { EdgeApp } from '../../core/edge-ports.js';
import { importCertificatesPem } from '../../core/mypos/keys.js';
import type { MyposSettings } from '../../core/mypos/setup.js';
import type { Logger } from '../../core/ports.js';
import { TimerScheduler } from '../../core/timer-scheduler.js';
import type { SqlStore } from '../sql/sql-store.js';
import { nodeAudit } from './audit-files.js';
import { ClockWatch } from './clock-watch.js';
import { ConfigError, loadConfig, type EdgeConfig, type Env } from './config.js';
import { connectionLimits, nodeClientAddress } from './connection-guard.js';
import { serveEdge } from './http-server.js';
import { iqomSocketLinks } from './iqom-socket.js';
import { jsonLogger } from './logger.js';
import { nodeMyposTransport } from './mypos-transport.js';
import { openNodeStore } from './node-sqlite.js';
import { isLoopback, readCaCertificate, readTlsPair } from './tls.js';

// The Node edge: its adapters (SQLite, timers, myPOS over node:https, LAN terminals over TCP, the
// audit files, the clock watch) handed to bootEdge, then the HTTP(S) server. Demo mode is given
// from outside (edge/demo, chosen by start.ts), so this adapter knows no simulator.

/** What demo mode brings to the Node edge. */
export interface NodeDemo {
  /** The simulator's endpoint and certificate, the demo partner's login and key. */
  readonly mypos: MyposSettings;
  /** The demo partner's certificate, reported beside myPOS's. */
  readonly partnerCertFile: string;
  /** The terminals the demo's simulators serve, known to the till from the start. */
  readonly terminals: readonly KnownTerminal[];
  /** Without EDGE_ADMIN_TOKEN: the token the demo made once and keeps in the data folder. */
  readonly adminToken: { readonly token: string; readonly file: string } | undefined;
  /** The simulator's Online Checkout (pay by QR or link). */
  readonly online?: IpcSettings | undefined;
  /** Where the start's protocol-profile warnings go (the simulator serves no WSDL, which is no news). */
  profileLogger(logger: Logger): Logger;
  close(): Promise<void>;
}

/** Starts demo mode, once the configuration is known to be good and no MYPOS_ENDPOINT is set. */
export type StartDemo<Demo extends NodeDemo> = (env: Env, config: EdgeConfig) => Promise<Demo>;

export interface RunningEdge<Demo extends NodeDemo = NodeDemo> {
  /** Where the edge listens (`https://` with EDGE_TLS_CERT_FILE). */
  readonly url: string;
  /** The origin tablets use: EDGE_PUBLIC_URL, else a LAN address when listening on all, else `url`. */
  readonly publicUrl: string;
  /** EDGE_TLS_CA_FILE: where tablets download the local CA's certificate. */
  readonly caDownloadUrl: string | undefined;
  /** Demo mode: a one-time link pairing the first till (as admin), while no admin device is paired. */
  readonly pairingLink: string | undefined;
  /** Demo mode: an admin device is paired already (no link printed; more from Devices). */
  readonly adminPaired: boolean;
  /** Demo mode: where the generated admin token is kept. */
  readonly adminTokenFile: string | undefined;
  readonly config: EdgeConfig;
  readonly store: SqlStore;
  readonly edge: EdgeApp;
  /** Demo mode: what the demo started. */
  readonly demo: Demo | undefined;
  close(): Promise<void>;
}

/** A LAN address of this machine, for links when the edge listens on all addresses (0.0.0.0, ::). */
function lanAddress(): string | undefined {
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  return all.find((a) => !a.internal && a.family === 'IPv4')?.address;
}

function origin(scheme: string, host: string, port: number): string {
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** MYPOS_IPC_* (the _FILE variants read here), else the demo's simulator; undefined: no online channel. */
function onlineSettings(env: Env, demo: IpcSettings | undefined): OnlineSettings | undefined {
  const fromFiles = { ...env, MYPOS_IPC_PRIVATE_KEY: env.MYPOS_IPC_PRIVATE_KEY ?? fileText(env.MYPOS_IPC_PRIVATE_KEY_FILE), MYPOS_IPC_CERT: env.MYPOS_IPC_CERT ?? fileText(env.MYPOS_IPC_CERT_FILE) };
  const ipc = ipcSettings(fromFiles) ?? demo;
  return ipc ? { ipc, ...onlineTimings(env) } : undefined;
}

function fileText(file: string | undefined): string | undefined {
  if (file === undefined || file === '') return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${file} (${error instanceof Error ? error.message : String(error)})`);
  }
}

async function partnerCertificates(file: string | undefined): Promise<NamedCertificates[]> {
  return file ? [{ name: 'partner', certificates: await importCertificatesPem(await readFile(file, 'utf8')) }] : [];
}

/** Starts the edge on Node: SQLite store, myPOS gateway, the API, the PWA's files, recovery. */
export async function startEdge<Demo extends NodeDemo = NodeDemo>(env: Env, logger: Logger = jsonLogger(), startDemo?: StartDemo<Demo>): Promise<RunningEdge<Demo>> {
  const config = await loadConfig(env);
  // EDGE_MAX_CONNECTIONS, EDGE_MAX_CONNECTIONS_PER_IP: a bad value stops start-up here.
  const limits = connectionLimits(env);
  // Read before anything starts: a bad certificate, key or CA file stops start-up here.
  const tlsPair = config.tls ? readTlsPair(config.tls) : undefined;
  const caCertificate = config.tlsCaFile ? readCaCertificate(config.tlsCaFile) : undefined;
  if (!config.live && !startDemo) throw new ConfigError('MYPOS_ENDPOINT is not set, and demo mode is started by `npm start` (edge/adapters/node/main.ts), which brings the built-in simulator');
  const demo = config.live ? undefined : await startDemo?.(env, config);
  const store = openNodeStore(join(config.dataDir, 'edge.sqlite'));
  const scheduler = new TimerScheduler(logger);
  const lanLinks = iqomSocketLinks({ connectTimeoutMs: config.lan.connectTimeoutMs, responseTimeoutMs: config.lan.responseTimeoutMs });
  const stopAdapters = async () => {
    scheduler.close();
    lanLinks.closeAll();
    await demo?.close();
    store.close();
  };
  try {
    const mypos = config.live ?? demo?.mypos;
    const adminToken = config.settings.adminToken ?? demo?.adminToken?.token;
    // Neither can be missing (live mode requires both settings; the demo gives both): a guard for the types.
    if (!mypos || adminToken === undefined) throw new Error('no myPOS settings or admin token');
    const audit = await nodeAudit(env, config.dataDir);
    if (audit.secret.created) logger.info('audit key made', { file: audit.secret.file });
    const clock = new ClockWatch(logger);
    const edge = await bootEdge({
      settings: { ...config.settings, adminToken },
      mypos,
      stores: { store, access: store, catalogue: store, ledger: store.ledger, protocol: store },
      scheduler,
      transport: nodeMyposTransport({ connectTimeoutMs: config.connectTimeoutMs }),
      lanLinks,
      clock,
      logger,
      clientAddress: nodeClientAddress({ behindProxy: config.behindProxy }),
      auditKey: audit.key,
      auditHead: audit.head,
      health: () => ({ mode: demo ? 'demo' : 'live', clockOffsetMs: clock.offsetMs }),
      certificates: await partnerCertificates(config.partnerCertFile ?? demo?.partnerCertFile),
      onExchange: (exchange) => {
        if (exchange.verified === true && exchange.httpDate) clock.observe(Date.parse(exchange.httpDate), exchange.startedAt, exchange.finishedAt);
      },
      profileStart: demo ? { logger: demo.profileLogger(logger) } : undefined,
      terminals: [...config.lan.terminals.map((terminal): KnownTerminal => ({ transport: 'lan', ...terminal })), ...(demo?.terminals ?? [])],
      recover: 'all',
      online: onlineSettings(env, demo?.online),
    });
    const server = await serveEdge(edge.app, { config, limits, tlsPair, caCertificate, logger });

    const url = origin(tlsPair ? 'https' : 'http', config.host, server.port);
    const anyAddress = config.host === '0.0.0.0' || config.host === '::';
    const lan = anyAddress ? lanAddress() : undefined;
    const publicUrl = config.publicUrl ?? (lan ? origin(tlsPair ? 'https' : 'http', lan, server.port) : url);
    if (!config.publicUrl && !isLoopback(config.host)) logger.warn('EDGE_PUBLIC_URL is not set: links are built from the request, and the printed ones from a LAN address', { publicUrl });
    // Demo mode: a ready link that pairs the first till as an admin device, valid one hour; once an
    // admin device is paired, none (a console log must not hand out admin access at every start).
    const adminPaired = demo ? (await store.listDevices()).some((device) => device.role === 'admin' && device.revokedAt === undefined) : false;
    const pairing = demo && !adminPaired ? await createPairingCode(store, 'admin', ['*'], 3600, Date.now()) : undefined;
    return {
      url,
      publicUrl,
      caDownloadUrl: caCertificate ? `${publicUrl}/tls/ca.crt` : undefined,
      pairingLink: pairing ? `${publicUrl}/pair?code=${pairing.code}` : undefined,
      adminPaired,
      adminTokenFile: demo?.adminToken?.file,
      config,
      store,
      edge,
      demo,
      async close() {
        await server.close();
        await stopAdapters();
      },
    };
  } catch (error) {
    await stopAdapters();
    throw error;
  }
}
