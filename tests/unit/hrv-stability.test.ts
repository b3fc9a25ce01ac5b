import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MorningReading, type StabilityInput, stabilityScore } from '../../src/shared/hrv/stability';

const TODAY = '2025-03-31';
/** `YYYY-MM-DD`, `daysAgo` days before TODAY. */
const dayBefore = (daysAgo: number) => new Date(Date.parse(`${TODAY}T00:00:00Z`) - daysAgo * 86_400_000).toISOString().slice(0, 10);
/** Mornings 1…n days ago, each with the values `at(daysAgo)` gives. */
const mornings = (n: number, at: (daysAgo: number) => Omit<MorningReading, 'date'>) =>
  Array.from({ length: n }, (_, i) => ({ date: dayBefore(i + 1), ...at(i + 1) }));
const flat = (n: number) => mornings(n, () => ({ lnRmssd: 4, restingHr: 55 }));

const input = (over: Partial<StabilityInput> & { lnRmssd?: number; restingHr?: number } = {}): StabilityInput => ({
  today: { date: TODAY, lnRmssd: over.lnRmssd ?? 4, restingHr: over.restingHr ?? 55 },
  history: over.history ?? flat(10),
  sleepQuality: over.sleepQuality === undefined ? 3 : over.sleepQuality,
  symptoms: over.symptoms ?? [],
});

const scoreOf = (i: StabilityInput) => {
  const result = stabilityScore(i);
  if (!result.ready) throw new Error('expected a score');
  return result;
};

describe('readiness', () => {
  it('waits for four mornings, counting today', () => {
    expect(stabilityScore(input({ history: [] }))).toEqual({ ready: false, mornings: 1, morningsNeeded: 3 });
    expect(stabilityScore(input({ history: flat(2) }))).toEqual({ ready: false, mornings: 3, morningsNeeded: 1 });
    expect(stabilityScore(input({ history: flat(3) }))).toMatchObject({ ready: true, score: 5, baseline: { mornings: 4 } });
  });

  it('counts only mornings inside the baseline window, one per date, none from today or later', () => {
    const history = [
      ...mornings(2, () => ({ lnRmssd: 4, restingHr: 55 })),
      { date: dayBefore(1), lnRmssd: 4, restingHr: 55 },
      { date: dayBefore(61), lnRmssd: 4, restingHr: 55 },
      { date: TODAY, lnRmssd: 4, restingHr: 55 },
      { date: '2025-04-02', lnRmssd: 4, restingHr: 55 },
      { date: 'not a date', lnRmssd: 4, restingHr: 55 },
    ];
    expect(stabilityScore(input({ history }))).toMatchObject({ ready: false, mornings: 3 });
    expect(stabilityScore(input({ history }), { baselineDays: 90 })).toMatchObject({ ready: true });
  });

  it('rejects a today it cannot read', () => {
    expect(() => stabilityScore({ ...input(), today: { date: '31/03/2025', lnRmssd: 4, restingHr: 55 } })).toThrow(RangeError);
    expect(() => stabilityScore(input({ lnRmssd: Number.NaN }))).toThrow(RangeError);
  });
});

describe('scoring', () => {
  it('gives 5 with no factors on an ordinary morning', () => {
    expect(scoreOf(input())).toMatchObject({ score: 5, factors: [] });
  });

  it('uses the band floors on a flat baseline (SD 0), so noise is not a drop', () => {
    const result = scoreOf(input({ lnRmssd: 3.95, restingHr: 57 }));
    expect(result).toMatchObject({
      score: 5,
      factors: [],
      baseline: { lnRmssdMean: 4, lnRmssdBand: 0.1, restingHrMean: 55, restingHrBand: 3 },
    });
  });

  it.each([
    [3.85, 4, 'HRV this morning is below your normal range'],
    [3.75, 3, 'HRV this morning is well below your normal range'],
  ])('lnRMSSD %d against a flat 4.0 → %d', (lnRmssd, score, explanation) => {
    expect(scoreOf(input({ lnRmssd }))).toMatchObject({ score, factors: [{ code: 'hrv-low', explanation }] });
  });

  it('says how far resting heart rate is above normal', () => {
    expect(scoreOf(input({ restingHr: 61 }))).toMatchObject({
      score: 4,
      factors: [{ code: 'resting-hr-high', points: 1, explanation: 'Resting heart rate is 6 bpm above your normal' }],
    });
    expect(scoreOf(input({ restingHr: 62 }))).toMatchObject({ score: 3, factors: [{ points: 2 }] });
  });

  it('flags a week of HRV below the normal range even on an ordinary morning', () => {
    const history = mornings(40, (d) => ({ lnRmssd: d <= 6 ? 3.9 : d % 2 === 0 ? 4.0 : 4.2, restingHr: 55 }));
    const result = scoreOf(input({ history, lnRmssd: 4.0 }));
    expect(result.factors).toEqual([
      { code: 'hrv-low-week', points: 1, explanation: 'HRV has averaged below your normal range over the past 7 days' },
    ]);
    expect(result.score).toBe(4);
  });

  it.each([
    [null, 5],
    [3, 5],
    [2, 5],
    [1, 4],
    [0, 3],
  ])('sleep rated %s → %d', (sleepQuality, score) => {
    const result = scoreOf(input({ sleepQuality }));
    expect(result.score).toBe(score);
    expect(result.factors.some((f) => f.code === 'sleep-poor')).toBe(score < 5);
  });

  it('names the worst symptoms of last evening', () => {
    const symptoms = [
      { name: 'fatigue', score: 3 },
      { name: 'pain', score: 3 },
      { name: 'brain fog', score: 1 },
    ];
    expect(scoreOf(input({ symptoms }))).toMatchObject({
      score: 3,
      factors: [{ code: 'symptoms', points: 2, explanation: 'Fatigue and pain were severe last evening' }],
    });
    expect(scoreOf(input({ symptoms: [{ name: 'brain fog', score: 2 }] }))).toMatchObject({
      score: 4,
      factors: [{ explanation: 'Brain fog was moderate last evening' }],
    });
    expect(scoreOf(input({ symptoms: [{ name: 'pain', score: 1 }] })).score).toBe(5);
  });

  it('lists factors worst first and never scores below 1', () => {
    const result = scoreOf(input({ lnRmssd: 3, restingHr: 70, sleepQuality: 1, symptoms: [{ name: 'fatigue', score: 2 }] }));
    expect(result.score).toBe(1);
    expect(result.factors.map((f) => f.points)).toEqual([2, 2, 1, 1, 1]);
  });
});

describe('monotonicity', () => {
  const names = ['fatigue', 'pain', 'brain fog'];
  const reading = fc.record({
    lnRmssd: fc.double({ min: 2, max: 5, noNaN: true }),
    restingHr: fc.double({ min: 40, max: 100, noNaN: true }),
  });
  const scenario = fc.record({
    history: fc.array(fc.tuple(fc.integer({ min: 1, max: 90 }), reading), { minLength: 3, maxLength: 40 }),
    today: reading,
    sleepQuality: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
    symptoms: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }),
    // How much worse the second morning is, per input.
    lnDrop: fc.double({ min: 0, max: 2, noNaN: true }),
    hrRise: fc.double({ min: 0, max: 30, noNaN: true }),
    sleepDrop: fc.integer({ min: 0, max: 3 }),
    symptomRise: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }),
  });

  it('never gives a better score for worse inputs', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const history = s.history.map(([daysAgo, m]) => ({ date: dayBefore(daysAgo), ...m }));
        const base: StabilityInput = {
          today: { date: TODAY, ...s.today },
          history,
          sleepQuality: s.sleepQuality,
          symptoms: s.symptoms.map((score, i) => ({ name: names[i]!, score })),
        };
        const worse: StabilityInput = {
          today: { date: TODAY, lnRmssd: s.today.lnRmssd - s.lnDrop, restingHr: s.today.restingHr + s.hrRise },
          history,
          sleepQuality: s.sleepQuality === null ? null : Math.max(0, s.sleepQuality - s.sleepDrop),
          symptoms: s.symptoms.map((score, i) => ({ name: names[i]!, score: Math.min(3, score + s.symptomRise[i]!) })),
        };
        const a = stabilityScore(base);
        const b = stabilityScore(worse);
        expect(b.ready).toBe(a.ready);
        if (a.ready && b.ready) expect(b.score).toBeLessThanOrEqual(a.score);
      }),
      { numRuns: 500 },
    );
  });
});
