// Whether this till is paired with the edge. The credential itself is an HttpOnly cookie the page
// never sees; the page only learns "paired" or "not paired" from the edge's answers. While it is
// checking, the till shows its screens (they work offline too); a 401 from any request (net/http.ts
// announces it) switches to pairing.

import { onUnauthorized, send } from '../net/http.js';
import { stored } from '../platform/storage.js';

export interface DeviceInfo {
  readonly id: string;
  readonly name: string;
  readonly role: 'till' | 'admin';
  readonly terminals: readonly string[];
}

export const auth = $state<{ status: 'checking' | 'paired' | 'unpaired'; device: DeviceInfo | undefined; admin: boolean }>({
  status: stored.paired.get() ? 'paired' : 'checking',
  device: undefined,
  admin: false,
});

export function markUnpaired(): void {
  stored.paired.remove();
  auth.status = 'unpaired';
  auth.device = undefined;
  auth.admin = false;
}

onUnauthorized(markUnpaired);

export function markPaired(device: DeviceInfo | undefined, admin: boolean): void {
  stored.paired.set('1');
  auth.status = 'paired';
  auth.device = device;
  auth.admin = admin;
}

/** Asks the edge who we are. Offline, a till that was paired stays paired (it works offline). */
export async function checkAuth(): Promise<void> {
  let response: Response;
  try {
    response = await send('/api/devices/me');
  } catch {
    if (auth.status === 'checking') auth.status = stored.paired.get() ? 'paired' : 'unpaired';
    return;
  }
  // A 401 was announced by send(): markUnpaired has run.
  if (response.status === 401) return;
  if (!response.ok) return;
  const me = (await response.json()) as { kind: 'admin' } | { kind: 'device'; device: DeviceInfo };
  markPaired(me.kind === 'device' ? me.device : undefined, me.kind === 'admin' || me.device.role === 'admin');
}
