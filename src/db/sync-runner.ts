import { exclusive } from '../shared/exclusive';
import type { SyncBroadcast } from '../shared/messages';
import { CHANNELS, LOCKS } from '../shared/names';
import { runSync } from '../shared/sync/engine';
import type { SyncLogEntry, SyncTrigger } from '../shared/sync/sync-store';
import { gunzip, gzip } from './gzip';
import { openSteadyDb } from './schema';
import { IdbSyncStore } from './sync-store';

/**
 * Runs one sync under `LOCKS.syncRun`, so that tabs, the sync worker and the service
 * worker never run two at once (where Web Locks are missing, only this context is guarded: see
 * `exclusive`); a caller that finds a run going waits for it and
 * then runs (its trigger may have new data behind it).
 */
export async function runSyncExclusive(
  trigger: SyncTrigger,
  options: { lastChance?: boolean; signal?: AbortSignal } = {},
): Promise<SyncLogEntry> {
  const entry = await exclusive(LOCKS.syncRun, { signal: options.signal }, async () => {
    const credentials = await (await openSteadyDb()).get('meta', 'credentials');
    const store = new IdbSyncStore(openSteadyDb, credentials?.accountId ?? null);
    if (!credentials) {
      const skipped = unfinished(trigger, 'not-signed-in', 'this device has no account yet');
      await store.appendLog(skipped);
      return skipped;
    }
    return runSync({
      store,
      fetch: (input, init) => fetch(input, init),
      baseUrl: '',
      token: credentials.deviceToken,
      trigger,
      compress: gzip,
      decompress: gunzip,
      newBatchId: () => crypto.randomUUID(),
      signal: options.signal,
      lastChance: options.lastChance,
    });
  }).catch((error: unknown) => {
    if (options.signal?.aborted) throw error;
    // runSync reports network and server trouble itself; what lands here is this device's
    // storage failing (site data cleared, disk full) even for the log. Callers still get an
    // answer: the page's "Sync now" must not wait forever, the service worker must not throw.
    return unfinished(trigger, 'error', `could not use this device's storage (${error instanceof Error ? error.message : String(error)})`);
  });
  const channel = new BroadcastChannel(CHANNELS.syncRuns);
  channel.postMessage({ type: 'SYNC_FINISHED', entry } satisfies SyncBroadcast);
  channel.close();
  return entry;
}

function unfinished(trigger: SyncTrigger, outcome: SyncLogEntry['outcome'], error: string): SyncLogEntry {
  return { trigger, startedAt: Date.now(), durationMs: 0, upRecords: 0, upBytes: 0, downRecords: 0, downBytes: 0, outcome, error };
}
