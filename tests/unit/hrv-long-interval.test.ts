/**
 * A beat interval over 2.5 s (missed beats, or a pause) travels from the strap's bytes to the
 * HRV result: the parser keeps it, the recorder stores it, sync carries it, and the HRV maths
 * rejects it, counts it as an artifact and takes no successive difference across it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ArmbandIngest } from '../../src/armband/ingest';
import { diagnostics, EMPTY_DIAGNOSTICS } from '../../src/armband/live-state';
import { groupIntoChunks, type SourcedSample } from '../../src/recording/chunk-batches';
import { encodeHeartRateMeasurement } from '../../src/shared/armband/heart-rate-measurement';
import { measureHrv } from '../../src/shared/hrv/hrv';
import { appendToChunk, emptyChunk } from '../../src/shared/samples';
import { decodeBatch, encodeBatch } from '../../src/shared/sync/batch-codec';

// 60 bpm before the gap, about 67 bpm after: 35 intervals each, alternating by 18 ms, so every
// successive difference inside a run is exactly 18 ms. Every value survives the 1/1024 s
// encoding unchanged (1000 → raw 1024, 982 → 1006, 898 → 920, 916 → 938).
const BEFORE = Array.from({ length: 35 }, (_, i) => (i % 2 === 0 ? 1000 : 982)); // ends on 1000
const AFTER = Array.from({ length: 35 }, (_, i) => (i % 2 === 0 ? 898 : 916)); // starts on 898
const GAP_MS = 3000;
// The morning reading's options (src/measurement/measure-screen.tsx): the capture already settled.
const READING = { kind: 'rr', settleS: 0, warmUpS: 0 } as const;

let recorded: SourcedSample[];
let now: number;

beforeEach(() => {
  recorded = [];
  now = Date.UTC(2026, 11, 6, 7, 0, 0);
  diagnostics.value = EMPTY_DIAGNOSTICS;
});

/** Streams one interval a notification through the ingest path, as a 1 Hz strap would. */
function stream(intervals: readonly number[]): void {
  const ingest = new ArmbandIngest({ id: 'strap-1', name: 'Strap', demo: false }, { record: (e) => recorded.push(e) }, () => now);
  for (const ms of intervals) {
    now += ms;
    ingest.heartRate(new DataView(encodeHeartRateMeasurement({ bpm: Math.round(60_000 / ms), contact: true, rrMs: [ms] }).buffer));
  }
}

/** The intervals as stored (chunks) and synced (an STB batch encoded and decoded), in order. */
function storedAndSynced(): number[] {
  const chunks = groupIntoChunks(recorded).map((batch) => {
    const chunk = emptyChunk(batch.sourceId, batch.demo, batch.intervalKind, batch.minuteStart);
    expect(appendToChunk(chunk, batch.samples)).toBe(0);
    return chunk;
  });
  return decodeBatch(encodeBatch({ header: {}, chunks, docs: [] })).chunks.flatMap((chunk) => chunk.intervalsMs);
}

describe('a beat interval over 2.5 s, from the strap to the HRV result', () => {
  it('is recorded and synced, counted as an artifact, and breaks the run: RMSSD 18.00 ms', () => {
    stream([...BEFORE, GAP_MS, ...AFTER]);
    expect(storedAndSynced()).toEqual([...BEFORE, GAP_MS, ...AFTER]);
    expect(diagnostics.value).toMatchObject({ kept: 71, warnings: 1 });
    expect(diagnostics.value.last?.message).toContain('3000');

    const result = measureHrv(storedAndSynced(), READING);
    // Two runs of 35, 34 differences of 18 ms each: RMSSD = √(68 · 18² / 68) = 18.
    expect(result).toMatchObject({ ok: true, beats: 71, rejected: 1, corrected: 0, cleanBeats: 70 });
    expect(result.ok && result.rmssd.toFixed(2)).toBe('18.00');
    // 1 of 71 beats not used as measured: shown as "1.4 % corrected", not "0.0 %".
    expect((result.correctedShare * 100).toFixed(1)).toBe('1.4');
  });

  it('what dropping it at the parser gave: one difference across the gap, RMSSD 21.68 ms', () => {
    // 68 differences of 18 ms and one of 1000 − 898 = 102 ms: √((68 · 324 + 102²) / 69) = √(32436 / 69) = 21.68.
    const welded = measureHrv([...BEFORE, ...AFTER], READING);
    expect(welded).toMatchObject({ ok: true, rejected: 0, corrected: 0, correctedShare: 0 });
    expect(welded.ok && welded.rmssd.toFixed(2)).toBe('21.68');
  });
});
