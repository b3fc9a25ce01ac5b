import type { IDBPObjectStore } from 'idb';
import type { SteadyDb, SteadySchema } from '../db/schema';
import { outboxEntry } from '../db/sync-store';
import { appendToChunk, emptyChunk, MINUTE_MS, type RecordingGap, type SampleChunk } from '../shared/samples';
import type { ChunkBatch } from './chunk-batches';

/** Which chunk a write touched: enough for sync to queue it (`readyAt` = minuteStart + 1 min). */
export interface ChunkRef {
  id: string;
  sourceId: string;
  demo: boolean;
  minuteStart: number;
}

/**
 * Appends batches to their minute chunks, and puts gap records, in ONE readwrite transaction.
 * Each chunk is read, extended with `appendToChunk` (idempotent: a sample at a time the chunk
 * holds is skipped) and put back. Nothing else is awaited inside the transaction, so it cannot
 * auto-commit half way (https://w3c.github.io/IndexedDB/#transaction-lifetime).
 */
export async function writeChunkBatches(
  db: SteadyDb,
  batches: readonly ChunkBatch[],
  gaps: readonly RecordingGap[] = [],
): Promise<ChunkRef[]> {
  if (batches.length === 0 && gaps.length === 0) return [];
  // The outbox entry goes in the same transaction as the samples: nothing stored can miss sync.
  const tx = db.transaction(['chunks', 'gaps', 'outbox'], 'readwrite');
  const outbox = tx.objectStore('outbox');
  const now = Date.now();
  const chunks = tx.objectStore('chunks');
  const stored = await storedChunks(chunks, batches);
  const writes: Promise<unknown>[] = [];
  batches.forEach((batch) => {
    const chunk = stored.get(batch.id) ?? {
      ...emptyChunk(batch.sourceId, batch.demo, batch.intervalKind, batch.minuteStart),
      id: batch.id,
    };
    appendToChunk(chunk, batch.samples);
    writes.push(chunks.put(withSmallIntegers(chunk)));
    writes.push(outbox.put(outboxEntry('chunk', batch.id, now, batch.minuteStart + MINUTE_MS)));
  });
  if (gaps.length > 0) {
    const store = tx.objectStore('gaps');
    for (const gap of gaps) writes.push(store.put(gap));
  }
  await Promise.all([...writes, tx.done]);
  return batches.map(({ id, sourceId, demo, minuteStart }) => ({ id, sourceId, demo, minuteStart }));
}

type ChunkStore = IDBPObjectStore<SteadySchema, ('chunks' | 'gaps' | 'outbox')[], 'chunks', 'readwrite'>;

/**
 * The stored versions of the batches' chunks. One `getAll` over each source's id range
 * instead of a `get` per chunk: a catch-up of 100 consecutive minutes is one request, not 100.
 * The range is taken by string order of the ids, so it always covers them; anything else it
 * returns is ignored.
 */
async function storedChunks(store: ChunkStore, batches: readonly ChunkBatch[]): Promise<Map<string, SampleChunk>> {
  const idsBySource = new Map<string, string[]>();
  for (const { sourceId, id } of batches) {
    const ids = idsBySource.get(sourceId);
    if (ids) ids.push(id);
    else idsBySource.set(sourceId, [id]);
  }
  const found = new Map<string, SampleChunk>();
  await Promise.all(
    [...idsBySource.values()].map(async (ids) => {
      const wanted = new Set(ids);
      const sorted = [...ids].sort();
      const first = sorted[0] as string;
      const last = sorted[sorted.length - 1] as string;
      const chunks = first === last ? [await store.get(first)] : await store.getAll(IDBKeyRange.bound(first, last));
      for (const chunk of chunks) if (chunk && wanted.has(chunk.id)) found.set(chunk.id, chunk);
    }),
  );
  return found;
}

/**
 * The chunk with every whole number stored as a small integer. Sample times are epoch ms,
 * beyond V8's small-integer range, so `t - minuteStart` comes out as a heap double and turns
 * the array into a double array, which the structured clone writes as 9 bytes an element
 * instead of a 1–3 byte varint (v8/src/objects/value-serializer.cc, WriteJSArray). That
 * nearly tripled a week's size; `v | 0` gives V8 small integers again. Values are unchanged.
 */
function withSmallIntegers(chunk: SampleChunk): SampleChunk {
  const small = (values: number[]) => (values.every((v) => (v | 0) === v) ? values.map((v) => v | 0) : values);
  return {
    ...chunk,
    offsets: small(chunk.offsets),
    bpm: small(chunk.bpm),
    contact: small(chunk.contact),
    intervalCounts: small(chunk.intervalCounts),
    intervalsMs: small(chunk.intervalsMs),
  };
}
