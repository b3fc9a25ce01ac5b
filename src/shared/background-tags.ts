/** Chrome never fires periodic sync more often than every 12 hours. */
export const PERIODIC_SYNC_MIN_INTERVAL = 12 * 60 * 60 * 1000;
/** How often an open, visible page syncs by itself: what retries a failed upload where Background Sync is missing. */
export const PAGE_SYNC_INTERVAL_MS = 5 * 60_000;
