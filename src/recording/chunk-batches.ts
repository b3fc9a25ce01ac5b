import { chunkId, type HeartRateSample, type IntervalKind, MINUTE_MS, minuteStartOf } from '../shared/samples';

/** A sample on its way to storage, with what the chunk it lands in needs to know. */
export interface SourcedSample {
  sourceId: string;
  demo: boolean;
  intervalKind: IntervalKind;
  sample: HeartRateSample;
}

/** The samples of one chunk (one source, one UTC minute), ascending, ready for `appendToChunk`. */
export interface ChunkBatch {
  id: string;
  sourceId: string;
  demo: boolean;
  intervalKind: IntervalKind;
  minuteStart: number;
  samples: HeartRateSample[];
}

/**
 * Groups samples by the chunk they belong to, in first-seen order. Samples of one source come
 * from a strictly increasing clock (src/armband/clock.ts), so each batch stays ascending.
 */
export function groupIntoChunks(entries: readonly SourcedSample[]): ChunkBatch[] {
  const batches = new Map<string, ChunkBatch>();
  let current: ChunkBatch | null = null;
  for (const { sourceId, demo, intervalKind, sample } of entries) {
    // Consecutive samples mostly share a chunk: skip the id string and the map lookup for them.
    if (current && current.sourceId === sourceId && sample.t >= current.minuteStart && sample.t < current.minuteStart + MINUTE_MS) {
      current.samples.push(sample);
      continue;
    }
    const minuteStart = minuteStartOf(sample.t);
    const id = chunkId(sourceId, minuteStart);
    current = batches.get(id) ?? null;
    if (!current) {
      current = { id, sourceId, demo, intervalKind, minuteStart, samples: [] };
      batches.set(id, current);
    }
    current.samples.push(sample);
  }
  return [...batches.values()];
}
