import type { SteadyDb } from '../db/schema';
import type { ChunkBatch } from './chunk-batches';
import { type ChunkRef, writeChunkBatches } from './chunk-writer';
import { emitRecordingEvent } from './recording-events';

/**
 * Minute chunks per transaction when catching up: 12 hours (~1 MB of values). Each commit costs
 * Chromium ~7 ms here whatever its size, so 100 a transaction held a day's catch-up to ~320k
 * samples/s and 720 reaches ~470k/s (tests/bench/armband-ingest.ts); a transaction still takes
 * under 100 ms, and the live recorder writes its own small ones in between.
 */
export const CATCH_UP_CHUNKS_PER_TRANSACTION = 720;

/**
 * Writes many chunk batches at once (an armband's offline recording, an import): up to 720
 * chunks per transaction, with the next transaction already queued while one commits, so the page
 * serialises one slice while the browser writes the last. Readwrite transactions over the
 * same store run in creation order (https://w3c.github.io/IndexedDB/#transaction-scheduling),
 * and the slices hold disjoint chunks, so the overlap cannot reorder or lose anything.
 * Announces the chunks like the live recorder does.
 */
export async function writeCatchUp(
  db: SteadyDb,
  batches: readonly ChunkBatch[],
  perTransaction = CATCH_UP_CHUNKS_PER_TRANSACTION,
): Promise<ChunkRef[]> {
  const written: ChunkRef[] = [];
  const inFlight: Promise<ChunkRef[]>[] = [];
  try {
    for (let i = 0; i < batches.length; i += perTransaction) {
      inFlight.push(writeChunkBatches(db, batches.slice(i, i + perTransaction)));
      if (inFlight.length >= 2) written.push(...(await (inFlight.shift() as Promise<ChunkRef[]>)));
    }
    while (inFlight.length > 0) written.push(...(await (inFlight.shift() as Promise<ChunkRef[]>)));
  } finally {
    // On a failure, let the transaction still queued settle rather than reject unobserved.
    await Promise.allSettled(inFlight);
  }
  if (written.length > 0) emitRecordingEvent({ type: 'CHUNKS_WRITTEN', chunks: written });
  return written;
}
