/**
 * The page's service worker (Workbox): the app shell (index.html, the hashed scripts and styles, the
 * icons and the manifest) is precached at install, so the page opens with no network. Every
 * navigation gets the precached index.html; config.json is fetched first and its last copy used
 * offline. The API is not cached here: the page keeps its own last data per user in IndexedDB
 * (client/src/offline), where it knows the data's age and whose it is.
 *
 * A new version waits until the page asks it to take over (SKIP_WAITING, sent by workbox-window
 * when the user accepts the update or the page has just started); the page then reloads once.
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api\//] }));
registerRoute(
  ({ url, sameOrigin }) => sameOrigin && url.pathname === '/config.json',
  new NetworkFirst({ cacheName: 'runtime-config', networkTimeoutSeconds: 5 }),
);

self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
