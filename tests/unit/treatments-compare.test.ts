import { describe, expect, it } from 'vitest';
import { SCALES } from '../../src/shared/checkin';
import { addDays, type DayKey } from '../../src/shared/days';
import { chartMarks, parseTreatmentEntry, type TreatmentEntry } from '../../src/shared/treatments';
import { compareBeforeAfter, comparisonWindows } from '../../src/shared/trends/before-after';
import type { DayRow } from '../../src/shared/trends/day-rows';
import { earlyWarning } from '../../src/shared/trends/early-warning';

/** A day with nothing recorded, then the fields a test gives. `symptomSum` also rates fatigue, as a check-in would. */
function row(date: DayKey, fields: Partial<DayRow> = {}): DayRow {
  const ratings = Object.fromEntries(SCALES.map((s) => [s.key, null])) as DayRow['ratings'];
  if (fields.symptomSum != null) ratings.fatigue = 1;
  return {
    date,
    rmssd: null,
    lnRmssd: null,
    restingHr: null,
    stability: null,
    ratings,
    otherRatings: {},
    symptomSum: null,
    crash: false,
    aboveThresholdMin: null,
    pacePoints: null,
    recordedMin: null,
    threshold: null,
    ...fields,
  };
}
const days = (first: DayKey, count: number) => Array.from({ length: count }, (_, i) => addDays(first, i));

describe('treatment and event documents', () => {
  const treatment = {
    type: 'treatment',
    category: 'medication',
    name: '  Ivabradine ',
    dose: '2.5 mg twice a day',
    start: '2026-11-10',
    stop: null,
    note: '',
    savedAt: 1,
  };

  it('reads a treatment, trimming its text', () => {
    expect(parseTreatmentEntry(treatment)).toEqual({ ok: true, value: { ...treatment, name: 'Ivabradine' } });
    expect(parseTreatmentEntry({ ...treatment, dose: ' ' })).toMatchObject({ ok: true, value: { dose: null } });
  });

  it('reads an event', () => {
    const event = { type: 'event', category: 'travel', name: 'Lisbon', date: '2026-11-12', note: 'by train', savedAt: 5 };
    expect(parseTreatmentEntry(event)).toEqual({ ok: true, value: event });
  });

  it.each([
    [{ ...treatment, name: '' }, 'name is empty: give it a name'],
    [{ ...treatment, name: 'x'.repeat(81) }, 'name is 81 characters; the limit is 80'],
    [{ ...treatment, category: 'potion' }, 'category must be one of medication, supplement, change, got "potion"'],
    [{ ...treatment, start: '2026-02-30' }, 'start must be a calendar date YYYY-MM-DD, got "2026-02-30"'],
    [{ ...treatment, stop: '2026-11-09' }, 'stop (2026-11-09) is before start (2026-11-10)'],
    [{ ...treatment, dose: 5 }, 'dose must be text, got 5'],
    [{ ...treatment, savedAt: -1 }, 'savedAt must be epoch milliseconds, got -1'],
    [{ ...treatment, type: 'diet' }, 'type must be treatment or event, got "diet"'],
    [
      { type: 'event', category: 'travel', name: 'Lisbon', date: 'soon', savedAt: 1 },
      'date must be a calendar date YYYY-MM-DD, got "soon"',
    ],
    [[], 'a treatment or event must be an object'],
  ])('refuses %j: %s', (body, reason) => {
    expect(parseTreatmentEntry(body)).toEqual({ ok: false, reason });
  });

  it('marks starts, the day after a stop, and events, within the charted days', () => {
    const entries: TreatmentEntry[] = [
      {
        type: 'treatment',
        category: 'supplement',
        name: 'Magnesium',
        dose: null,
        start: '2026-11-10',
        stop: '2026-11-14',
        note: '',
        savedAt: 1,
      },
      { type: 'treatment', category: 'medication', name: 'LDN', dose: '1 mg', start: '2026-11-16', stop: null, note: '', savedAt: 1 },
      { type: 'event', category: 'infection', name: 'Cold', date: '2026-11-12', note: '', savedAt: 1 },
    ];
    expect(chartMarks(entries, '2026-11-11', '2026-11-20')).toEqual([
      { day: '2026-11-12', kind: 'event', label: 'Infection or illness: Cold' },
      { day: '2026-11-15', kind: 'stop', label: 'Stopped Magnesium' },
      { day: '2026-11-16', kind: 'start', label: 'Started LDN (1 mg)' },
    ]);
  });
});

describe('before and after a treatment', () => {
  it('takes as many days before as have passed since the start, up to four weeks', () => {
    expect(comparisonWindows('2026-11-15', '2026-11-20')).toEqual({
      start: '2026-11-15',
      days: 6,
      before: { first: '2026-11-09', last: '2026-11-14' },
      after: { first: '2026-11-15', last: '2026-11-20' },
    });
    expect(comparisonWindows('2026-10-01', '2026-12-05')).toEqual({
      start: '2026-10-01',
      days: 28,
      before: { first: '2026-09-03', last: '2026-09-30' },
      after: { first: '2026-10-01', last: '2026-10-28' },
    });
    expect(comparisonWindows('2026-12-06', '2026-12-05')).toBeNull();
  });

  it('compares means over the days with a value, and refuses a figure with fewer than 5 days either side', () => {
    const windows = comparisonWindows('2026-11-15', '2026-11-20');
    if (!windows) throw new Error('no windows');
    const before = [30, 32, 34, 36, 38, 40];
    const after = [40, 42, 44, 46, 48, null];
    const rows = [
      // Outside both windows: ignored.
      row('2026-11-08', { rmssd: 500, restingHr: 100, crash: true, symptomSum: 12 }),
      ...days('2026-11-09', 6).map((date, i) =>
        row(date, { rmssd: before[i] as number, restingHr: 60, symptomSum: 6, crash: i === 1 || i === 4 }),
      ),
      ...days('2026-11-15', 6).map((date, i) =>
        row(date, { rmssd: after[i] ?? null, restingHr: i < 4 ? 58 : null, symptomSum: i < 5 ? 3 : null }),
      ),
    ];
    const comparison = compareBeforeAfter(rows, windows);
    const by = Object.fromEntries(comparison.metrics.map((m) => [m.metric, m]));
    // (30+32+34+36+38+40)/6 = 35; (40+42+44+46+48)/5 = 44.
    expect(by.rmssd).toEqual({ metric: 'rmssd', before: { value: 35, days: 6 }, after: { value: 44, days: 5 }, change: 9, improved: true });
    // 4 days after: too few to compare.
    expect(by.restingHr).toEqual({
      metric: 'restingHr',
      before: { value: 60, days: 6 },
      after: { value: 58, days: 4 },
      change: null,
      improved: null,
    });
    expect(by.symptomSum).toMatchObject({ before: { value: 6, days: 6 }, after: { value: 3, days: 5 }, change: -3, improved: true });
    // 2 crashes in 6 days checked in = 2.33 a week; none in 5 days after.
    expect(by.crashDays?.before.value).toBeCloseTo(7 / 3, 10);
    expect(by.crashDays).toMatchObject({ before: { days: 6 }, after: { value: 0, days: 5 }, improved: true });
    expect(by.aboveThresholdMin).toEqual({
      metric: 'aboveThresholdMin',
      before: { value: null, days: 0 },
      after: { value: null, days: 0 },
      change: null,
      improved: null,
    });
    expect(comparison.tooFew).toBe(false);
  });

  it('says when no figure has enough days', () => {
    const windows = comparisonWindows('2026-11-18', '2026-11-20');
    if (!windows) throw new Error('no windows');
    const rows = days('2026-11-15', 6).map((date) => row(date, { rmssd: 40 }));
    expect(compareBeforeAfter(rows, windows).tooFew).toBe(true);
  });
});

describe('early warning', () => {
  const first = '2026-10-01';
  /** 28 baseline days (ln RMSSD 3.7/3.8 and resting HR 58/62 alternating: means 3.75 and 60), then 3 recent days. */
  function history(recent: Partial<DayRow>[], baselineMornings = 28): DayRow[] {
    const baseline = days(first, 28).map((date, i) => {
      if (i >= baselineMornings) return row(date, { pacePoints: 50 });
      const ln = i % 2 === 0 ? 3.7 : 3.8;
      return row(date, { lnRmssd: ln, rmssd: Math.exp(ln), restingHr: i % 2 === 0 ? 58 : 62, pacePoints: 50 });
    });
    return [...baseline, ...days(addDays(first, 28), 3).map((date, i) => row(date, recent[i]))];
  }
  const morning = (ln: number, restingHr: number, pacePoints: number | null): Partial<DayRow> => ({
    lnRmssd: ln,
    rmssd: Math.exp(ln),
    restingHr,
    pacePoints,
  });

  it('warns when HRV is low on 2 of 3 mornings and resting heart rate is high on 2 of them', () => {
    // ln sd = sqrt(28 × 0.05² / 27) = 0.0509: HRV line 3.75 − 0.0255 = 3.7245. RHR sd 2.04, half is 1.02 < 2: line 62.
    const result = earlyWarning(history([morning(3.7, 63, 100), morning(3.72, 61, 130), morning(3.75, 64, null)]), 120);
    expect(result).toEqual({
      status: 'warning',
      baseline: { rmssdMs: 42.5, restingHr: 60, mornings: 28 },
      signals: [
        // e^3.75 = 42.52 ms; e^((3.70+3.72+3.75)/3) = 41.41 ms, 2.6 % below.
        { id: 'hrvLow', daysMet: 2, daysKnown: 3, counts: true, detail: '3 % below your baseline of 43 ms (last 3 mornings: 41 ms)' },
        // (63 + 61 + 64) / 3 − 60 = +2.7.
        { id: 'restingHrHigh', daysMet: 2, daysKnown: 3, counts: true, detail: '+2.7 bpm against your baseline of 60 bpm' },
        { id: 'overBudget', daysMet: 1, daysKnown: 2, counts: false, detail: 'pace points 100, 130 against a limit of 120' },
      ],
    });
  });

  it('warns on low HRV with two days over budget', () => {
    const result = earlyWarning(history([morning(3.7, 60, 130), morning(3.72, 61, 125), morning(3.75, 59, 90)]), 120);
    expect(result.status).toBe('warning');
  });

  it('stays calm on low HRV alone', () => {
    const result = earlyWarning(history([morning(3.7, 60, 100), morning(3.72, 61, 130), morning(3.6, 64, null)]), 120);
    expect(result).toMatchObject({ status: 'calm' });
    if (result.status === 'not-enough-history') throw new Error('unexpected');
    expect(result.signals.map((s) => [s.id, s.daysMet, s.counts])).toEqual([
      ['hrvLow', 3, true],
      ['restingHrHigh', 1, false],
      ['overBudget', 1, false],
    ]);
  });

  it('makes no judgement on fewer than 14 baseline mornings', () => {
    expect(earlyWarning(history([morning(3.0, 80, 200), morning(3.0, 80, 200), morning(3.0, 80, 200)], 13), 120)).toEqual({
      status: 'not-enough-history',
      mornings: 13,
      needed: 14,
    });
  });
});
