import type { AccessStore, DeviceRole } from '../ports.js';
import { pairingCode, sha256Hex } from './tokens.js';

/** Makes a one-time pairing code; only its hash is stored. Returns the code, to show once. */
export async function createPairingCode(access: AccessStore, role: DeviceRole, terminals: readonly string[], ttlSeconds: number, now: number): Promise<{ code: string; expiresAt: number }> {
  const code = pairingCode();
  const expiresAt = now + ttlSeconds * 1000;
  await access.savePairingCode({ codeHash: await sha256Hex(code), role, terminals, expiresAt, createdAt: new Date(now).toISOString() });
  return { code, expiresAt };
}
