import { ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkOnly } from 'workbox-strategies';
import { API_PREFIX } from '../src/shared/routes';
import { answerOffline } from './offline-api';

declare const self: ServiceWorkerGlobalScope;

/**
 * The app shell: every built file is precached, so the app starts and navigates offline.
 * Data never goes through the HTTP cache: it lives in IndexedDB and moves by sync.
 */
export function routeAppShell(): void {
  precacheAndRoute(self.__WB_MANIFEST);
  cleanupOutdatedCaches();
  // Every in-app path (/settings, /trends, …) is the same single-page shell.
  registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [new RegExp(`^${API_PREFIX}`)] }));
  // The API is never cached: answers are per-device and authenticated. No answer at all becomes
  // the typed offline answer (./offline-api.ts).
  registerRoute(
    ({ url }) => url.origin === self.location.origin && url.pathname.startsWith(API_PREFIX),
    new NetworkOnly({ plugins: [answerOffline] }),
  );
  // A page still running the previous version may lazily ask for a chunk that left the
  // precache with the update; keep what was fetched so it keeps working offline.
  registerRoute(
    ({ url, request }) => url.origin === self.location.origin && url.pathname.startsWith('/assets/') && request.method === 'GET',
    new CacheFirst({ cacheName: 'steady-assets', plugins: [new ExpirationPlugin({ maxEntries: 60, maxAgeSeconds: 30 * 86400 })] }),
  );
}
