import type { SteadyDb } from '../db/schema';
import { chunkId, MINUTE_MS, type RecordingGap, type SampleChunk } from '../shared/samples';

/** Chunks whose minute starts in [from, to), oldest first, all sources (callers filter). */
export function readChunks(db: SteadyDb, from: number, to = Number.POSITIVE_INFINITY): Promise<SampleChunk[]> {
  const range = Number.isFinite(to) ? IDBKeyRange.bound(from, to, false, true) : IDBKeyRange.lowerBound(from);
  return db.getAllFromIndex('chunks', 'byMinute', range);
}

/**
 * One source's chunks whose minute starts in [from, to], oldest first: a range over the
 * primary key (`${sourceId}|${minuteStart}`), so LevelDB reads one contiguous run instead of
 * following the byMinute index to each record. Ids sort like their minutes while minuteStart
 * has 13 digits (years 2001–2286).
 */
export function readSourceChunks(db: SteadyDb, sourceId: string, from: number, to: number): Promise<SampleChunk[]> {
  return db.getAll('chunks', IDBKeyRange.bound(chunkId(sourceId, from), chunkId(sourceId, to)));
}

/** Gaps that overlap [from, now]: started since `from - lookbackMs`, and still open or ended after `from`. */
export async function readGaps(db: SteadyDb, from: number, lookbackMs = 7 * 24 * 60 * MINUTE_MS): Promise<RecordingGap[]> {
  const gaps = await db.getAllFromIndex('gaps', 'byStart', IDBKeyRange.lowerBound(from - lookbackMs));
  return gaps.filter((gap) => gap.end === null || gap.end >= from);
}

/** Gaps of a source that an earlier page left open (it closed while the armband was away). */
export async function openGapsOf(db: SteadyDb, sourceId: string): Promise<RecordingGap[]> {
  return (await readGaps(db, 0, Number.POSITIVE_INFINITY)).filter((gap) => gap.sourceId === sourceId && gap.end === null);
}

/** The time of the newest stored sample of a source within `lookbackMs`, or null. Walks minutes newest first. */
export async function lastStoredSampleTime(
  db: SteadyDb,
  sourceId: string,
  now: number,
  lookbackMs = 24 * 60 * MINUTE_MS,
): Promise<number | null> {
  const index = db.transaction('chunks').store.index('byMinute');
  for await (const cursor of index.iterate(IDBKeyRange.lowerBound(now - lookbackMs), 'prev')) {
    const chunk = cursor.value;
    const last = chunk.offsets[chunk.offsets.length - 1];
    if (chunk.sourceId === sourceId && last !== undefined) return chunk.minuteStart + last;
  }
  return null;
}
