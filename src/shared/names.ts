/**
 * Every name that crosses a boundary (page, Web Workers, service worker, the browser's
 * background services, the push service), defined once. Each is a distinct string: one name
 * for two things would let a lock, a channel and a notification silently step on each other
 * (tests/unit/names.test.ts checks).
 */

/** Background Sync tag: the page registers it, the service worker answers it (sw/sync.ts). */
export const SYNC_TAG = 'steady-sync';
/** Periodic Background Sync tag for the nightly sync. */
export const PERIODIC_SYNC_TAG = 'nightly-sync';

/** Exclusive locks (src/shared/exclusive.ts: Web Locks, or a mutex in this context). */
export const LOCKS = {
  /** One sync run at a time, whoever starts it (src/db/sync-runner.ts). */
  syncRun: 'steady-sync-run',
  /** Creating or joining the account (src/account/). */
  account: 'steady-account',
  /** Subscribing to push and telling the server (src/shared/push-subscription-flow.ts). */
  pushSubscription: 'steady-push-subscription',
  /** Importing one transfer's archive, followed by its id (src/db/backup-transfers.ts). */
  importPrefix: 'steady-import-',
} as const;

/** BroadcastChannels; each carries one union of src/shared/messages.ts. */
export const CHANNELS = {
  /** `SyncBroadcast`: a sync run finished, in any context. */
  syncRuns: 'steady-sync-runs',
  /** `DocsBroadcast`: a document was saved on this device. */
  docs: 'steady-docs',
  /** `TransferBroadcast`: a backup transfer record changed. */
  transfers: 'steady-transfers',
} as const;

/** Notification tags: a notification replaces an earlier one with the same tag. */
export const NOTIFICATION_TAGS = {
  /** What a sync brought from other devices, or that it failed. */
  syncStatus: 'steady-sync-status',
  messages: 'steady-messages',
  pacing: 'steady-pacing',
} as const;

/** Web Push `Topic` values (RFC 8030 §5.4): a newer push replaces an undelivered one with the same topic. */
export const PUSH_TOPICS = {
  refresh: 'steady-refresh',
  sync: 'steady-sync-nudge',
  message: 'steady-message',
} as const;

/**
 * Dedicated Web Workers' names (`new Worker(url, { name })`): what DevTools and crash reports
 * call each, and `self.name` inside it. The trends worker runs in lanes, named `<trends>-<lane>`.
 */
export const WORKER_NAMES = {
  sync: 'steady-sync-worker',
  backup: 'steady-backup-worker',
  export: 'steady-export-worker',
  report: 'steady-report-worker',
  trends: 'steady-trends-worker',
} as const;

/** The trends worker's IndexedDB cache of per-day loads (derived data only); "delete everything" removes it too. */
export const TRENDS_CACHE_DB = 'steady-trends-cache';
