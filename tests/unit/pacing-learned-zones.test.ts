import { describe, expect, it } from 'vitest';
import { learnedZonesOf, proposeLearnedZones, type WearDay, wearDayOf } from '../../src/shared/pacing/learned-zones';

const HOUR = 3_600_000;
const day = (date: string, low: number, high: number, wornMs = 8 * HOUR): WearDay => ({ date, wornMs, low, high });

describe("a day's wear and percentiles", () => {
  it('takes the 5th and 95th percentiles by nearest rank, and counts spans of at most 10 s as worn', () => {
    // 61…80 bpm, one a second (20 readings, 19 s worn): P5 is rank ceil(1) = 61, P95 rank ceil(19) = 79.
    const t = Array.from({ length: 20 }, (_, i) => i * 1000);
    const bpm = Array.from({ length: 20 }, (_, i) => 61 + i);
    expect(wearDayOf('2026-06-01', { t, bpm, length: 20 })).toEqual({ date: '2026-06-01', wornMs: 19_000, low: 61, high: 79 });
  });

  it('leaves out implausible readings and does not count a gap as worn', () => {
    const t = [...Array.from({ length: 20 }, (_, i) => i * 1000), 10_500, 100_000];
    const bpm = [...Array.from({ length: 20 }, (_, i) => 61 + i), 250, 61];
    const order = t.map((_, i) => i).sort((a, b) => t[a]! - t[b]!);
    // 21 plausible readings 61 61 62 … 80: P5 rank ceil(1.05) = 2 → 61, P95 rank ceil(19.95) = 20 → 79; the 81 s gap is not worn.
    expect(wearDayOf('2026-06-01', { t: order.map((i) => t[i]!), bpm: order.map((i) => bpm[i]!), length: 22 })).toEqual({
      date: '2026-06-01',
      wornMs: 19_000,
      low: 61,
      high: 79,
    });
  });

  it('is null without a plausible reading', () => {
    expect(wearDayOf('2026-06-01', { t: [0, 1000], bpm: [0, 250], length: 2 })).toBeNull();
  });
});

describe('the learned proposal', () => {
  const five = [
    day('2026-06-01', 52, 95),
    day('2026-06-02', 55, 100),
    day('2026-06-03', 58, 90),
    day('2026-06-04', 54, 105),
    day('2026-06-05', 60, 98),
  ];

  it('is the median low + half the median range, shown with every figure', () => {
    // Lows 52 54 55 58 60 → 55; highs 90 95 98 100 105 → 98; range 43; half 21.5 → 22; threshold 77; rest below 60.
    expect(proposeLearnedZones([...five].reverse(), false)).toEqual({
      ready: true,
      days: five,
      restingHr: 55,
      dailyHigh: 98,
      range: 43,
      halfRange: 22,
      marginBounds: { min: 10, max: 30 },
      margin: 22,
      threshold: 77,
      restBelow: 60,
      medication: false,
    });
  });

  it('keeps the margin within 7–20 bpm with a heart-rate-lowering medication', () => {
    expect(proposeLearnedZones(five, true)).toMatchObject({ marginBounds: { min: 7, max: 20 }, halfRange: 22, margin: 20, threshold: 75 });
  });

  it('keeps at least 10 bpm of margin after days mostly lying down', () => {
    const still = ['01', '02', '03', '04'].map((d) => day(`2026-06-${d}`, 60, 70));
    // Range 10, half 5 → margin 10 (the floor): threshold 70. With a medication the floor is 7: 67.
    expect(proposeLearnedZones(still, false)).toMatchObject({ restingHr: 60, range: 10, margin: 10, threshold: 70, restBelow: 65 });
    expect(proposeLearnedZones(still, true)).toMatchObject({ margin: 7, threshold: 67, restBelow: 65 });
  });

  it('takes the mean of the middle two for an even number of days', () => {
    const four = five.slice(0, 4); // lows 52 54 55 58 → 54.5 → 55; highs 90 95 100 105 → 97.5 → 98
    expect(proposeLearnedZones(four, false)).toMatchObject({ restingHr: 55, dailyHigh: 98, threshold: 77 });
  });

  it('waits for 4 days of at least 4 hours of wear', () => {
    const three = [...five.slice(0, 3), day('2026-06-04', 54, 105, 4 * HOUR - 1)];
    expect(proposeLearnedZones(three, false)).toEqual({ ready: false, wornDays: 3, needed: 4 });
    expect(proposeLearnedZones([], false)).toEqual({ ready: false, wornDays: 0, needed: 4 });
  });

  it('is stored as the figures every device uses', () => {
    const answer = proposeLearnedZones(five, false);
    if (!answer.ready) throw new Error('expected a proposal');
    expect(learnedZonesOf(answer)).toEqual({
      restingHr: 55,
      dailyHigh: 98,
      threshold: 77,
      days: 5,
      from: '2026-06-01',
      to: '2026-06-05',
      medication: false,
    });
  });
});
