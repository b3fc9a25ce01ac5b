import type { SyncLogEntry } from './sync/sync-store';

/**
 * Every message between the page and the service worker, defined once.
 * Handled with exhaustive `switch` statements on `type`.
 */

/** Page → service worker. */
export type PageToWorkerMessage =
  /** Sent by workbox-window's `messageSkipWaiting()` when the user accepts an update. */
  { type: 'SKIP_WAITING' };

/** Service worker → page. */
export type WorkerToPageMessage = { type: 'WORKER_ACTIVATED'; version: string };

/** Narrowing guard for `message` events whose data came from another context. */
export function isPageToWorkerMessage(data: unknown): data is PageToWorkerMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'SKIP_WAITING';
}

/** Page → sync Web Worker. */
export type SyncWorkerRequest = { type: 'RUN_SYNC'; trigger: 'page' | 'manual'; requestId: number };

/** Sync Web Worker → page. */
export type SyncWorkerResponse = { type: 'SYNC_RESULT'; requestId: number; entry: SyncLogEntry };

/** Broadcast on the `steady-sync` BroadcastChannel by whoever ran a sync (page worker or service worker). */
export type SyncBroadcast = { type: 'SYNC_FINISHED'; entry: SyncLogEntry };

/** The BroadcastChannel on which every locally saved document is announced (tabs, workers, this page). */
export const DOCS_CHANNEL = 'steady-docs';

/** Broadcast on `steady-docs` after a document was saved on this device (src/db/docs.ts). */
export type DocsBroadcast = { type: 'DOC_SAVED'; kind: string; id: string };
