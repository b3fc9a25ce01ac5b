import { clientsClaim } from 'workbox-core';
import { assertNever } from '../src/shared/assert-never';
import { isPageToServiceWorker } from '../src/shared/messages';

declare const self: ServiceWorkerGlobalScope;

/**
 * Update flow: a new worker installs and then waits. It takes over only when the user accepts
 * the page's "new version ready" prompt (SKIP_WAITING) — never by itself, so code is never
 * swapped under a running page. The very first worker claims its clients at once.
 */
export function handleLifecycle(): void {
  clientsClaim();
  self.addEventListener('message', (event) => {
    if (!isPageToServiceWorker(event.data)) return;
    switch (event.data.type) {
      case 'SKIP_WAITING':
        void self.skipWaiting();
        break;
      default:
        assertNever(event.data.type);
    }
  });
}
