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
