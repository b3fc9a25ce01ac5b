import { PDFDocument, StandardFonts } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCALES, type ScaleKey } from '../../src/shared/checkin';
import { lastDays } from '../../src/shared/days';
import { axisTop, pointsChart, zoneBarsChart } from '../../src/shared/report/charts';
import { type DrawOp, encodableText, hatchLines, type PageDrawing, type TextMetrics, wrapText } from '../../src/shared/report/drawing';
import { dayList, driftSpan, reportDay, reportDuration, reportFigures, zoneMinutesOf } from '../../src/shared/report/figures';
import { DEFAULT_SECTIONS, defaultPaper, type ReportOptions, reportOptionsProblem } from '../../src/shared/report/options';
import { layoutReport, type ReportInput } from '../../src/shared/report/report-layout';
import { type ReportStandTest, reportStandTest, standTestCells } from '../../src/shared/report/stand-tests';
import type { StandTestDoc } from '../../src/shared/stand-test/document';
import type { DayRow } from '../../src/shared/trends/day-rows';

const noRatings = () => Object.fromEntries(SCALES.map((s) => [s.key, null])) as Record<ScaleKey, number | null>;

/** A day: `zones` [rest, activity, above] minutes (null: no heart rate); load as src/shared/trends/day-rows.ts builds it. */
function row(date: string, zones: [number, number, number] | null, over: Partial<DayRow> = {}): DayRow {
  return {
    date,
    rmssd: null,
    lnRmssd: null,
    restingHr: null,
    stability: null,
    ratings: noRatings(),
    otherRatings: {},
    symptomSum: null,
    crash: false,
    aboveThresholdMin: zones ? zones[2] : null,
    pacePoints: zones ? zones[1] + 3 * zones[2] : null,
    recordedMin: zones ? zones[0] + zones[1] + zones[2] : null,
    threshold: zones ? 75 : null,
    ...over,
  };
}

/** Helvetica's real widths, from pdf-lib's standard-font metrics: the fonts the PDF uses. */
let metrics: TextMetrics;
beforeAll(async () => {
  const doc = await PDFDocument.create();
  const [regular, bold] = await Promise.all([doc.embedFont(StandardFonts.Helvetica), doc.embedFont(StandardFonts.HelveticaBold)]);
  metrics = { width: (text, size, isBold) => (isBold ? bold : regular).widthOfTextAtSize(text, size) };
});

describe('zone minutes from a day load', () => {
  it('recovers activity from the points (1 a minute) once above-threshold minutes (3 each) are taken out', () => {
    // 150 rest, 40 activity, 10 above: 200 recorded, 40 + 30 = 70 points.
    expect(zoneMinutesOf(row('2026-11-03', [150, 40, 10]))).toEqual({ rest: 150, activity: 40, exertion: 10 });
    expect(zoneMinutesOf(row('2026-11-03', [0, 0, 0]))).toEqual({ rest: 0, activity: 0, exertion: 0 });
    expect(zoneMinutesOf(row('2026-11-03', null))).toBeNull();
  });
});

describe('the summary figures', () => {
  const days = lastDays('2026-11-09', 9);
  const rows = days.map((date, i) =>
    row(date, i === 4 ? null : [100, 20 * i, 5 * i], {
      rmssd: i % 2 ? 40 + i : null,
      restingHr: i % 2 ? 60 + i : null,
      crash: i === 6,
      threshold: i === 4 ? null : 70 + (i % 3),
    }),
  );
  const f = reportFigures(rows, 120);

  it('counts, averages and finds the extremes by hand-checked values', () => {
    expect(f.first).toBe('2026-11-01');
    expect(f.last).toBe('2026-11-09');
    expect(f.heartRateDays).toBe(8);
    expect(f.morningDays).toBe(4);
    // Days 0,1,2,3,5,6,7,8: activity 20i → (0+20+40+60+100+120+140+160)/8 = 80; above 5i → 20.
    expect(f.zoneMeans).toEqual({ rest: 100, activity: 80, exertion: 20 });
    expect(f.threshold).toEqual({ min: 70, max: 72 });
    // Points 20i + 15i = 35i: mean 35 × 4 = 140, highest 280 on day 8; over 120 from day 4 on (days 5–8).
    expect(f.points.mean).toBeCloseTo(140, 10);
    expect(f.points.max).toEqual({ value: 280, date: '2026-11-09' });
    expect(f.points.overLimit).toEqual(['2026-11-06', '2026-11-07', '2026-11-08', '2026-11-09']);
    expect(f.crashDays).toEqual(['2026-11-07']);
    // RMSSD on days 1, 3, 5, 7: 41, 43, 45, 47. Drift over 3 days: day 1 → 41, days 7 → 47.
    expect(f.hrv).toMatchObject({ count: 4, mean: 44, min: { value: 41, date: '2026-11-02' }, max: { value: 47, date: '2026-11-08' } });
    expect(f.hrvDrift).toEqual({ span: 3, first: 41, last: 47 });
    expect(f.symptomSum).toBeNull();
  });

  it('compares a week at each end, or a third of a short period', () => {
    expect([driftSpan(1), driftSpan(9), driftSpan(14), driftSpan(30), driftSpan(90)]).toEqual([1, 3, 4, 7, 7]);
  });

  it('refuses an empty period', () => {
    expect(() => reportFigures([], 120)).toThrow(RangeError);
  });
});

describe('wording', () => {
  it('writes days, durations and lists as the report does', () => {
    expect(reportDay('2026-11-03')).toBe('3 Nov');
    expect([reportDuration(45), reportDuration(60), reportDuration(125.4), reportDuration(59.6)]).toEqual([
      '45 min',
      '1 h 00 min',
      '2 h 05 min',
      '1 h 00 min',
    ]);
    expect(dayList(['2026-11-03'])).toBe('3 Nov');
    expect(dayList(['2026-11-03', '2026-11-04', '2026-11-09'])).toBe('3 Nov, 4 Nov and 9 Nov');
    expect(dayList(lastDays('2026-11-10', 10), 3)).toBe('1 Nov, 2 Nov, 3 Nov and 7 more');
  });

  it('lists a stand test as a screen, saying when it was stopped', () => {
    const test: ReportStandTest = {
      at: 0,
      protocol: 'lean',
      baselineBpm: 64.4,
      rise: 34.2,
      criterionBpm: 30,
      criterionMet: true,
      stopped: true,
      standingS: 7 * 60 + 20,
    };
    expect(standTestCells(test, () => '3 Nov')).toEqual([
      '3 Nov',
      'Lean test',
      '64 bpm',
      '+34 bpm',
      'reached 30 bpm',
      'stopped after 7 min',
    ]);
    expect(
      standTestCells({ ...test, protocol: null, rise: null, criterionMet: null, stopped: false, standingS: 600 }, () => 'x').slice(1),
    ).toEqual(['-', '64 bpm', '-', '-', '10 min standing']);
  });
});

describe('stand tests in the report', () => {
  it('reads a stored stand test: free-standing is an active stand, a stop is kept', () => {
    const stored = {
      standAt: 1_000,
      position: 'free',
      baselineHr: 62.5,
      riseBpm: 41,
      thresholdBpm: 40,
      meetsHrCriterion: true,
      stop: { at: 101_000, reason: 'sit-down' },
      stoodS: 100,
    } as StandTestDoc;
    expect(reportStandTest(stored)).toEqual({
      at: 1_000,
      protocol: 'active',
      baselineBpm: 62.5,
      rise: 41,
      criterionBpm: 40,
      criterionMet: true,
      stopped: true,
      standingS: 100,
    });
    expect(reportStandTest({ ...stored, position: 'lean', stop: null })).toMatchObject({ protocol: 'lean', stopped: false });
  });
});

describe('drawing helpers', () => {
  it('hatches inside the box only, at 45 degrees', () => {
    const lines = hatchLines(10, 20, 30, 12, 4) as Extract<DrawOp, { op: 'line' }>[];
    expect(lines.length).toBe(10); // c = x − h + 2 = 0, 4, …, 36 (below x + w = 40)
    for (const l of lines) {
      for (const [x, y] of [
        [l.x1, l.y1],
        [l.x2, l.y2],
      ] as const) {
        expect(x).toBeGreaterThanOrEqual(10 - 1e-9);
        expect(x).toBeLessThanOrEqual(40 + 1e-9);
        expect(y).toBeGreaterThanOrEqual(20 - 1e-9);
        expect(y).toBeLessThanOrEqual(32 + 1e-9);
      }
      // Rising to the right in a y-down page: y falls as much as x grows.
      expect(l.x2 - l.x1).toBeCloseTo(l.y1 - l.y2, 9);
    }
    expect(hatchLines(0, 0, 0, 10, 2)).toEqual([]);
  });

  it('wraps at spaces within the width, and cuts a word longer than a line', () => {
    const fixed: TextMetrics = { width: (text) => text.length };
    expect(wrapText('one two three four', 9, 1, false, fixed)).toEqual(['one two', 'three', 'four']);
    expect(wrapText('abcdefghij', 4, 1, false, fixed)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapText('a\nb', 10, 1, false, fixed)).toEqual(['a', 'b']);
  });

  it('keeps what the standard fonts can write and marks the rest', () => {
    const latin1 = new Set(Array.from({ length: 0xff - 0x20 }, (_, i) => i + 0x20));
    expect(encodableText('Café\tnoon 🙂 ok\u0007', latin1)).toBe('Café noon ? ok');
    expect(encodableText('line\nnext', latin1)).toBe('line\nnext');
  });

  it('tops an axis at the next multiple of its step', () => {
    expect([axisTop(0, 4), axisTop(4.47, 4), axisTop(120, 50), axisTop(150, 50)]).toEqual([4, 8, 150, 150]);
  });

  it('draws above-threshold time solid, activity hatched and rest open, stacked from the axis', () => {
    const ops = zoneBarsChart([row('2026-11-01', [120, 60, 60])], { x: 0, y: 0, w: 130, h: 120 }, metrics);
    const bars = ops.filter((o): o is Extract<DrawOp, { op: 'rect' }> => o.op === 'rect');
    // 4 h → axis top 4 h over a 100 pt plot: 25 pt an hour.
    expect(bars.map((b) => [b.fill, b.stroke, b.h])).toEqual([
      ['black', null, 25],
      ['white', 'black', 25],
      ['white', 'black', 50],
    ]);
    expect(ops.filter((o) => o.op === 'text').map((o) => (o as { text: string }).text)).toEqual(['0 h', '2 h', '4 h', '1 Nov']);
  });

  it('draws points over the limit black, within it grey, and the limit dashed', () => {
    const ops = pointsChart(
      [row('2026-11-01', [0, 100, 0]), row('2026-11-02', [0, 100, 10])],
      120,
      { x: 0, y: 0, w: 130, h: 120 },
      metrics,
    );
    expect(ops.filter((o) => o.op === 'rect').map((o) => (o as { fill: string }).fill)).toEqual(['light', 'black']);
    expect(ops.filter((o) => o.op === 'line' && o.dash !== null)).toHaveLength(1);
  });
});

describe('the options', () => {
  const good: ReportOptions = { lastDay: '2026-11-30', days: 30, paper: 'a4', sections: { ...DEFAULT_SECTIONS } };

  it('keeps notes private by default', () => {
    expect(DEFAULT_SECTIONS.notes).toBe(false);
  });

  it('names the field that is wrong', () => {
    expect(reportOptionsProblem(good)).toBeNull();
    expect(reportOptionsProblem({ ...good, lastDay: '2026-02-30' })).toMatch(/^lastDay /);
    expect(reportOptionsProblem({ ...good, days: 0 })).toMatch(/^days /);
    expect(reportOptionsProblem({ ...good, days: 367 })).toMatch(/^days /);
    expect(reportOptionsProblem({ ...good, paper: 'a5' as 'a4' })).toMatch(/^paper /);
    expect(reportOptionsProblem({ ...good, sections: { ...good.sections, notes: 'yes' as unknown as boolean } })).toMatch(
      /^sections\.notes /,
    );
  });

  it('picks Letter where Letter is the everyday paper', () => {
    expect(['en-US', 'en-CA', 'es-MX', 'en_US.UTF-8', 'en-GB', 'de-DE', 'fr', 'C'].map(defaultPaper)).toEqual([
      'letter',
      'letter',
      'letter',
      'letter',
      'a4',
      'a4',
      'a4',
      'a4',
    ]);
  });
});

describe('the layout', () => {
  const month = (days: number): DayRow[] =>
    lastDays('2026-11-30', days).map((date, i) =>
      row(date, i % 10 === 4 ? null : [100 + 2 * i, 30 + (i % 7) * 10, 4 * (i % 6)], {
        rmssd: i % 5 === 3 ? null : 30 + ((i * 7) % 23),
        restingHr: i % 5 === 3 ? null : 58 + (i % 4),
        symptomSum: i % 3 === 2 ? null : i % 9,
        crash: i % 11 === 9,
      }),
    );
  const input = (over: Partial<ReportInput> & { days?: number; paper?: 'a4' | 'letter' } = {}): ReportInput => {
    const days = over.days ?? 30;
    return {
      options: { lastDay: '2026-11-30', days, paper: over.paper ?? 'a4', sections: { ...DEFAULT_SECTIONS } },
      rows: month(days),
      dailyPoints: 120,
      standTests: [],
      notes: [],
      madeOn: '2026-12-01',
      skippedRecords: 0,
      ...over,
    };
  };
  const texts = (page: PageDrawing) => page.ops.filter((o) => o.op === 'text').map((o) => (o as { text: string }).text);
  const standTest = (i: number): ReportStandTest => ({
    at: new Date(2026, 10, 2 + i, 9, 30).getTime(),
    protocol: 'active',
    baselineBpm: 62,
    rise: 30 + i,
    criterionBpm: 30,
    criterionMet: true,
    stopped: false,
    standingS: 600,
  });

  it('puts the whole summary on page one, A4 and Letter, 14 to 90 days, stand tests or none', () => {
    for (const paper of ['a4', 'letter'] as const) {
      for (const days of [14, 30, 90]) {
        for (const standTests of [[], [standTest(0), standTest(1), standTest(2)], [0, 1, 2, 3, 4].map(standTest)]) {
          const pages = layoutReport(input({ paper, days, standTests }), metrics);
          const first = texts(pages[0]!);
          expect(
            first.some((t) => t.startsWith('Stand tests')),
            `${paper}, ${days} days`,
          ).toBe(true);
          expect(first.at(-1)).toMatch(/Page 1 of \d+\.$/);
          // Nothing on page one runs past the bottom margin (the footer is the lowest line).
          const footer = pages[0]!.ops.at(-1) as Extract<DrawOp, { op: 'text' }>;
          for (const op of pages[0]!.ops) if (op.op === 'text') expect(op.y).toBeLessThanOrEqual(footer.y);
          // The page before the footer ends with the last stand-test line.
          expect(first.at(-2)).toBe(
            standTests.length ? 'A heart-rate screen, not a diagnosis: only a clinician can diagnose POTS.' : 'None in this period.',
          );
        }
      }
    }
  });

  it('says "None in this period." without stand tests, and lists the latest three with a pointer when there are more', () => {
    expect(texts(layoutReport(input(), metrics)[0]!)).toContain('None in this period.');
    const many = layoutReport(input({ standTests: [0, 1, 2, 3, 4, 5].map(standTest) }), metrics);
    const first = texts(many[0]!);
    expect(first).toContain('+35 bpm');
    expect(first).toContain('+33 bpm');
    expect(first).not.toContain('+32 bpm');
    expect(first).toContain('Stand tests: the latest 3 of 6, all listed after this page');
    expect(texts(many[1]!)).toContain('All stand tests');
    expect(texts(many[1]!)).toContain('+30 bpm');
  });

  it('adds the sections chosen, each on its own pages, and the notes only when ticked', () => {
    const summaryOnly = layoutReport(
      { ...input(), options: { ...input().options, sections: { charts: false, weeklyTables: false, notes: false } } },
      metrics,
    );
    expect(summaryOnly).toHaveLength(1);
    const withNotes = layoutReport(
      {
        ...input(),
        options: { ...input().options, sections: { charts: false, weeklyTables: true, notes: true } },
        notes: [{ date: '2026-11-05', period: 'evening', text: 'Rested all day.' }],
      },
      metrics,
    );
    const all = withNotes.flatMap(texts);
    expect(all).toContain('Week by week');
    expect(all).toContain('5 Nov, evening');
    expect(all).toContain('Rested all day.');
    expect(all).not.toContain('Charts');
    // Five weeks: 1–7, 8–14, 15–21, 22–28, 29–30 Nov.
    expect(all.filter((t) => / to \d+ Nov$/.test(t))).toEqual([
      '1 Nov to 7 Nov',
      '8 Nov to 14 Nov',
      '15 Nov to 21 Nov',
      '22 Nov to 28 Nov',
      '29 Nov to 30 Nov',
    ]);
  });

  it('keeps every drawing on its page and numbers the pages', () => {
    const pages = layoutReport(input({ days: 90 }), metrics);
    expect(pages.length).toBeGreaterThan(3);
    pages.forEach((page, i) => {
      expect(texts(page).at(-1)).toBe(`Pacing report: a record kept by the person, not a diagnosis. Page ${i + 1} of ${pages.length}.`);
      for (const op of page.ops) {
        const xs = op.op === 'line' ? [op.x1, op.x2] : op.op === 'path' ? op.points.map((p) => p[0]) : [op.x];
        const ys = op.op === 'line' ? [op.y1, op.y2] : op.op === 'path' ? op.points.map((p) => p[1]) : [op.y];
        for (const x of xs) expect(x).toBeGreaterThanOrEqual(0);
        for (const x of xs) expect(x).toBeLessThanOrEqual(page.width);
        for (const y of ys) expect(y).toBeGreaterThanOrEqual(0);
        for (const y of ys) expect(y).toBeLessThanOrEqual(page.height);
        if (op.op === 'text') expect(op.x + metrics.width(op.text, op.size, op.bold)).toBeLessThanOrEqual(page.width - 39.9);
      }
    });
  });
});
