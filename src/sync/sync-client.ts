import { signal } from '@preact/signals';
import { SYNC_CHANNEL } from '../db/sync-runner';
import { PAGE_SYNC_INTERVAL_MS } from '../shared/background-tags';
import type { SyncBroadcast, SyncWorkerRequest, SyncWorkerResponse } from '../shared/messages';
import type { SyncLogEntry } from '../shared/sync/sync-store';
import { registerBackgroundSync } from './background-registration';

/** The newest finished run, from this page or the service worker. The Sync screen observes it. */
export const lastRun = signal<SyncLogEntry | null>(null);
/** True while this page has asked for a run that has not finished. */
export const syncing = signal(false);

let worker: Worker | null = null;
let nextRequestId = 1;
const waiting = new Map<number, (entry: SyncLogEntry) => void>();

/** The sync Web Worker, started on first use; this module is its only owner. */
function syncWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('../workers/sync-worker.ts', import.meta.url), { type: 'module', name: 'steady-sync' });
    worker.addEventListener('message', (event: MessageEvent<SyncWorkerResponse>) => {
      const response = event.data;
      switch (response.type) {
        case 'SYNC_RESULT':
          waiting.get(response.requestId)?.(response.entry);
          waiting.delete(response.requestId);
          break;
      }
    });
  }
  return worker;
}

/** Runs a sync in the worker; when it could not finish, asks the browser to retry in the background. */
export async function syncNow(trigger: 'page' | 'manual'): Promise<SyncLogEntry> {
  syncing.value = true;
  try {
    const requestId = nextRequestId++;
    const entry = await new Promise<SyncLogEntry>((resolve) => {
      waiting.set(requestId, resolve);
      syncWorker().postMessage({ type: 'RUN_SYNC', trigger, requestId } satisfies SyncWorkerRequest);
    });
    if (entry.outcome === 'offline' || entry.outcome === 'retry-later' || entry.outcome === 'error') {
      await registerBackgroundSync();
    }
    return entry;
  } finally {
    syncing.value = false;
  }
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
  const channel = new BroadcastChannel(SYNC_CHANNEL);
  channel.addEventListener('message', (event: MessageEvent<SyncBroadcast>) => {
    if (event.data.type === 'SYNC_FINISHED') lastRun.value = event.data.entry;
  });
  abort.addEventListener('abort', () => channel.close(), { once: true });
  run();
}
