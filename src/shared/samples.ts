/**
 * Heart-rate samples as Steady records them: the contract between the armband code, the
 * IndexedDB store, sync, backup and the maths. Runtime-neutral.
 */

/** Where beat-to-beat intervals came from: the chest-strap profile, or Polar's PPI. */
export type IntervalKind = 'rr' | 'ppi';

/** One parsed heart-rate reading, ready to record. */
export interface HeartRateSample {
  /** Epoch milliseconds, from a monotonic-safe clock (see src/armband/clock.ts). */
  t: number;
  bpm: number;
  /** Skin contact, or null when the sensor does not report it. */
  contact: boolean | null;
  /** Beat intervals in ms that arrived with this reading, oldest first. */
  intervalsMs: number[];
}

/**
 * All samples from one source within one UTC minute: the unit of storage and sync.
 * Columnar, so a day is ~1,440 small records instead of ~86,400 objects.
 */
export interface SampleChunk {
  /** `${sourceId}|${minuteStart}`: deterministic, so re-recording or re-importing never doubles it. */
  id: string;
  /** The armband's id (Web Bluetooth `device.id`) or `demo`. */
  sourceId: string;
  /** Synthetic data from the demo armband: shown labelled, never mixed into real trends. */
  demo: boolean;
  /** Epoch ms of the start of the UTC minute. */
  minuteStart: number;
  intervalKind: IntervalKind;
  /** Per sample: ms offset from `minuteStart` (0–59,999), ascending. */
  offsets: number[];
  bpm: number[];
  /** Per sample: 1 contact, 0 no contact, -1 not reported. */
  contact: number[];
  /** Per sample: how many entries of `intervalsMs` belong to it. */
  intervalCounts: number[];
  /** Every interval of the minute, in order. */
  intervalsMs: number[];
}

/** A stretch with no data while the armband was expected: disconnection, lost contact. */
export interface RecordingGap {
  /** `${sourceId}|${start}` */
  id: string;
  sourceId: string;
  start: number;
  /** null while the gap is still open. */
  end: number | null;
  reason: 'disconnected' | 'no-contact' | 'page-closed';
}

export const MINUTE_MS = 60_000;

/**
 * The most one chunk (one source, one minute) may hold: the contract between the recorder, sync
 * and the server, which refuses more (docs/sync-protocol.md, "Limits"). Heart-rate
 * notifications come at 1 Hz from the straps Steady supports and at most 4 Hz from any 0x2A37
 * sensor, so 600 samples is 2.5 times the fastest; no heart beats more than ~300 times a
 * minute, and a sample may also carry up to 120 late PPI intervals (src/armband/ingest.ts), so
 * 1,200 intervals is twice the worst real minute.
 */
export const CHUNK_LIMITS = { samples: 600, intervals: 1_200 } as const;

/** True when a chunk holds no more than CHUNK_LIMITS allows. */
export function chunkWithinLimits(chunk: Pick<SampleChunk, 'offsets' | 'intervalsMs'>): boolean {
  return chunk.offsets.length <= CHUNK_LIMITS.samples && chunk.intervalsMs.length <= CHUNK_LIMITS.intervals;
}

export function chunkId(sourceId: string, minuteStart: number): string {
  return `${sourceId}|${minuteStart}`;
}

export function minuteStartOf(t: number): number {
  return Math.floor(t / MINUTE_MS) * MINUTE_MS;
}

/** An empty chunk for the minute containing `t`. */
export function emptyChunk(sourceId: string, demo: boolean, intervalKind: IntervalKind, t: number): SampleChunk {
  const minuteStart = minuteStartOf(t);
  return {
    id: chunkId(sourceId, minuteStart),
    sourceId,
    demo,
    minuteStart,
    intervalKind,
    offsets: [],
    bpm: [],
    contact: [],
    intervalCounts: [],
    intervalsMs: [],
  };
}

/**
 * Adds samples (ascending `t`, all within the chunk's minute) to a chunk in place.
 * A sample at a time the chunk already holds is skipped: appending is idempotent. A sample that
 * would take the chunk past CHUNK_LIMITS is refused (no armband sends that much in a minute);
 * answers how many were refused, for the caller to report.
 */
export function appendToChunk(chunk: SampleChunk, samples: readonly HeartRateSample[]): number {
  let refused = 0;
  for (const sample of samples) {
    const offset = sample.t - chunk.minuteStart;
    if (offset < 0 || offset >= MINUTE_MS) throw new RangeError(`sample at ${sample.t} is outside chunk ${chunk.id}`);
    const last = chunk.offsets[chunk.offsets.length - 1];
    if (last !== undefined && offset <= last) continue;
    if (chunk.offsets.length >= CHUNK_LIMITS.samples || chunk.intervalsMs.length + sample.intervalsMs.length > CHUNK_LIMITS.intervals) {
      refused++;
      continue;
    }
    pushSample(chunk, offset, sample);
  }
  return refused;
}

function pushSample(chunk: SampleChunk, offset: number, sample: HeartRateSample): void {
  chunk.offsets.push(offset);
  chunk.bpm.push(sample.bpm);
  chunk.contact.push(sample.contact === null ? -1 : sample.contact ? 1 : 0);
  chunk.intervalCounts.push(sample.intervalsMs.length);
  // A loop, not push(...intervals): spreading a long list overflows the call stack.
  for (const interval of sample.intervalsMs) chunk.intervalsMs.push(interval);
}

/** The samples of a chunk as objects again (for charts, maths, export). */
export function chunkSamples(chunk: SampleChunk): HeartRateSample[] {
  const samples: HeartRateSample[] = [];
  let cursor = 0;
  for (let i = 0; i < chunk.offsets.length; i++) {
    const count = chunk.intervalCounts[i] ?? 0;
    const contact = chunk.contact[i];
    samples.push({
      t: chunk.minuteStart + (chunk.offsets[i] ?? 0),
      bpm: chunk.bpm[i] ?? 0,
      contact: contact === -1 ? null : contact === 1,
      intervalsMs: chunk.intervalsMs.slice(cursor, cursor + count),
    });
    cursor += count;
  }
  return samples;
}

/**
 * The union of two versions of the same chunk, by sample time; where both hold a sample at
 * the same offset, `a`'s is kept. Used when a chunk arrives that is already stored: nothing
 * either side recorded is dropped, and nothing is doubled, even past CHUNK_LIMITS (callers that
 * must stay within them check `chunkWithinLimits`).
 */
export function mergeChunks(a: SampleChunk, b: SampleChunk): SampleChunk {
  if (a.id !== b.id) throw new RangeError(`cannot merge ${a.id} with ${b.id}`);
  const byOffset = new Map<number, HeartRateSample>();
  for (const sample of chunkSamples(b)) byOffset.set(sample.t, sample);
  for (const sample of chunkSamples(a)) byOffset.set(sample.t, sample);
  const merged: SampleChunk = { ...emptyChunk(a.sourceId, a.demo, a.intervalKind, a.minuteStart), id: a.id };
  for (const sample of [...byOffset.values()].sort((x, y) => x.t - y.t)) pushSample(merged, sample.t - a.minuteStart, sample);
  return merged;
}

/** True when two chunks hold exactly the same samples. */
export function sameChunk(a: SampleChunk, b: SampleChunk): boolean {
  const same = (x: readonly number[], y: readonly number[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return (
    a.id === b.id &&
    same(a.offsets, b.offsets) &&
    same(a.bpm, b.bpm) &&
    same(a.contact, b.contact) &&
    same(a.intervalCounts, b.intervalCounts) &&
    same(a.intervalsMs, b.intervalsMs)
  );
}
