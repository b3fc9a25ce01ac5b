import { useEffect, useState } from 'preact/hooks';
import { openSteadyDb } from '../db/schema';
import type { AttentionItem, SyncLogEntry } from '../shared/sync/sync-store';
import { lastRun } from './sync-client';

export interface SyncOverview {
  /** Newest first. */
  log: SyncLogEntry[];
  outboxSize: number;
  attention: AttentionItem[];
  lastSuccess: SyncLogEntry | null;
}

const SUCCESS: SyncLogEntry['outcome'][] = ['ok', 'nothing-to-do'];

/** Reads the background log and outbox state from IndexedDB. */
export async function readSyncOverview(limit = 50): Promise<SyncOverview> {
  const db = await openSteadyDb();
  const tx = db.transaction(['syncLog', 'outbox', 'attention'], 'readonly');
  const log: SyncLogEntry[] = [];
  let lastSuccess: SyncLogEntry | null = null;
  for (let cursor = await tx.objectStore('syncLog').openCursor(null, 'prev'); cursor; cursor = await cursor.continue()) {
    if (log.length < limit) log.push(cursor.value);
    // Background Fetch transfers share the log but are not syncs.
    if (!lastSuccess && cursor.value.trigger !== 'backgroundfetch' && SUCCESS.includes(cursor.value.outcome)) lastSuccess = cursor.value;
    if (log.length >= limit && lastSuccess) break;
  }
  const [outboxSize, attention] = await Promise.all([tx.objectStore('outbox').count(), tx.objectStore('attention').getAll()]);
  await tx.done;
  return { log, outboxSize, attention, lastSuccess };
}

/** The overview, re-read whenever a run finishes anywhere (page or service worker). */
export function useSyncOverview(): [SyncOverview | null, () => void] {
  const [overview, setOverview] = useState<SyncOverview | null>(null);
  const [tick, setTick] = useState(0);
  const run = lastRun.value;
  useEffect(() => {
    let live = true;
    void readSyncOverview().then((value) => {
      if (live) setOverview(value);
    });
    return () => {
      live = false;
    };
  }, [run, tick]);
  return [overview, () => setTick((n) => n + 1)];
}
