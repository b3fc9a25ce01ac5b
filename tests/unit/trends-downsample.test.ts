import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SampleColumns } from '../../src/shared/trends/day-samples';
import { downsampleMinMax } from '../../src/shared/trends/downsample';

/** Columns from [t ms, bpm] pairs. */
const columns = (pairs: [number, number][]): SampleColumns => ({
  t: Float64Array.from(pairs.map(([t]) => t)),
  bpm: Float32Array.from(pairs.map(([, b]) => b)),
  length: pairs.length,
});
/** One sample a second from `start` (ms) with bpm from `at(i)`. */
const perSecond = (start: number, n: number, at: (i: number) => number): [number, number][] =>
  Array.from({ length: n }, (_, i) => [start + i * 1000, at(i)]);

describe('downsampleMinMax', () => {
  it('keeps the lowest and highest sample of each bucket, at their own times, in time order', () => {
    // 0–9 s in two buckets of 5 s: [70, 75, 62, 80, 71] then [90, 66, 66, 91, 60].
    const bpm = [70, 75, 62, 80, 71, 90, 66, 66, 91, 60];
    const out = downsampleMinMax(columns(perSecond(0, 10, (i) => bpm[i]!)), { from: 0, to: 10_000, buckets: 2 });
    expect(out.x).toEqual([2, 3, 8, 9]);
    expect(out.y).toEqual([62, 80, 91, 60]);
  });

  it('keeps a one-second spike in a day of 86,400 samples drawn 400 pixels wide', () => {
    const day = perSecond(0, 86_400, (i) => (i === 50_123 ? 163 : 60 + (i % 7)));
    const out = downsampleMinMax(columns(day), { from: 0, to: 86_400_000, buckets: 400 });
    expect(out.x.length).toBeLessThanOrEqual(800);
    expect(Math.max(...out.y.map((v) => v ?? 0))).toBe(163);
    expect(out.x[out.y.indexOf(163)]).toBe(50_123);
    expect(Math.min(...out.y.map((v) => v ?? 999))).toBe(60);
  });

  it('puts a null in a gap longer than maxGapMs, inside a bucket and across buckets', () => {
    // Samples at 0,1,2 s, then nothing until 30 s, 31 s (one bucket of 60 s): the line must break.
    const inside = downsampleMinMax(
      columns([
        [0, 60],
        [1000, 62],
        [2000, 61],
        [30_000, 70],
        [31_000, 72],
      ]),
      {
        from: 0,
        to: 60_000,
        buckets: 1,
      },
    );
    expect(inside.y).toEqual([60, 62, null, 70, 72]);
    expect(inside.x).toEqual([0, 1, 16, 30, 31]);
    // Two buckets of 10 s with data in the first and the third, nothing between: a break, not a bridge.
    const across = downsampleMinMax(
      columns([
        [0, 60],
        [9000, 61],
        [25_000, 65],
      ]),
      { from: 0, to: 30_000, buckets: 3 },
    );
    expect(across.y).toEqual([60, 61, null, 65]);
  });

  it('does not break the line where samples are close, even across empty buckets', () => {
    // 5 s apart (under the 10 s limit) with 1 s buckets: no null anywhere.
    const out = downsampleMinMax(
      columns([
        [0, 60],
        [5000, 61],
        [10_000, 62],
      ]),
      { from: 0, to: 11_000, buckets: 11 },
    );
    expect(out.y).toEqual([60, 61, 62]);
  });

  it('leaves out samples outside [from, to) and returns nothing for no samples', () => {
    const out = downsampleMinMax(
      columns([
        [-1000, 200],
        [0, 60],
        [10_000, 200],
      ]),
      { from: 0, to: 10_000, buckets: 5 },
    );
    expect(out.y).toEqual([60]);
    expect(downsampleMinMax(columns([]), { from: 0, to: 1000, buckets: 3 })).toEqual({ x: [], y: [] });
  });

  it('refuses an empty range or a bad bucket count', () => {
    const empty = columns([]);
    expect(() => downsampleMinMax(empty, { from: 5, to: 5, buckets: 1 })).toThrow(RangeError);
    expect(() => downsampleMinMax(empty, { from: 0, to: 5, buckets: 0 })).toThrow(/buckets/);
    expect(() => downsampleMinMax(empty, { from: 0, to: 5, buckets: 1.5 })).toThrow(/buckets/);
  });

  it('for any series: every bucket keeps its true min and max, and x stays ascending', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 30, max: 200 }), { minLength: 1, maxLength: 600 }),
        fc.integer({ min: 1, max: 50 }),
        (bpm, buckets) => {
          const pairs = perSecond(0, bpm.length, (i) => bpm[i]!);
          const to = bpm.length * 1000;
          const out = downsampleMinMax(columns(pairs), { from: 0, to, buckets });
          for (let i = 1; i < out.x.length; i++) expect(out.x[i]!).toBeGreaterThan(out.x[i - 1]!);
          expect(out.y.includes(null)).toBe(false);
          const width = to / buckets;
          for (let b = 0; b < buckets; b++) {
            const inBucket = pairs.filter(([t]) => Math.min(buckets - 1, Math.floor(t / width)) === b).map(([, v]) => v);
            if (inBucket.length === 0) continue;
            const drawn = out.y.filter((_, i) => Math.min(buckets - 1, Math.floor((out.x[i]! * 1000) / width)) === b);
            expect(Math.max(...(drawn as number[]))).toBe(Math.max(...inBucket));
            expect(Math.min(...(drawn as number[]))).toBe(Math.min(...inBucket));
          }
        },
      ),
    );
  });
});
