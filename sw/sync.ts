import { runSyncExclusive } from '../src/db/sync-runner';
import { PERIODIC_SYNC_TAG, SYNC_TAG } from '../src/shared/names';
import { keepPushSubscription } from './push-subscription';

declare const self: ServiceWorkerGlobalScope;

/**
 * Background Sync and Periodic Background Sync: the same sync run as the page's, while no
 * page may be open (https://wicg.github.io/background-sync/spec/,
 * https://wicg.github.io/periodic-background-sync/; types in src/types/).
 */
export function handleSyncEvents(): void {
  self.addEventListener('sync', (sync) => {
    if (sync.tag !== SYNC_TAG) return;
    sync.waitUntil(
      runSyncExclusive('sync', { lastChance: sync.lastChance }).then(async (entry) => {
        // Each wake-up is also a chance to notice a changed push key (never throws).
        await keepPushSubscription('sync');
        // Rejecting asks the browser to fire `sync` again later, with backoff. On the last
        // chance it will not; the log says so and the next trigger carries on.
        const unfinished = entry.outcome === 'offline' || entry.outcome === 'retry-later' || entry.outcome === 'error';
        if (unfinished && !sync.lastChance) throw new Error(`sync unfinished: ${entry.error ?? entry.outcome}`);
      }),
    );
  });
  self.addEventListener('periodicsync', (periodic) => {
    if (periodic.tag !== PERIODIC_SYNC_TAG) return;
    periodic.waitUntil(runSyncExclusive('periodicsync').then(() => keepPushSubscription('periodicsync')));
  });
}
