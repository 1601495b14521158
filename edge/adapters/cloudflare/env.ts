import type { StoreObject } from './store-object.js';
import type { TerminalObject } from './terminal-object.js';

/**
 * The Worker's bindings (wrangler.jsonc): the two Durable Object classes, plain settings as vars,
 * and the keys as secrets (`wrangler secret put MYPOS_PRIVATE_KEY`), never in the config file.
 */
export interface WorkerEnv {
  readonly STORE: DurableObjectNamespace<StoreObject>;
  readonly TERMINAL: DurableObjectNamespace<TerminalObject>;
  /** The built PWA (dist/web) as static assets, when configured. */
  readonly ASSETS?: Fetcher;
  /** "test", "production" or a URL. */
  readonly MYPOS_ENDPOINT: string;
  readonly MYPOS_LOGIN: string;
  /** Secret: the partner's private key, PEM (PKCS#8 or PKCS#1). */
  readonly MYPOS_PRIVATE_KEY: string;
  /** Secret or var: myPOS's certificate, PEM. */
  readonly MYPOS_CERT: string;
  /** Secret: the admin's Bearer credential (at least 32 characters). */
  readonly EDGE_ADMIN_TOKEN: string;
  /** Secret: the key of the audit lines' HMAC (at least 32 characters), kept apart from the store. */
  readonly EDGE_AUDIT_KEY: string;
  /** Var: the origin the till and the customers' links use (https). Also myPOS's notify URL: <origin>/api/ipc/notify. */
  readonly EDGE_PUBLIC_URL?: string;
  /** Var: the Online Checkout's store id (SID); unset: no pay by QR or link. The rest is required with it. */
  readonly MYPOS_IPC_SID?: string;
  /** Var: the myPOS client (wallet) number, 11 digits. */
  readonly MYPOS_IPC_WALLET?: string;
  /** Var: the index myPOS shows for our Online Checkout key. */
  readonly MYPOS_IPC_KEY_INDEX?: string;
  /** Var: "test", "production" or a URL. */
  readonly MYPOS_IPC_ENDPOINT?: string;
  /** Secret: our Online Checkout private key, PEM (no _FILE on Workers). */
  readonly MYPOS_IPC_PRIVATE_KEY?: string;
  /** Secret or var: myPOS's Online Checkout certificate, PEM. */
  readonly MYPOS_IPC_CERT?: string;
  /** Var: how long a link takes payments (ms, 15 min), and the IPCGetTxnStatus pace while it waits (ms, 10 s). */
  readonly MYPOS_IPC_LINK_TTL_MS?: string;
  readonly MYPOS_IPC_POLL_MS?: string;
  readonly [setting: string]: unknown;
}

/** The string settings of the env, as the shared settings readers take them. */
export function settingsOf(env: WorkerEnv): Record<string, string | undefined> {
  const settings: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') settings[name] = value;
  return settings;
}
