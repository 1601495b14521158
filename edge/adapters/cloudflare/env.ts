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
  readonly [setting: string]: unknown;
}

/** The string settings of the env, as the shared settings readers take them. */
export function settingsOf(env: WorkerEnv): Record<string, string | undefined> {
  const settings: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') settings[name] = value;
  return settings;
}
