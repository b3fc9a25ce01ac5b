import type { SyncLogEntry } from './sync/sync-store';

/**
 * Messages between the page, the service worker and the sync Web Worker, and the payloads of
 * the BroadcastChannels (names in names.ts), defined once. The other Web Workers' unions sit
 * beside their features: trends-messages.ts, backup.ts (BackupWorkerRequest/Response),
 * export/protocol.ts. Every handler is an exhaustive `switch` ending in `assertNever`.
 */

/** Page → service worker. */
export type PageToServiceWorker =
  /** Sent by workbox-window's `messageSkipWaiting()` when the user accepts an update. */
  { type: 'SKIP_WAITING' };

/** Narrowing guard for `message` events whose data came from another context. */
export function isPageToServiceWorker(data: unknown): data is PageToServiceWorker {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'SKIP_WAITING';
}

/** Page → sync Web Worker. */
export type SyncWorkerRequest = { type: 'RUN_SYNC'; trigger: 'page' | 'manual'; requestId: number };

/** Sync Web Worker → page. */
export type SyncWorkerResponse = { type: 'SYNC_RESULT'; requestId: number; entry: SyncLogEntry };

/** Broadcast on `CHANNELS.syncRuns` by whoever ran a sync (page, sync worker or service worker). */
export type SyncBroadcast = { type: 'SYNC_FINISHED'; entry: SyncLogEntry };

/** Broadcast on `CHANNELS.docs` after a document was saved on this device (src/db/docs.ts). */
export type DocsBroadcast = { type: 'DOC_SAVED'; kind: string; id: string };
