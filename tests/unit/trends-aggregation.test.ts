import { describe, expect, it } from 'vitest';
import { blankCheckIn, type CheckIn } from '../../src/shared/checkin';
import { addDays, dayBounds, dayKeyOf, dayStart, lastDays, parseDayKey } from '../../src/shared/days';
import type { Measurement } from '../../src/shared/measurement';
import { zoneBounds } from '../../src/shared/pacing/zones';
import { appendToChunk, emptyChunk, type HeartRateSample, type SampleChunk } from '../../src/shared/samples';
import { dayFigures, loadOfDay } from '../../src/shared/trends/day-load';
import { boundsFor, buildDayRows, symptomSum, worstOtherRatings, worstRatings } from '../../src/shared/trends/day-rows';
import { columnsFromChunks } from '../../src/shared/trends/day-samples';
import { seriesById, symptomSeries } from '../../src/shared/trends/series';
import { summarise, summarySentence } from '../../src/shared/trends/summary';

/** Local time on 12 Nov 2026, whatever the machine's time zone. */
const at = (h: number, m = 0, s = 0) => new Date(2026, 10, 12, h, m, s).getTime();

const chunkOf = (sourceId: string, samples: [number, number][], demo = false): SampleChunk => {
  const chunk = emptyChunk(sourceId, demo, 'rr', samples[0]![0]);
  appendToChunk(
    chunk,
    samples.map(([t, bpm]): HeartRateSample => ({ t, bpm, contact: true, intervalsMs: [] })),
  );
  return chunk;
};

const measurement = (date: string, rmssd: number, restingHr: number, demo = false): Measurement => ({
  date,
  rmssd,
  lnRmssd: Math.log(rmssd),
  sdnn: rmssd,
  restingHr,
  beats: 120,
  correctedShare: 0,
  durationS: 120,
  source: { id: demo ? 'demo' : 'strap', name: 'Strap', intervalKind: 'rr', demo },
  takenAt: dayStart(date) + 7 * 3_600_000,
});

const checkIn = (date: string, period: CheckIn['period'], over: Partial<CheckIn> = {}): CheckIn => ({
  ...blankCheckIn(date, period),
  savedAt: 0,
  ...over,
});

describe('local days', () => {
  it('names, bounds and counts calendar days', () => {
    expect(dayKeyOf(at(0))).toBe('2026-11-12');
    expect(dayKeyOf(at(23, 59, 59))).toBe('2026-11-12');
    expect(dayBounds('2026-11-12')).toEqual({ from: at(0), to: new Date(2026, 10, 13).getTime() });
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(lastDays('2026-11-12', 3)).toEqual(['2026-11-10', '2026-11-11', '2026-11-12']);
  });

  it('refuses what is not a calendar date', () => {
    expect(() => parseDayKey('2026-02-30')).toThrow(/not a YYYY-MM-DD/);
    expect(() => parseDayKey('12/11/2026')).toThrow(RangeError);
    expect(() => lastDays('2026-11-12', 0)).toThrow(/count/);
  });
});

describe('columnsFromChunks', () => {
  it('flattens chunks in time order, without demo chunks or readings without a heart rate', () => {
    const a = chunkOf('strap', [
      [at(10, 1, 0), 70],
      [at(10, 1, 1), 0],
      [at(10, 1, 2), 72],
    ]);
    const b = chunkOf('strap', [[at(10, 0, 30), 65]]);
    const demo = chunkOf('demo', [[at(10, 0, 31), 150]], true);
    const out = columnsFromChunks([a, demo, b]);
    expect(Array.from(out.t.subarray(0, out.length))).toEqual([at(10, 0, 30), at(10, 1, 0), at(10, 1, 2)]);
    expect(Array.from(out.bpm.subarray(0, out.length))).toEqual([65, 70, 72]);
  });

  it('merges two armbands of the same minute by time, one sample per instant', () => {
    const one = chunkOf('one', [
      [at(9, 0, 0), 60],
      [at(9, 0, 2), 62],
    ]);
    const two = chunkOf('two', [
      [at(9, 0, 1), 61],
      [at(9, 0, 2), 99],
    ]);
    const out = columnsFromChunks([one, two]);
    expect(Array.from(out.bpm.subarray(0, out.length))).toEqual([60, 61, 62]);
  });

  it('keeps only [from, to)', () => {
    const c = chunkOf('s', [
      [at(9, 0, 0), 60],
      [at(9, 0, 1), 61],
      [at(9, 0, 2), 62],
    ]);
    expect(columnsFromChunks([c], at(9, 0, 1), at(9, 0, 2)).length).toBe(1);
  });
});

describe('loadOfDay', () => {
  const bounds = zoneBounds(60); // rest below 65, threshold 75
  const { from, to } = dayBounds('2026-11-12');

  it('counts time above threshold and pace points by hand-computed spans', () => {
    // 10:00:00 70 (activity) → 10:00:05 80 (exertion) → 10:00:08 62 (rest) → 10:00:17 (last).
    // Spans: 5 s activity, 3 s exertion, 9 s rest: 3 s above, 17 s recorded; points 5/60·1 + 3/60·3 = 14/60.
    const samples = columnsFromChunks([
      chunkOf('s', [
        [at(10, 0, 0), 70],
        [at(10, 0, 5), 80],
        [at(10, 0, 8), 62],
        [at(10, 0, 17), 61],
      ]),
    ]);
    const load = loadOfDay(samples, bounds, from, to);
    expect(load.aboveThresholdMs).toBe(3000);
    expect(load.recordedMs).toBe(17_000);
    expect(load.points).toBeCloseTo(14 / 60, 10);
    expect(load.threshold).toBe(75);
  });

  it('does not count a gap longer than 10 s', () => {
    const samples = columnsFromChunks([
      chunkOf('s', [
        [at(10, 0, 0), 90],
        [at(10, 0, 11), 90],
        [at(10, 0, 12), 90],
      ]),
    ]);
    expect(loadOfDay(samples, bounds, from, to).aboveThresholdMs).toBe(1000);
  });

  it('splits a span across midnight between the two days', () => {
    const before = new Date(2026, 10, 11, 23, 59, 58).getTime();
    const samples = columnsFromChunks([chunkOf('s', [[before, 90]]), chunkOf('s', [[from + 2000, 90]])]);
    // 23:59:58 → 00:00:02 at 90 bpm: 2 s on the 11th, 2 s on the 12th.
    expect(loadOfDay(samples, bounds, from, to).aboveThresholdMs).toBe(2000);
    const eleventh = dayBounds('2026-11-11');
    expect(loadOfDay(samples, bounds, eleventh.from, eleventh.to).aboveThresholdMs).toBe(2000);
  });
});

describe('dayFigures', () => {
  it('finds the peak and the low at full resolution, with their first times, and the mean', () => {
    const samples = columnsFromChunks([
      chunkOf('s', [
        [at(14, 5, 0), 70],
        [at(14, 5, 1), 152],
        [at(14, 5, 2), 152],
        [at(14, 5, 3), 52],
      ]),
    ]);
    expect(dayFigures(samples, at(0), at(24))).toEqual({
      peak: { bpm: 152, t: at(14, 5, 1) },
      low: { bpm: 52, t: at(14, 5, 3) },
      meanBpm: (70 + 152 + 152 + 52) / 4,
      samples: 4,
    });
    expect(dayFigures(samples, at(15), at(16))).toEqual({ peak: null, low: null, meanBpm: null, samples: 0 });
  });
});

describe('day rows', () => {
  it('takes the worst rating of the day: highest symptom, lowest sleep and mood', () => {
    const ratings = worstRatings([
      checkIn('2026-11-12', 'morning', { fatigue: 1, sleepQuality: 2, mood: 3 }),
      checkIn('2026-11-12', 'evening', { fatigue: 3, pain: 2, mood: 1 }),
    ]);
    expect(ratings).toEqual({ fatigue: 3, brainFog: null, pain: 2, sleepQuality: 2, orthostatic: null, mood: 1 });
    expect(symptomSum(ratings)).toBe(5);
    expect(symptomSum(worstRatings([]))).toBeNull();
  });

  it('counts each day against its own resting HR, a typed one, or the default', () => {
    const mornings = [measurement('2026-11-01', 40, 58), measurement('2026-11-10', 40, 64), measurement('2026-11-11', 40, 90, true)];
    expect(boundsFor('2026-11-05', mornings, { restingHr: null, threshold: null })).toEqual({ restBelow: 63, threshold: 73 });
    expect(boundsFor('2026-11-12', mornings, { restingHr: null, threshold: null })).toEqual({ restBelow: 69, threshold: 79 });
    expect(boundsFor('2026-10-30', mornings, { restingHr: null, threshold: null })).toEqual({ restBelow: 65, threshold: 75 });
    expect(boundsFor('2026-11-12', mornings, { restingHr: 50, threshold: 100 })).toEqual({ restBelow: 55, threshold: 100 });
  });

  it('joins mornings, check-ins, stability and load by day, leaving demo readings out', () => {
    const days = lastDays('2026-11-12', 6);
    const measurements = [
      measurement('2026-11-07', 40, 60),
      measurement('2026-11-08', 42, 60),
      measurement('2026-11-09', 38, 61),
      measurement('2026-11-10', 41, 59),
      measurement('2026-11-11', 20, 70), // well below baseline, resting HR way up
      measurement('2026-11-12', 99, 40, true),
    ];
    const checkIns = [checkIn('2026-11-10', 'evening', { fatigue: 3, crash: true }), checkIn('2026-11-11', 'morning', { sleepQuality: 0 })];
    const loads = new Map([['2026-11-11', { aboveThresholdMs: 90_000, points: 12.5, recordedMs: 3_600_000, threshold: 75 }]]);
    const rows = buildDayRows(days, measurements, checkIns, loads);
    expect(rows.map((r) => r.date)).toEqual(days);
    expect(rows.map((r) => r.rmssd)).toEqual([40, 42, 38, 41, 20, null]);
    // Stability from the 4th morning: 11-10 is steady; 11-11 loses 2 (HRV), 1 (week), 2 (resting HR), 2 (sleep), 2 (symptoms): floor 1.
    expect(rows.map((r) => r.stability)).toEqual([null, null, null, 5, 1, null]);
    expect(rows[3]).toMatchObject({ crash: true, symptomSum: 3 });
    expect(rows[4]).toMatchObject({ aboveThresholdMin: 1.5, pacePoints: 12.5, recordedMin: 60, threshold: 75, crash: false });
    expect(rows[5]).toMatchObject({ aboveThresholdMin: null, restingHr: null });
  });
});

describe('summaries', () => {
  const rows = buildDayRows(
    ['2026-11-10', '2026-11-11', '2026-11-12'],
    [measurement('2026-11-10', 42, 60), measurement('2026-11-12', 31, 62)],
    [],
    new Map(),
  );
  const hrv = seriesById('rmssd');

  it('gives mean, lowest and highest with their days over the days that have a value', () => {
    expect(summarise(rows, hrv)).toEqual({
      count: 2,
      mean: 36.5,
      min: { value: 31, date: '2026-11-12' },
      max: { value: 42, date: '2026-11-10' },
    });
    expect(summarise(rows, seriesById('pain'))).toBeNull();
  });

  it('says it in one sentence', () => {
    const label = (day: string) => `<${day}>`;
    expect(summarySentence(rows, hrv, label)).toBe(
      'Morning HRV averaged 37 ms over 3 days (2 with a value), lowest 31 ms on <2026-11-12>, highest 42 ms on <2026-11-10>.',
    );
    expect(summarySentence(rows, seriesById('pain'), label)).toBe('Pain: nothing recorded over 3 days.');
    expect(summarySentence(rows.slice(0, 1), seriesById('restingHr'), label)).toBe(
      'Resting heart rate averaged 60 bpm over 1 day, 60 bpm every time.',
    );
  });
});

describe('symptoms beyond the six', () => {
  it('takes the worst of the day for each, and charts any one of them by name', () => {
    const morning = { ...blankCheckIn('2026-11-12', 'morning'), symptoms: { headache: 1, 'c-tinnitus': 3 } } as const;
    const evening = { ...blankCheckIn('2026-11-12', 'evening'), symptoms: { headache: 2 } } as const;
    expect(worstOtherRatings([morning, evening])).toEqual({ headache: 2, 'c-tinnitus': 3 });
    const [row] = buildDayRows(['2026-11-12', '2026-11-13'], [], [morning, evening], new Map());
    const tinnitus = symptomSeries({ id: 'c-tinnitus', label: 'Tinnitus' });
    expect(tinnitus).toMatchObject({ id: 'symptom:c-tinnitus', label: 'Tinnitus', range: [0, 3] });
    expect(row && tinnitus.value(row)).toBe(3);
    expect(symptomSeries({ id: 'nausea', label: 'Nausea' }).value(row!)).toBeNull();
  });
});
