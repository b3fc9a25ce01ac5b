import { describe, expect, it } from 'vitest';
import { ArmbandIngest } from '../../src/armband/ingest';
import { diagnostics, EMPTY_DIAGNOSTICS } from '../../src/armband/live-state';
import type { SourcedSample } from '../../src/recording/chunk-batches';
import { encodeHeartRateMeasurement } from '../../src/shared/armband/heart-rate-measurement';
import {
  appendToChunk,
  CHUNK_LIMITS,
  chunkSamples,
  emptyChunk,
  type HeartRateSample,
  MINUTE_MS,
  mergeChunks,
} from '../../src/shared/samples';
import { BATCH_LIMITS } from '../../src/shared/sync/batch-codec';
import { withinLimits } from '../../src/shared/sync/engine';
import { syntheticSamples, toChunks } from '../helpers/sync-client';

const T0 = Date.UTC(2026, 10, 2, 7, 0, 0);
const sample = (t: number, intervalsMs: number[] = [900]): HeartRateSample => ({ t, bpm: 66, contact: true, intervalsMs });

describe('CHUNK_LIMITS on the client', () => {
  it('appendToChunk refuses samples past the limits and says how many', () => {
    const chunk = emptyChunk('strap', false, 'rr', T0);
    const samples = Array.from({ length: CHUNK_LIMITS.samples + 5 }, (_, i) => sample(T0 + i * 10));
    expect(appendToChunk(chunk, samples)).toBe(5);
    expect(chunk.offsets).toHaveLength(CHUNK_LIMITS.samples);
    const intervals = emptyChunk('strap', false, 'rr', T0);
    expect(appendToChunk(intervals, [sample(T0, new Array(CHUNK_LIMITS.intervals).fill(800)), sample(T0 + 1, [800])])).toBe(1);
    expect(intervals.intervalsMs).toHaveLength(CHUNK_LIMITS.intervals);
  });

  it('mergeChunks keeps every sample of both sides, long interval lists included, without overflowing the stack', () => {
    // 300,000 intervals spread into push() threw RangeError: Maximum call stack size exceeded.
    const a = { ...emptyChunk('strap', false, 'rr', T0), offsets: [0], bpm: [60], contact: [1], intervalCounts: [300_000] };
    a.intervalsMs = new Array(300_000).fill(700);
    const b = toChunks(syntheticSamples(T0 + 1000, 5), 'strap')[0]!;
    const merged = mergeChunks(a, b);
    expect(merged.offsets).toHaveLength(6);
    expect(merged.intervalsMs.length).toBe(300_000 + b.intervalsMs.length);
    expect(chunkSamples(merged).slice(1)).toEqual(chunkSamples(b));
  });

  it('the ingest rejects, and counts, readings past the limits in one minute', () => {
    const recorded: SourcedSample[] = [];
    diagnostics.value = EMPTY_DIAGNOSTICS;
    let now = T0;
    const ingest = new ArmbandIngest({ id: 'fast', name: 'Fast', demo: false }, { record: (e) => recorded.push(e) }, () => now++);
    const bytes = encodeHeartRateMeasurement({ bpm: 70, contact: true, rrMs: [850] });
    for (let i = 0; i < CHUNK_LIMITS.samples + 10; i++) ingest.heartRate(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    expect(recorded).toHaveLength(CHUNK_LIMITS.samples);
    expect(diagnostics.value.rejected['too-fast']).toBe(10);
    now = T0 + MINUTE_MS; // the next minute starts afresh
    ingest.heartRate(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    expect(recorded).toHaveLength(CHUNK_LIMITS.samples + 1);
  });
});

describe('withinLimits (the engine splitting its uploads)', () => {
  it('keeps the longest run of records in key order that fits, and at least one', () => {
    const full = (minute: number) => {
      const chunk = emptyChunk('strap', false, 'rr', T0 + minute * MINUTE_MS);
      appendToChunk(
        chunk,
        Array.from({ length: CHUNK_LIMITS.samples }, (_, i) => sample(chunk.minuteStart + i * 100, [800, 810])),
      );
      return chunk;
    };
    const count = BATCH_LIMITS.samples / CHUNK_LIMITS.samples + 3;
    const chunks = Array.from({ length: count }, (_, i) => full(i));
    const entries = chunks.map((c) => ({ key: `chunk|${c.id}`, queuedAt: 1 }));
    entries.push({ key: 'chunk|deleted-since', queuedAt: 1 });
    const fitted = withinLimits({ batch: { header: {}, chunks, docs: [] }, entries });
    expect(fitted.batch.chunks).toHaveLength(BATCH_LIMITS.samples / CHUNK_LIMITS.samples);
    expect(fitted.entries.map((e) => e.key)).toEqual(entries.slice(0, fitted.batch.chunks.length).map((e) => e.key));
  });
});
