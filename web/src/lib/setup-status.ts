import { api } from './api.js';
import { stored } from './platform/storage.js';

// The owner's first run: what is done, read from the edge's own data (never a local tick box).

export type SetupStep = 'shop' | 'terminal' | 'products' | 'till';
export const SETUP_STEPS: readonly SetupStep[] = ['shop', 'terminal', 'products', 'till'];

/** true done, false not yet, undefined not known (the edge did not answer). */
export type SetupStatus = Readonly<Record<SetupStep, boolean | undefined>>;

export async function setupStatus(): Promise<SetupStatus> {
  const [shop, terminals, products, devices] = await Promise.all([api.shop(), api.terminals(), api.products(), api.devices()]);
  return {
    shop: shop.ok ? shop.data.shop.updatedAt !== undefined : undefined,
    terminal: terminals.ok ? terminals.data.terminals.some((terminal) => terminal.state === 'active') : undefined,
    products: products.ok ? products.data.products.length > 0 : undefined,
    till: devices.ok ? devices.data.devices.some((device) => device.role === 'till' && !device.revokedAt) : undefined,
  };
}

export function doneCount(status: SetupStatus): number {
  return SETUP_STEPS.filter((step) => status[step] === true).length;
}

/** The owner hid the checklist on this device. */
export function setupDismissed(): boolean {
  return stored.setupDismissed.get() === '1';
}

export function dismissSetup(): void {
  stored.setupDismissed.set('1');
}
