import { signal } from '@preact/signals';
import { IdbSyncStore } from '../db/sync-store';
import { assertNever } from '../shared/assert-never';
import { PAGE_SYNC_INTERVAL_MS } from '../shared/background-tags';
import type { SyncBroadcast, SyncWorkerRequest, SyncWorkerResponse } from '../shared/messages';
import { CHANNELS, WORKER_NAMES } from '../shared/names';
import type { SyncLogEntry } from '../shared/sync/sync-store';
import { WorkerClient, WorkerFailedError } from '../ui/worker-client';
import { registerBackgroundSync } from './background-registration';

/** The newest finished run, from this page or the service worker. The Sync screen observes it. */
export const lastRun = signal<SyncLogEntry | null>(null);
/** True while this page has asked for a run that has not finished. */
export const syncing = signal(false);

let nextRequestId = 1;

/** The sync Web Worker, started on first use; this module is its only owner. */
const worker = new WorkerClient<SyncWorkerRequest, SyncWorkerResponse>(
  'sync',
  () => new Worker(new URL('../workers/sync-worker.ts', import.meta.url), { type: 'module', name: WORKER_NAMES.sync }),
);

/** Runs a sync in the worker; when it could not finish, asks the browser to retry in the background. */
export async function syncNow(trigger: 'page' | 'manual'): Promise<SyncLogEntry> {
  syncing.value = true;
  try {
    const requestId = nextRequestId++;
    const startedAt = Date.now();
    const entry = await worker
      .call<SyncLogEntry>({ type: 'RUN_SYNC', trigger, requestId }, (reply, settle) => {
        switch (reply.type) {
          case 'SYNC_RESULT':
            if (reply.requestId === requestId) settle.resolve(reply.entry);
            break;
          default:
            assertNever(reply.type);
        }
      })
      .catch(async (error: unknown) => {
        if (!(error instanceof WorkerFailedError)) throw error;
        // The run never started: nothing was sent or changed. It goes in the log like any run
        // (the Sync screen shows it), and the next trigger starts a fresh worker.
        const failed = failedRun(trigger, startedAt, error.message);
        await new IdbSyncStore().appendLog(failed);
        lastRun.value = failed;
        return failed;
      });
    if (entry.outcome === 'offline' || entry.outcome === 'retry-later' || entry.outcome === 'error') {
      await registerBackgroundSync();
    }
    return entry;
  } finally {
    syncing.value = false;
  }
}

function failedRun(trigger: 'page' | 'manual', startedAt: number, error: string): SyncLogEntry {
  return {
    trigger,
    startedAt,
    durationMs: Date.now() - startedAt,
    upRecords: 0,
    upBytes: 0,
    downRecords: 0,
    downBytes: 0,
    outcome: 'error',
    error,
  };
}

/**
 * Page-driven triggers: on open, when the browser comes back online, when the page becomes
 * visible again, and every few minutes while it stays visible. These are all Firefox and
 * Safari have; elsewhere they complement Background Sync and Periodic Background Sync.
 */
export function startPageSync(abort: AbortSignal): void {
  const run = () => void syncNow('page');
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible' && !syncing.value) run();
  }, PAGE_SYNC_INTERVAL_MS);
  abort.addEventListener('abort', () => clearInterval(timer), { once: true });
  window.addEventListener('online', run, { signal: abort });
  document.addEventListener(
    'visibilitychange',
    () => {
      if (document.visibilityState === 'visible') run();
    },
    { signal: abort },
  );
  const channel = new BroadcastChannel(CHANNELS.syncRuns);
  channel.addEventListener('message', (event: MessageEvent<SyncBroadcast>) => {
    const broadcast = event.data;
    switch (broadcast.type) {
      case 'SYNC_FINISHED':
        lastRun.value = broadcast.entry;
        break;
      default:
        assertNever(broadcast.type);
    }
  });
  abort.addEventListener('abort', () => channel.close(), { once: true });
  run();
}
