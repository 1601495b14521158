import type { OnlineSettings } from '../../core/boot.js';
import { ConfigError, type Env } from '../../core/env-settings.js';
import { ipcSettings, onlineTimings } from '../../core/ipc/settings.js';

// Pay by QR or link (myPOS Online Checkout) from the Worker's vars and secrets, read by the same
// core code as on Node (edge/core/ipc/settings.ts). No Workers types here, so it is tried in Node.

/**
 * The online channel's settings, or undefined when MYPOS_IPC_SID is unset (no online channel).
 * The keys are PEM text (secrets): a Worker reads no files, so a _FILE variant is refused, named.
 */
export function workerOnline(settings: Env): OnlineSettings | undefined {
  for (const name of ['MYPOS_IPC_PRIVATE_KEY', 'MYPOS_IPC_CERT']) {
    if ((settings[`${name}_FILE`] ?? '') !== '') throw new ConfigError(`${name}_FILE is not read on Workers: put the PEM text in the secret ${name} (wrangler secret put ${name})`);
  }
  const ipc = ipcSettings(settings);
  return ipc ? { ipc, ...onlineTimings(settings) } : undefined;
}
