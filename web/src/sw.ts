/// <reference lib="webworker" />
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

// The till's service worker: the app shell is precached so the till opens with no network.
// Navigations get the shell, except the API: a payment request must never be answered from here.
// No runtime caching or background sync of /api (DECISIONS: payments are the page's outbox job).

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);
// /tls/ca.crt is a download (the local CA for a tablet), not a page of the till.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api(\/|$)/, /^\/healthz$/, /^\/tls\//] }));

// A new version waits until the page says so (the update prompt, never during a payment).
self.addEventListener('message', (event: ExtendableMessageEvent) => {
  if ((event.data as { type?: string } | undefined)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
