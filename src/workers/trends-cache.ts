import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { DayKey } from '../shared/days';
import { TRENDS_CACHE_DB } from '../shared/names';
import type { ZoneBounds } from '../shared/pacing/zones';
import type { DayLoadSummary } from '../shared/trends/day-rows';

/**
 * Each day's heart-rate load, remembered so the 90-day view does not re-read ~7.8 million samples
 * every time it opens. Derived data only, in its own database so it never touches the app's
 * schema (src/db/schema.ts) and can be dropped at any time: deleting it loses nothing.
 *
 * An entry holds while its day still has the same number of chunks and the same zone bounds; a
 * chunk recorded or synced in later, or a new resting HR, makes it stale. Entries are shown first
 * and checked right after (src/workers/trends-jobs.ts), since counting 90 days' chunks takes
 * longer than drawing them.
 */
const CACHE_DB = TRENDS_CACHE_DB;
const CACHE_VERSION = 1;
/** Bump when the load maths changes, so old entries are recounted. */
const FORMULA = 2;

export interface CacheEntry {
  day: DayKey;
  formula: number;
  chunkCount: number;
  restBelow: number;
  threshold: number;
  load: DayLoadSummary | null;
}

interface TrendsCacheSchema extends DBSchema {
  days: { key: DayKey; value: CacheEntry };
}

let opening: Promise<IDBPDatabase<TrendsCacheSchema> | null> | null = null;

function cacheDb(): Promise<IDBPDatabase<TrendsCacheSchema> | null> {
  opening ??= openDB<TrendsCacheSchema>(CACHE_DB, CACHE_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) db.createObjectStore('days', { keyPath: 'day' });
    },
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase).close();
      opening = null;
    },
    terminated() {
      opening = null;
    },
  }).catch((error: unknown) => {
    // Without a cache the trends are only slower, never wrong: count from the samples every time.
    console.warn('Steady: trends cache unavailable', error);
    opening = null;
    return null;
  });
  return opening;
}

/** The cache entries of the days from `first` to `last`, in one read. */
export async function cachedLoads(first: DayKey, last: DayKey): Promise<Map<DayKey, CacheEntry>> {
  const entries = (await (await cacheDb())?.getAll('days', IDBKeyRange.bound(first, last))) ?? [];
  return new Map(entries.map((entry) => [entry.day, entry]));
}

/** True when an entry was counted with these bounds (and, when given, this many chunks) by the current formula. */
export function entryHolds(entry: CacheEntry, bounds: ZoneBounds, chunkCount?: number): boolean {
  return (
    entry.formula === FORMULA &&
    entry.restBelow === bounds.restBelow &&
    entry.threshold === bounds.threshold &&
    (chunkCount === undefined || entry.chunkCount === chunkCount)
  );
}

/** Remembers a day's load for these chunks and bounds. */
export async function storeLoad(day: DayKey, chunkCount: number, bounds: ZoneBounds, load: DayLoadSummary | null): Promise<void> {
  await (await cacheDb())?.put('days', {
    day,
    formula: FORMULA,
    chunkCount,
    restBelow: bounds.restBelow,
    threshold: bounds.threshold,
    load,
  });
}

/** Forgets every cached day (the data was deleted, or a test starts over). */
export async function clearTrendsCache(): Promise<void> {
  await (await cacheDb())?.clear('days');
}
