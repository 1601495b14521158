import type { Hono } from 'hono';
import type { Cents } from '../../shared/money.js';
import type { AuditHead } from './auth/audit.js';
import type { AuditLog } from './auth/audit-log.js';
import type { ShopSettings } from './env-settings.js';
import type { ClientAddress, EdgeEnv } from './http/auth.js';
import type { ReceiptOptions } from './lan/iqom-xml.js';
import type { LanLinks } from './lan/lan-link.js';
import type { GatewayTimings, MyposGateway } from './mypos/gateway.js';
import type { ProtocolService } from './mypos/protocol-service.js';
import type { MachineTimings } from './payments/machine.js';
import type { OnlinePorts } from './payments/checkout-ports.js';
import type { PaymentService } from './payments/payment-service.js';
import type { AccessStore, CatalogueStore, Clock, EventBus, LedgerStore, Logger, PaymentStore, Scheduler } from './ports.js';
import type { TerminalService, TerminalWatchTimings } from './terminals.js';

// What the edge's app is made of (its ports, given by edge/core/boot.ts from a runtime's adapters)
// and what it hands back to the runtime.

export interface EdgePorts {
  readonly store: PaymentStore;
  readonly access: AccessStore;
  readonly catalogue: CatalogueStore;
  readonly ledger: LedgerStore;
  readonly gateway: MyposGateway;
  /** TCP links to LAN terminals (the Node adapter); a runtime without sockets has no LAN terminals. */
  readonly lanLinks: LanLinks;
  readonly bus: EventBus;
  readonly scheduler: Scheduler;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly newRuid: () => string;
  /** The protocol profile in use and the doctor (GET /api/mypos/profile, POST /api/mypos/doctor). */
  readonly protocol?: ProtocolService;
  /** What GET /api/health reports to an admin beyond the store: mode, myPOS host, certificates, clock, protocol. */
  readonly health: () => Promise<HealthDetails>;
  /**
   * The address a request comes from, for the limits on failed pairing and unknown credentials
   * (Node: the socket, or the proxy's X-Forwarded-For behind EDGE_BEHIND_PROXY; Workers:
   * cf-connecting-ip). Default: the socket where the runtime shows it.
   */
  readonly clientAddress?: ClientAddress | undefined;
  /**
   * The audit lines' HMAC key (importAuditKey of EDGE_AUDIT_KEY, or of the Node edge's audit-key
   * file). Both adapters set it; without it lines carry no MAC (and a warning is logged).
   */
  readonly auditKey?: CryptoKey | undefined;
  /** Where the audit chain's end is appended at every line (Node: audit-head.log); Workers have none. */
  readonly auditHead?: AuditHead | undefined;
  /** The settings table: both runtimes read it from their environment with edgeSettings (boot.ts). */
  readonly config: EdgeSettings;
  /** myPOS Online Checkout (pay by QR or link), when the shop has it (MYPOS_IPC_SID; always in demo mode). */
  readonly online?: OnlinePorts | undefined;
}

/** The app's settings (README "Configuration"), whatever the runtime (read by edgeSettings in boot.ts). */
export interface EdgeSettings {
  readonly version: string;
  /** AMOUNT_CAP: the largest amount of one payment. */
  readonly capCents: Cents;
  readonly ssePingMs: number;
  /** PAYMENT_*: the payment machine's checks and waits. */
  readonly timings: MachineTimings;
  /** MYPOS_*: timeouts, resends and the per-login budget of the myPOS gateway. */
  readonly gateway: GatewayTimings;
  /** EDGE_ADMIN_TOKEN: the admin's Bearer credential. */
  readonly adminToken: string;
  /** The shop currency and the give-back limits of devices that are not admins. */
  readonly shop: ShopSettings;
  /** Requests a minute per device. */
  readonly deviceRateLimit: number;
  /** Which receipts a LAN terminal prints. */
  readonly lanReceipts: ReceiptOptions;
  /** TERMINAL_CODE_POLL_MS, TERMINAL_CODE_WAIT_MS: the check for a typed subscription code. */
  readonly terminalWatch: TerminalWatchTimings;
  /** EDGE_PUBLIC_URL: the origin of pairing links, never the request's Host header. */
  readonly publicUrl: string | undefined;
  /**
   * Node: the state of the database's backups (EDGE_BACKUP_*), for GET /api/health. A function, as
   * it is read from the backup folder at each request. Workers keep none (their storage is Cloudflare's).
   */
  readonly backupHealth?: (() => BackupHealth) | undefined;
}

export interface EdgeApp {
  readonly app: Hono<EdgeEnv>;
  /** Every payment, whatever its channel; recover() after a start (recovery order: LAN, then cloud). */
  readonly payments: PaymentService;
  readonly audit: AuditLog;
  /** Terminal setup; its watchers resume at start (Node). */
  readonly terminals: TerminalService;
  readonly protocol: ProtocolService | undefined;
}

/** What a runtime says of itself in GET /api/health. */
export interface RuntimeHealth {
  readonly mode: 'demo' | 'live' | 'workers';
  /** Node: how far this machine's clock is from myPOS's (the Date of verified answers). */
  readonly clockOffsetMs?: number | undefined;
}

/** A certificate the edge relies on, and how long it has left. */
export interface CertificateReport {
  readonly name: string;
  readonly subject: string;
  readonly notAfter: string;
  readonly daysLeft: number;
  readonly expiresSoon: boolean;
}

/** The Node edge's database backups in GET /api/health: codes and numbers only, the till owns the words. */
export interface BackupHealth {
  /** When the newest good backup was taken (ISO 8601), and how many seconds ago; absent when there is none. */
  readonly lastAt?: string | undefined;
  readonly ageSeconds?: number | undefined;
  /** EDGE_BACKUP_EVERY in seconds; 0: no schedule (backups by `npm run backup` only). */
  readonly everySeconds: number;
  /** failing: the last attempt failed; none_yet: no backup kept; stale: the newest is older than twice the schedule. */
  readonly warning?: 'failing' | 'none_yet' | 'stale' | undefined;
}

/** GET /api/health beyond the store: the runtime's part, myPOS's host, the certificates, the protocol profile's sources. */
export interface HealthDetails extends RuntimeHealth {
  readonly mypos: string;
  readonly certificates: readonly CertificateReport[];
  readonly protocol: ReturnType<ProtocolService['current']>['sources'];
  /** Node: the backups of the database (EdgeSettings.backupHealth). */
  readonly backup?: BackupHealth | undefined;
}
