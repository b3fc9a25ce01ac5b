import { describe, expect, it } from 'vitest';
import { DEFAULT_DAILY_POINTS, dayLoad } from '../../src/shared/pacing/budget';
import { type BpmSample, paceThreshold, zoneBounds, zoneOf } from '../../src/shared/pacing/zones';

/** One sample a second from `startS`, one per entry of `bpm`. */
const perSecond = (bpm: readonly number[], startS = 0): BpmSample[] => bpm.map((b, i) => ({ t: (startS + i) * 1000, bpm: b }));
const hold = (bpm: number, seconds: number) => Array<number>(seconds).fill(bpm);

describe('threshold and zones', () => {
  it('defaults the threshold to resting HR + 15 bpm, and takes a manual one as given', () => {
    expect(paceThreshold(60)).toBe(75);
    expect(paceThreshold(60, null)).toBe(75);
    expect(paceThreshold(60, 98)).toBe(98);
  });

  it('puts rest below resting + 5 and exertion at the threshold and above', () => {
    const bounds = zoneBounds(60);
    expect(bounds).toEqual({ restBelow: 65, threshold: 75 });
    expect([50, 64, 65, 74, 75, 140].map((bpm) => zoneOf(bpm, bounds))).toEqual([
      'rest',
      'rest',
      'activity',
      'activity',
      'exertion',
      'exertion',
    ]);
  });

  it('keeps rest anchored to resting HR with a manual threshold, capped so zones never overlap', () => {
    expect(zoneBounds(60, 100)).toEqual({ restBelow: 65, threshold: 100 });
    expect(zoneBounds(60, 62)).toEqual({ restBelow: 62, threshold: 62 });
    expect(zoneOf(62, zoneBounds(60, 62))).toBe('exertion');
  });
});

describe('dayLoad', () => {
  const bounds = zoneBounds(60); // rest < 65, exertion ≥ 75

  it('charges 0 / 1 / 3 points a minute for rest / activity / exertion', () => {
    const samples = perSecond([...hold(60, 600), ...hold(70, 600), ...hold(80, 300), 60]);
    const load = dayLoad(samples, bounds);
    expect(load).toEqual({
      ms: { rest: 600_000, activity: 600_000, exertion: 300_000 },
      aboveThresholdMs: 300_000,
      recordedMs: 1_500_000,
      points: 25,
      limit: DEFAULT_DAILY_POINTS,
      remaining: 95,
      over: 0,
    });
  });

  it('does not count a gap of more than 10 s in any zone', () => {
    const samples = [...perSecond(hold(80, 61)), ...perSecond(hold(80, 61), 120)];
    const load = dayLoad(samples, bounds);
    expect(load.aboveThresholdMs).toBe(120_000);
    expect(load.recordedMs).toBe(120_000);
    expect(dayLoad(samples, bounds, { maxGapMs: 60_000 }).aboveThresholdMs).toBe(180_000);
  });

  it('counts a gap of up to 10 s, attributed to the sample before it', () => {
    const load = dayLoad(
      [
        { t: 0, bpm: 80 },
        { t: 10_000, bpm: 60 },
        { t: 11_000, bpm: 60 },
      ],
      bounds,
    );
    expect(load.ms).toEqual({ rest: 1000, activity: 0, exertion: 10_000 });
  });

  it('skips samples without a heart rate, and samples out of order', () => {
    const samples = [
      { t: 0, bpm: 70 },
      { t: 1000, bpm: 0 },
      { t: 2000, bpm: 70 },
      { t: 1500, bpm: 200 },
      { t: 3000, bpm: 70 },
    ];
    expect(dayLoad(samples, bounds).ms).toEqual({ rest: 0, activity: 3000, exertion: 0 });
  });

  it('clips to the day', () => {
    const samples = perSecond(hold(80, 121));
    expect(dayLoad(samples, bounds, { from: 30_000, to: 90_000 }).aboveThresholdMs).toBe(60_000);
  });

  it('reports points over the limit, with nothing remaining', () => {
    const load = dayLoad(perSecond(hold(90, 1201)), bounds, { limit: 40 });
    expect(load).toMatchObject({ points: 60, limit: 40, remaining: 0, over: 20 });
  });

  it('is empty for no samples', () => {
    expect(dayLoad([], bounds)).toMatchObject({ recordedMs: 0, points: 0, remaining: DEFAULT_DAILY_POINTS, over: 0 });
  });
});
