import { Workbox } from 'workbox-window';
import { activity } from './activity.svelte.js';

// The service worker, registered with workbox-window. A new version waits until the cashier says
// "update", and the button is not offered while a payment is in flight: a reload must never cut
// a payment in half.

export const update = $state({ ready: false, registered: false });

let workbox: Workbox | undefined;

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !import.meta.env.PROD) return;
  workbox = new Workbox('/sw.js', { scope: '/' });
  workbox.addEventListener('waiting', () => (update.ready = true));
  workbox.addEventListener('controlling', () => {
    if (!activity.paymentInFlight) location.reload();
  });
  void workbox.register().then(() => (update.registered = true));
}

export function applyUpdate(): void {
  if (activity.paymentInFlight || !workbox) return;
  workbox.messageSkipWaiting();
}
