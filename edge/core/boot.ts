import { DEFAULT_AMOUNT_CAP_CENTS } from '../../shared/money.js';
import { newRuid } from '../../shared/ruid.js';
import { createApp } from './app.js';
import type { CertificateReport, EdgeApp, EdgePorts, EdgeSettings, RuntimeHealth } from './edge-ports.js';
import { loadIpcKeys, type IpcSettings } from './ipc/settings.js';
import { DEFAULT_EXPIRES_IN_SECONDS } from './ipc/requests.js';
import { ephemeralLinkKey } from './payments/checkout-links.js';
import type { OnlinePorts } from './payments/checkout-ports.js';
import { ipcCheckout } from './payments/ipc-checkout.js';
import { adminToken, amountSetting, gatewayTimings, integer, lanReceipts, machineTimings, publicUrl, shopSettings, type Env } from './env-settings.js';
import { InMemoryEventBus } from './event-bus.js';
import { exchangeOf, type Exchange } from './mypos/client.js';
import type { CertificateInfo } from './mypos/keys.js';
import { learnedFor, ProtocolService } from './mypos/protocol-service.js';
import { loadMypos, startProfile, type MyposSettings } from './mypos/setup.js';
import type { MyposTransport } from './mypos/transport.js';
import type { AccessStore, CatalogueStore, LedgerStore, Logger, PaymentStore, ProtocolProfileStore } from './ports.js';
import { terminalWatchTimings } from './terminals.js';

// The edge's one composition root. Both runtimes read the same settings table from their
// environment and hand their adapters to bootEdge, which makes and starts the app the same way on
// each: Node (edge/adapters/node/edge-server.ts) and Workers (edge/adapters/cloudflare/edge-app.ts).

export const EDGE_VERSION = '0.1.0';

/** The table as the environment gives it: only a demo may leave the admin token unset (the Node demo keeps one in a file). */
export type EnvSettings = Omit<EdgeSettings, 'adminToken'> & { readonly adminToken: string | undefined };

/** A live edge: EDGE_ADMIN_TOKEN is required, so the table is whole. */
export function edgeSettings(env: Env, live: true): EdgeSettings;
export function edgeSettings(env: Env, live: boolean): EnvSettings;
export function edgeSettings(env: Env, live: boolean): EnvSettings {
  return {
    version: EDGE_VERSION,
    capCents: amountSetting(env, 'AMOUNT_CAP', DEFAULT_AMOUNT_CAP_CENTS),
    ssePingMs: integer(env, 'EDGE_SSE_PING_MS', 15_000, 1),
    timings: machineTimings(env),
    gateway: gatewayTimings(env),
    adminToken: adminToken(env, live),
    shop: shopSettings(env),
    deviceRateLimit: integer(env, 'EDGE_DEVICE_RATE_LIMIT', 600, 1),
    lanReceipts: lanReceipts(env),
    terminalWatch: terminalWatchTimings(env),
    publicUrl: publicUrl(env),
  };
}

/** The stores of a runtime (Node: its one SQLite store; Workers: calls to the store object). */
export interface EdgeStores {
  readonly store: PaymentStore;
  readonly access: AccessStore;
  readonly catalogue: CatalogueStore;
  readonly ledger: LedgerStore;
  readonly protocol: ProtocolProfileStore;
}

/**
 * A terminal the edge knows from the start. A LAN terminal is configured, not subscribed: it is
 * saved at every start (the configuration is the truth). A cloud terminal subscribed elsewhere
 * (the demo's simulator) is added only when absent, so the state the edge keeps of it stands.
 */
export type KnownTerminal =
  | { readonly transport: 'lan'; readonly tid: string; readonly currency: string; readonly address: string }
  | { readonly transport: 'cloud' | 'online'; readonly tid: string; readonly currency: string };

/** The pseudo-terminal of the Online Checkout: payments by link go by it, devices are bound to it like to a terminal. */
export const ONLINE_TID = 'ONLINE01';

/** myPOS Online Checkout, when the shop has it (MYPOS_IPC_*; the demo's simulator serves one). */
export interface OnlineSettings {
  readonly ipc: IpcSettings;
  /** MYPOS_IPC_LINK_TTL_MS (15 min) and MYPOS_IPC_POLL_MS (10 s). */
  readonly linkTtlMs: number;
  readonly pollMs: number;
}

/**
 * What bootEdge recovers once the app is made: everything (Node: payments in flight, LAN first,
 * then cloud; then the watchers of subscriptions waiting for their code), one terminal's payments
 * (a Workers terminal object, which owns them), or nothing (the Worker's own app starts no payment).
 */
export type Recovery = 'all' | { readonly tid: string } | 'none';

/** What a runtime gives; the rest of EdgePorts is made here the same way for every runtime. */
export interface RuntimePorts extends Pick<EdgePorts, 'scheduler' | 'lanLinks' | 'clock' | 'logger' | 'clientAddress' | 'auditKey' | 'auditHead'> {
  readonly settings: EdgeSettings;
  readonly mypos: MyposSettings;
  readonly stores: EdgeStores;
  /** How requests reach myPOS (Node: with a connect timeout; Workers: fetch). */
  readonly transport: MyposTransport;
  /** What GET /api/health says of the runtime (mode, Node's clock offset); myPOS's host, the certificates and the protocol are added here. */
  readonly health: () => RuntimeHealth;
  /** Certificates reported beside myPOS's (Node: the partner's). */
  readonly certificates?: readonly NamedCertificates[];
  /** Sees every myPOS answer as it is recorded (Node: the clock watch reads the Date header). */
  readonly onExchange?: (exchange: Exchange) => void;
  /** The start's WSDL read: how long it may take (Workers: once per isolate, short), where its warnings go. */
  readonly profileStart?: { readonly timeoutMs?: number; readonly logger?: Logger };
  readonly terminals?: readonly KnownTerminal[];
  readonly recover: Recovery;
  readonly online?: OnlineSettings | undefined;
}

export interface NamedCertificates {
  readonly name: string;
  readonly certificates: readonly CertificateInfo[];
}

/** Certificates are renewed yearly; warn 30 days ahead (start-up log and GET /api/health). */
export const CERTIFICATE_WARNING_DAYS = 30;

function reportOf(named: readonly NamedCertificates[], now: number): CertificateReport[] {
  return named.flatMap(({ name, certificates }) =>
    certificates.map((certificate) => {
      const daysLeft = Math.floor((certificate.notAfter.getTime() - now) / 86_400_000);
      return { name, subject: certificate.subject, notAfter: certificate.notAfter.toISOString(), daysLeft, expiresSoon: daysLeft < CERTIFICATE_WARNING_DAYS };
    }),
  );
}

async function saveKnownTerminals(store: PaymentStore, terminals: readonly KnownTerminal[], now: number): Promise<void> {
  const updatedAt = new Date(now).toISOString();
  for (const terminal of terminals) {
    if (terminal.transport === 'cloud' && (await store.getTerminal(terminal.tid))) continue;
    const address = terminal.transport === 'lan' ? terminal.address : undefined;
    await store.saveTerminal({ tid: terminal.tid, currency: terminal.currency, transport: terminal.transport, address, state: 'active', code: undefined, updatedAt });
  }
}

/** Makes the edge's app from a runtime's adapters and starts it: audit chain, then recovery. */
export async function bootEdge(runtime: RuntimePorts): Promise<EdgeApp> {
  const { settings, mypos, stores, logger, clock } = runtime;
  // The protocol profile: the WSDL (when myPOS serves it), the environment, what the doctor learned.
  const learned = learnedFor(mypos.endpoint, await stores.protocol.loadProtocolProfile());
  const started = await startProfile(mypos, learned, runtime.profileStart?.logger ?? logger, fetch, runtime.profileStart?.timeoutMs);
  // Every exchange is stored: before the first send (write-before-talk), then each answer.
  const loaded = await loadMypos(
    mypos,
    runtime.transport,
    {
      timings: settings.gateway,
      beforeSend: (signed) => stores.store.recordExchange({ ...exchangeOf(signed, 0, clock.now()), phase: 'sending' }),
      onExchange: (exchange) => {
        if (exchange.verified === false) logger.warn('myPOS answer failed signature verification', { ruid: exchange.ruid, method: exchange.method });
        runtime.onExchange?.(exchange);
        return stores.store.recordExchange({ ...exchange, phase: 'answered' });
      },
    },
    started.profile,
  );
  logger.info('myPOS protocol profile', { sources: JSON.stringify(started.sources), learnedAt: learned?.learnedAt });

  const certificates = reportOf([{ name: 'mypos', certificates: loaded.myposCertificates }, ...(runtime.certificates ?? [])], clock.now());
  for (const report of certificates.filter((c) => c.expiresSoon)) logger.warn('certificate expires soon', { certificate: report.name, notAfter: report.notAfter, daysLeft: report.daysLeft });
  const protocol = new ProtocolService({
    settings: mypos,
    loaded,
    transport: runtime.transport,
    store: stores.protocol,
    certificates: certificates.map(({ name, notAfter }) => ({ name, notAfter })),
    logger,
    newRuid,
    started,
    learned,
  });
  const online = runtime.online ? await onlinePorts(runtime, runtime.online) : undefined;
  const onlineTerminal: KnownTerminal[] = online ? [{ transport: 'online', tid: ONLINE_TID, currency: settings.shop.currency }] : [];
  await saveKnownTerminals(stores.store, [...(runtime.terminals ?? []), ...onlineTerminal], clock.now());

  const edge: EdgeApp = createApp({
    store: stores.store,
    access: stores.access,
    catalogue: stores.catalogue,
    ledger: stores.ledger,
    gateway: loaded.gateway,
    lanLinks: runtime.lanLinks,
    bus: new InMemoryEventBus(),
    scheduler: runtime.scheduler,
    clock,
    logger,
    newRuid,
    protocol,
    health: async () => ({ ...runtime.health(), mypos: new URL(mypos.endpoint).host, certificates, protocol: protocol.current().sources, backup: settings.backupHealth?.() }),
    clientAddress: runtime.clientAddress,
    auditKey: runtime.auditKey,
    auditHead: runtime.auditHead,
    config: settings,
    online,
  });
  await edge.audit.start();
  await recover(edge, runtime.recover, logger);
  return edge;
}

/** myPOS's page lives 60 s to a day (expires_in): a shorter link (a test's) still gets a valid form; the edge's own expiry decides. */
const myposExpiresIn = (linkTtlMs: number) => Math.min(DEFAULT_EXPIRES_IN_SECONDS, Math.max(60, Math.ceil(linkTtlMs / 1000)));

/** The online channel's ports: IPC keys read (a bad one stops start-up, named), its calls, the links' key. */
async function onlinePorts(runtime: RuntimePorts, online: OnlineSettings): Promise<OnlinePorts> {
  const keys = await loadIpcKeys(online.ipc);
  const { gateway, forms } = ipcCheckout({ settings: online.ipc, signer: keys.signer, verifier: keys.verifier, transport: runtime.transport, capCents: runtime.settings.capCents, expiresInSeconds: myposExpiresIn(online.linkTtlMs) });
  return { gateway, forms, linkKey: runtime.auditKey ?? (await ephemeralLinkKey()), linkTtlMs: online.linkTtlMs, pollMs: online.pollMs, tid: ONLINE_TID };
}

async function recover(edge: EdgeApp, scope: Recovery, logger: Logger): Promise<void> {
  if (scope === 'none') return;
  // LAN payments first (one cut off by the restart is failed or unknown, never resent), then cloud.
  const resumed = await edge.payments.recover(scope === 'all' ? undefined : scope.tid);
  if (resumed > 0) logger.info('resumed payments in flight', { count: resumed });
  if (scope !== 'all') return;
  // Subscriptions still waiting for their code, within their time: watched again.
  const watched = await edge.terminals.resume();
  if (watched > 0) logger.info('terminals waiting for their code', { count: watched });
}
