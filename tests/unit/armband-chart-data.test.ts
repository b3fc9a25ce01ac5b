import { describe, expect, it } from 'vitest';
import { LiveHistory } from '../../src/armband/live-history';
import { bpmRange, chartColumns } from '../../src/armband/ui/chart-data';

describe('live chart data', () => {
  it('joins points a second apart and breaks the line where time is missing or a gap was recorded', () => {
    const points = [
      { t: 1_000, bpm: 60 },
      { t: 2_000, bpm: 61 },
      { t: 9_000, bpm: 62 }, // 7 s later: something is missing
      { t: 10_000, bpm: 63 },
      { t: 11_000, bpm: 64 }, // a recorded gap started at 10 s
    ];
    const [xs, ys] = chartColumns(points, [{ start: 10_000, end: 11_000 }]);
    expect(ys).toEqual([60, 61, null, 62, 63, null, 64]);
    expect(xs).toEqual([1, 2, 5.5, 9, 10, 10.5, 11]);
  });

  it('picks a calm y range: at least 40 bpm tall, in tens, with a default when empty', () => {
    expect(bpmRange([])).toEqual({ min: 50, max: 110 });
    expect(bpmRange([70, 72, null, 71])).toEqual({ min: 50, max: 100 });
    expect(bpmRange([60, 150])).toEqual({ min: 50, max: 160 });
  });
});

describe('the live history', () => {
  it('keeps one source, seeds older stored points behind live ones, and tracks gaps by start', () => {
    const history = new LiveHistory(60_000);
    history.reset('strap');
    history.push('strap', { t: 100_000, bpm: 70 });
    history.push('demo', { t: 100_500, bpm: 99 });
    history.seed(
      'strap',
      [
        { t: 90_000, bpm: 68 },
        { t: 100_000, bpm: 1 },
      ],
      [{ start: 80_000, end: 95_000 }],
    );
    history.gap('strap', { start: 100_000, end: null });
    history.gap('strap', { start: 100_000, end: 104_000 });
    expect(history.snapshot(120_000)).toEqual({
      points: [
        { t: 90_000, bpm: 68 },
        { t: 100_000, bpm: 70 },
      ],
      gaps: [
        { start: 80_000, end: 95_000 },
        { start: 100_000, end: 104_000 },
      ],
    });
    expect(history.snapshot(155_000).points).toEqual([{ t: 100_000, bpm: 70 }]);
  });
});
