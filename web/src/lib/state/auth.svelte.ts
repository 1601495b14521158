// Whether this till is paired with the edge. The credential itself is an HttpOnly cookie the page
// never sees; the page only learns "paired" or "not paired" from the edge's answers. While it is
// checking, the till shows its screens (they work offline too); a 401 switches to pairing.

export interface DeviceInfo {
  readonly id: string;
  readonly name: string;
  readonly role: 'till' | 'admin';
  readonly terminals: readonly string[];
}

const PAIRED = 'till.paired';

export const auth = $state<{ status: 'checking' | 'paired' | 'unpaired'; device: DeviceInfo | undefined; admin: boolean }>({
  status: localStorage.getItem(PAIRED) ? 'paired' : 'checking',
  device: undefined,
  admin: false,
});

export function markUnpaired(): void {
  localStorage.removeItem(PAIRED);
  auth.status = 'unpaired';
  auth.device = undefined;
  auth.admin = false;
}

export function markPaired(device: DeviceInfo | undefined, admin: boolean): void {
  localStorage.setItem(PAIRED, '1');
  auth.status = 'paired';
  auth.device = device;
  auth.admin = admin;
}

/** Asks the edge who we are. Offline, a till that was paired stays paired (it works offline). */
export async function checkAuth(): Promise<void> {
  let response: Response;
  try {
    response = await fetch('/api/devices/me');
  } catch {
    if (auth.status === 'checking') auth.status = localStorage.getItem(PAIRED) ? 'paired' : 'unpaired';
    return;
  }
  if (response.status === 401) return markUnpaired();
  if (!response.ok) return;
  const me = (await response.json()) as { kind: 'admin' } | { kind: 'device'; device: DeviceInfo };
  markPaired(me.kind === 'device' ? me.device : undefined, me.kind === 'admin' || me.device.role === 'admin');
}
