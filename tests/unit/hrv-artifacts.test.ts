import { describe, expect, it } from 'vitest';
import { cleanIntervals, localMedians, trimStart } from '../../src/shared/hrv/artifacts';
import { measureHrv, rmssd } from '../../src/shared/hrv/hrv';

/** Respiratory sinus arrhythmia over a 10-beat breath; sums to 0, so every 10 beats last exactly 10 s. */
const BREATH = [0, 25, 40, 25, 0, -25, -40, -25, 5, -5];
const restingSeries = (count: number, base = 1000) => Array.from({ length: count }, (_, i) => base + BREATH[i % 10]!);
const noTrim = { settleS: 0 } as const;

describe('start trims', () => {
  it('drops the intervals that start within the first seconds of the beat timeline', () => {
    expect(trimStart([1000, 1000, 1000, 1000], 2)).toEqual([1000, 1000]);
    expect(trimStart([1000, 1000, 1000, 1000], 1.5)).toEqual([1000, 1000]);
    expect(trimStart([1000, 1000, 1000, 1000], 2.5)).toEqual([1000]);
    expect(trimStart([1000, 1000], 0)).toEqual([1000, 1000]);
    expect(trimStart([1000, 1000], 10)).toEqual([]);
  });

  it.each([
    ['RR, defaults: settle 30 s', { kind: 'rr' }, 30],
    ['RR, no settle', { kind: 'rr', settleS: 0 }, 0],
    ['PPI, no settle: the 25 s warm-up', { kind: 'ppi', settleS: 0 }, 25],
    ['PPI, defaults: the trims overlap, the longer wins', { kind: 'ppi' }, 30],
    ['PPI, long warm-up', { kind: 'ppi', warmUpS: 40 }, 40],
    ['RR with a warm-up asked for', { kind: 'rr', warmUpS: 10, settleS: 0 }, 10],
  ] as const)('%s → %d intervals trimmed', (_, options, trimmed) => {
    const result = cleanIntervals(Array(100).fill(1000), options);
    expect(result.trimmed).toBe(trimmed);
    expect(result.trimS).toBe(trimmed);
    expect(result.beats).toBe(100 - trimmed);
    expect(result.durationS).toBe(100 - trimmed);
  });
});

describe('local median', () => {
  it('is centred, and shifts inwards at the edges so the window keeps its size', () => {
    expect(localMedians([1, 2, 3, 100, 5, 6, 7], 3)).toEqual([2, 2, 3, 5, 6, 6, 6]);
    expect(localMedians([1, 2], 11)).toEqual([1.5, 1.5]);
  });
});

describe('artifact correction', () => {
  it('leaves a clean series exactly as it was', () => {
    const rr = restingSeries(100);
    const result = cleanIntervals(rr, noTrim);
    expect(result).toMatchObject({ runs: [rr], beats: 100, rejected: 0, corrected: 0, clean: 100, correctedShare: 0 });
  });

  it('moves an ectopic beat (short interval, compensatory pause) to the middle, counting both intervals', () => {
    const rr = restingSeries(100);
    rr[50] = 700; // was 1000: a premature beat…
    rr[51] = 1325; // …and its pause (was 1025); the sum, 2025, is kept
    const result = cleanIntervals(rr, noTrim);
    expect(result).toMatchObject({ beats: 100, corrected: 2, clean: 98, correctedShare: 0.02 });
    const series = result.runs.flat();
    expect(series).toHaveLength(100);
    expect(series.slice(50, 52)).toEqual([1012.5, 1012.5]);
    expect(series.reduce((a, b) => a + b)).toBe(rr.reduce((a, b) => a + b));
  });

  it('splits a missed beat (a doubled interval) in two and counts it once', () => {
    const original = restingSeries(100, 800);
    const rr = [...original.slice(0, 60), original[60]! + original[61]!, ...original.slice(62)];
    const result = cleanIntervals(rr, noTrim);
    expect(result).toMatchObject({ beats: 99, corrected: 1, clean: 98, correctedShare: 1 / 99 });
    const series = result.runs.flat();
    expect(series).toHaveLength(100);
    expect(series.slice(60, 62)).toEqual([812.5, 812.5]);
  });

  it('splits a triple interval (two missed beats) in three', () => {
    const rr = restingSeries(60, 650);
    rr[30] = 1950;
    const series = cleanIntervals(rr, noTrim).runs.flat();
    expect(series.slice(30, 33)).toEqual([650, 650, 650]);
    expect(series).toHaveLength(62);
  });

  it('rejects a missed beat that the range gate already excludes (below 60 bpm it lasts over 2 s)', () => {
    const original = restingSeries(100, 1100);
    const rr = [...original.slice(0, 60), original[60]! + original[61]!, ...original.slice(62)];
    expect(cleanIntervals(rr, noTrim)).toMatchObject({ beats: 99, rejected: 1, corrected: 0 });
  });

  it('merges an extra beat (one interval detected as two) and counts both parts', () => {
    const original = restingSeries(100);
    const rr = [...original.slice(0, 40), 400, original[40]! - 400, ...original.slice(41)];
    const result = cleanIntervals(rr, noTrim);
    expect(result).toMatchObject({ beats: 101, corrected: 2, clean: 99 });
    expect(result.runs.flat()).toEqual(original);
  });

  it('interpolates any other outlier between its nearest good neighbours', () => {
    const rr = restingSeries(100);
    rr[33] = 1400; // neighbours 1040 (#32) and 1000 (#34)
    const result = cleanIntervals(rr, noTrim);
    expect(result.corrected).toBe(1);
    expect(result.runs.flat()[33]).toBe(1020);
  });

  it('interpolates along a line across consecutive outliers that form no beat pattern', () => {
    const rr = Array(40).fill(1000);
    rr[20] = 1300;
    rr[21] = 1350;
    rr[22] = 1000;
    rr[19] = 1000;
    const series = cleanIntervals(rr, noTrim).runs.flat();
    expect(series.slice(19, 23)).toEqual([1000, 1000, 1000, 1000]);
  });

  it('rejects intervals outside 300–2000 ms, and takes no successive difference across them', () => {
    const rr = restingSeries(100);
    rr[20] = 250;
    rr[70] = 2600;
    rr[71] = Number.NaN;
    const result = cleanIntervals(rr, noTrim);
    expect(result).toMatchObject({ beats: 100, rejected: 3, corrected: 0, clean: 97, correctedShare: 0.03 });
    expect(result.runs.map((run) => run.length)).toEqual([20, 49, 28]);
  });

  it('respects a configured tolerance and range', () => {
    const rr = restingSeries(60);
    rr[30] = 1150; // 15 % above the local median
    expect(cleanIntervals(rr, noTrim).corrected).toBe(0);
    expect(cleanIntervals(rr, { ...noTrim, tolerance: 0.1 }).corrected).toBe(1);
    expect(cleanIntervals(rr, { ...noTrim, maxMs: 1100 }).rejected).toBe(1);
  });

  it('restores the RMSSD of the clean signal when ectopic and missed beats are injected', () => {
    const clean = restingSeries(300, 800);
    const dirty = [...clean];
    dirty[100] = 560;
    dirty[101] = 1065;
    dirty.splice(200, 2, clean[200]! + clean[201]!);
    const raw = measureHrv(dirty, { minCleanBeats: 60, maxCorrectedShare: 1, tolerance: 10 });
    const corrected = measureHrv(dirty);
    const reference = rmssd(clean.slice(38));
    if (!corrected.ok || !raw.ok) throw new Error('expected measurements');
    expect(corrected).toMatchObject({ corrected: 3, beats: 261, cleanBeats: 258 });
    expect(corrected.correctedShare).toBeCloseTo(3 / 261, 9);
    expect(Math.abs(corrected.rmssd - reference) / reference).toBeLessThan(0.05);
    expect(raw.rmssd / reference).toBeGreaterThan(2);
  });
});
