/**
 * The report, page by page: the one-page summary a clinician reads in two minutes, then the detail
 * pages a person chose (charts, a table per week, their notes). Pure: rows and choices in,
 * drawings out; src/workers/report-pdf.ts writes them as PDF and the screen previews page one.
 */
import { SCALES } from '../checkin';
import type { DayKey } from '../days';
import type { DayRow } from '../trends/day-rows';
import { type SeriesDef, seriesById } from '../trends/series';
import { formatValue, summarySentence } from '../trends/summary';
import { type Box, lineChart, pointsChart, zoneBarsChart } from './charts';
import { type DrawOp, hatchLines, type PageDrawing, type TextMetrics } from './drawing';
import { dayList, type ReportFigures, reportDate, reportDay, reportDuration, reportFigures, zoneMinutesOf } from './figures';
import { PAPER_SIZES, type ReportOptions } from './options';
import { type Column, PageFlow } from './page-flow';
import { type ReportStandTest, standTestCells } from './stand-tests';

/** A check-in note the person ticked for the report. */
export interface ReportNote {
  date: DayKey;
  period: 'morning' | 'evening';
  text: string;
}

/** Everything a report is drawn from. */
export interface ReportInput {
  options: ReportOptions;
  /** One row per day of the period, oldest first (the Trends screen's rows). */
  rows: DayRow[];
  dailyPoints: number;
  standTests: ReportStandTest[];
  /** Empty unless notes were chosen. */
  notes: ReportNote[];
  /** The day the report was made. */
  madeOn: DayKey;
  /** Stored records that could not be read and are left out. */
  skippedRecords: number;
}

/** How many stand tests the summary lists before pointing to the detail pages. */
export const SUMMARY_STAND_TESTS = 3;

export const REPORT_TITLE = 'Pacing report';

/** The document title (PDF metadata and the saved file's name). */
export function reportTitle(first: DayKey, last: DayKey): string {
  return `${REPORT_TITLE}, ${reportDate(first)} to ${reportDate(last)}`;
}

/** Lays out the whole report. */
export function layoutReport(input: ReportInput, metrics: TextMetrics): PageDrawing[] {
  const { rows } = input;
  const figures = reportFigures(rows, input.dailyPoints);
  const paper = PAPER_SIZES[input.options.paper];
  const flow = new PageFlow(paper.width, paper.height, metrics, reportTitle(figures.first, figures.last));
  summaryPage(flow, input, figures);
  if (input.standTests.length > SUMMARY_STAND_TESTS) {
    flow.newPage();
    flow.heading('All stand tests', 13);
    standTestTable(flow, input.standTests);
  }
  if (input.options.sections.charts) chartPages(flow, input, figures);
  if (input.options.sections.weeklyTables) weekTables(flow, rows);
  if (input.options.sections.notes) notePages(flow, input.notes);
  return flow.finish((page, count) => `${REPORT_TITLE}: a record kept by the person, not a diagnosis. Page ${page} of ${count}.`);
}

const measure = (id: Parameters<typeof seriesById>[0]) => seriesById(id);

function summaryPage(flow: PageFlow, input: ReportInput, f: ReportFigures): void {
  const { rows } = input;
  flow.text(REPORT_TITLE, 18, true);
  flow.text(`${reportDate(f.first)} to ${reportDate(f.last)} (${f.days} days)`, 11, false);
  flow.text(
    `Made on ${reportDate(input.madeOn)} by Steady on the person's own device, from their armband, morning HRV readings and check-ins.`,
    8,
    false,
  );
  flow.gap(2);
  flow.text(
    `Heart rate on ${f.heartRateDays} of ${f.days} days; morning HRV readings on ${f.morningDays} days; symptoms rated on ${f.symptomDays} days.` +
      (input.skippedRecords > 0 ? ` ${input.skippedRecords} stored records could not be read and are left out.` : ''),
    8.5,
    false,
  );

  flow.heading('Time in each zone per day');
  if (f.zoneMeans && f.threshold) {
    const threshold = f.threshold.min === f.threshold.max ? `${f.threshold.min} bpm` : `${f.threshold.min} to ${f.threshold.max} bpm`;
    flow.text(
      `Average per day with heart rate: rest ${reportDuration(f.zoneMeans.rest)}, activity ${reportDuration(f.zoneMeans.activity)}, above threshold ${reportDuration(f.zoneMeans.exertion)}. Threshold ${threshold}.`,
      8.5,
      false,
    );
  } else flow.text('No heart rate recorded in this period.', 8.5, false);
  flow.block(84, (x, y) => zoneBarsChart(rows, { x, y: y + 4, w: flow.contentWidth, h: 78 }, flow.metrics));
  flow.block(12, (x, y) => zoneLegend(x, y, flow.metrics));

  flow.heading('Pace points against the daily limit');
  const p = f.points;
  flow.text(
    p.mean === null || p.max === null
      ? `Daily limit ${p.limit} points. No heart rate recorded in this period.`
      : `Daily limit ${p.limit} points. Average ${Math.round(p.mean)} a day with heart rate; highest ${Math.round(p.max.value)} on ${reportDay(p.max.date)}. ` +
          (p.overLimit.length ? `Over the limit on ${p.overLimit.length} days: ${dayList(p.overLimit)}.` : 'Never over the limit.'),
    8.5,
    false,
  );
  flow.block(66, (x, y) => pointsChart(rows, p.limit, { x, y: y + 4, w: flow.contentWidth, h: 60 }, flow.metrics));
  flow.block(12, (x, y) => pointsLegend(x, y, flow.metrics));

  flow.heading('Crash days');
  flow.text(
    f.crashDays.length
      ? `${f.crashDays.length} crash days (post-exertional malaise): ${dayList(f.crashDays, 12)}.`
      : 'No crash days recorded.',
    8.5,
    false,
  );

  flow.heading('Morning HRV and resting heart rate');
  for (const [series, drift] of [
    [measure('rmssd'), f.hrvDrift],
    [measure('restingHr'), f.restingHrDrift],
  ] as const) {
    flow.text(`${summarySentence(rows, series, reportDay)} ${driftSentence(series, drift)}`, 8.5, false);
  }
  const half = (flow.contentWidth - 16) / 2;
  flow.block(70, (x, y) => [
    ...chartTitle(x, y + 7, 'Morning HRV (RMSSD), ms: solid'),
    ...lineChart(rows, measure('rmssd'), { x, y: y + 12, w: half, h: 56 }, flow.metrics),
    ...chartTitle(x + half + 16, y + 7, 'Resting heart rate, bpm: dashed'),
    ...lineChart(rows, measure('restingHr'), { x: x + half + 16, y: y + 12, w: half, h: 56 }, flow.metrics, [3, 2]),
  ]);

  flow.heading('Symptoms (the worst rating of each day)');
  const symptoms = measure('symptomSum');
  flow.text(
    `${summarySentence(rows, symptoms, reportDay)} ${driftSentence(symptoms, f.symptomDrift)} ${ratingMeansSentence(f)}`,
    8.5,
    false,
  );
  flow.block(60, (x, y) => [
    ...chartTitle(x, y + 7, 'Symptom score: fatigue + brain fog + pain + orthostatic, 0 to 12'),
    ...lineChart(rows, symptoms, { x, y: y + 12, w: flow.contentWidth, h: 46 }, flow.metrics),
  ]);

  const shown = input.standTests.slice(-SUMMARY_STAND_TESTS);
  flow.heading(
    shown.length < input.standTests.length
      ? `Stand tests: the latest ${shown.length} of ${input.standTests.length}, all listed after this page`
      : 'Stand tests',
  );
  if (shown.length === 0) flow.text('None in this period.', 8.5, false);
  else standTestTable(flow, shown);
}

function driftSentence(series: SeriesDef, drift: ReportFigures['hrvDrift']): string {
  const value = (v: number | null) => (v === null ? 'no reading' : formatValue(v, series));
  return `First ${drift.span} days ${value(drift.first)}, last ${drift.span} days ${value(drift.last)}.`;
}

function ratingMeansSentence(f: ReportFigures): string {
  const part = (key: (typeof SCALES)[number]['key']) => {
    const scale = SCALES.find((s) => s.key === key)!;
    const mean = f.ratingMeans.find((m) => m.key === key)?.mean ?? null;
    return mean === null ? `${scale.name} not rated` : `${scale.name} ${mean.toFixed(1)}`;
  };
  return `Averages (0 none to 3 severe): ${['fatigue', 'brainFog', 'pain', 'orthostatic'].map((k) => part(k as 'fatigue')).join(', ')}; and (0 worst to 3 good): ${part('sleepQuality')}, ${part('mood')}.`;
}

function chartTitle(x: number, y: number, text: string): DrawOp[] {
  return [{ op: 'text', x, y, size: 7.5, bold: true, text }];
}

/** A legend entry: a 9-point swatch drawn by `swatch`, then its label; answers the x after it. */
function legendEntry(
  ops: DrawOp[],
  x: number,
  y: number,
  label: string,
  metrics: TextMetrics,
  swatch: (x: number, y: number) => DrawOp[],
): number {
  ops.push(...swatch(x, y + 1));
  ops.push({ op: 'text', x: x + 12, y: y + 8.5, size: 7.5, bold: false, text: label });
  return x + 12 + metrics.width(label, 7.5, false) + 14;
}

const crossSwatch = (x: number, y: number): DrawOp[] => [
  { op: 'line', x1: x + 2, y1: y + 2, x2: x + 7, y2: y + 7, width: 0.9, tone: 'black', dash: null },
  { op: 'line', x1: x + 2, y1: y + 7, x2: x + 7, y2: y + 2, width: 0.9, tone: 'black', dash: null },
];

function zoneLegend(x: number, y: number, metrics: TextMetrics): DrawOp[] {
  const ops: DrawOp[] = [];
  let at = x + 30;
  at = legendEntry(ops, at, y, 'Rest', metrics, (sx, sy) => [{ op: 'rect', x: sx, y: sy, w: 9, h: 9, fill: 'white', stroke: 'black' }]);
  at = legendEntry(ops, at, y, 'Activity', metrics, (sx, sy) => [
    { op: 'rect', x: sx, y: sy, w: 9, h: 9, fill: 'white', stroke: 'black' },
    ...hatchLines(sx, sy, 9, 9, 2.5),
  ]);
  at = legendEntry(ops, at, y, 'Above threshold', metrics, (sx, sy) => [
    { op: 'rect', x: sx, y: sy, w: 9, h: 9, fill: 'black', stroke: null },
  ]);
  legendEntry(ops, at, y, 'Crash day', metrics, crossSwatch);
  return ops;
}

function pointsLegend(x: number, y: number, metrics: TextMetrics): DrawOp[] {
  const ops: DrawOp[] = [];
  let at = x + 30;
  at = legendEntry(ops, at, y, 'Within the limit', metrics, (sx, sy) => [
    { op: 'rect', x: sx, y: sy, w: 9, h: 9, fill: 'light', stroke: 'black' },
  ]);
  at = legendEntry(ops, at, y, 'Over the limit', metrics, (sx, sy) => [
    { op: 'rect', x: sx, y: sy, w: 9, h: 9, fill: 'black', stroke: null },
  ]);
  at = legendEntry(ops, at, y, 'Daily limit', metrics, (sx, sy) => [
    { op: 'line', x1: sx, y1: sy + 4.5, x2: sx + 9, y2: sy + 4.5, width: 1, tone: 'black', dash: [4, 2] },
  ]);
  legendEntry(ops, at, y, 'Crash day', metrics, crossSwatch);
  return ops;
}

function standTestTable(flow: PageFlow, tests: readonly ReportStandTest[]): void {
  const w = flow.contentWidth;
  const columns: Column[] = [
    { label: 'When', width: w * 0.2 },
    { label: 'Protocol', width: w * 0.14 },
    { label: 'Lying baseline', width: w * 0.15 },
    { label: 'Largest sustained rise', width: w * 0.18 },
    { label: 'Heart-rate screen', width: w * 0.15 },
    { label: 'Standing', width: w * 0.18 },
  ];
  flow.table(
    columns,
    tests.map((t) => standTestCells(t, standTestTime)),
  );
  flow.text('A heart-rate screen, not a diagnosis: only a clinician can diagnose POTS.', 7.5, false);
}

/** "3 Nov 2026 14:05" in the device's time zone, where the test was done. */
function standTestTime(at: number): string {
  const d = new Date(at);
  const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  return `${reportDate(day)} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

function chartPages(flow: PageFlow, input: ReportInput, f: ReportFigures): void {
  const { rows } = input;
  flow.newPage();
  flow.heading('Charts', 13);
  flow.text('The same daily figures as the Trends screen. Crosses under a chart mark crash days.', 8, false);
  const chart = (
    title: string,
    sentence: string,
    height: number,
    draw: (box: Box) => DrawOp[],
    legend?: (x: number, y: number) => DrawOp[],
  ) => {
    flow.ensure(height + 60);
    flow.heading(title);
    flow.text(sentence, 8, false);
    flow.block(height + 6, (x, y) => draw({ x, y: y + 4, w: flow.contentWidth, h: height }));
    if (legend) flow.block(12, legend);
  };
  chart(
    'Hours in each zone',
    f.zoneMeans ? `Rest, activity and time above threshold per day, ${f.heartRateDays} days with heart rate.` : 'No heart rate recorded.',
    130,
    (box) => zoneBarsChart(rows, box, flow.metrics),
    (x, y) => zoneLegend(x, y, flow.metrics),
  );
  chart(
    'Pace points',
    summarySentence(rows, measure('pacePoints'), reportDay),
    110,
    (box) => pointsChart(rows, f.points.limit, box, flow.metrics),
    (x, y) => pointsLegend(x, y, flow.metrics),
  );
  for (const id of ['rmssd', 'restingHr', 'stability', 'symptomSum'] as const) {
    const series = measure(id);
    const note = series.scaleNote ? ` Scale: ${series.scaleNote.replace('…', 'to')}.` : '';
    chart(`${series.label}${series.unit ? `, ${series.unit}` : ''}`, `${summarySentence(rows, series, reportDay)}${note}`, 100, (box) =>
      lineChart(rows, series, box, flow.metrics, id === 'restingHr' ? [3, 2] : null),
    );
  }
}

const minutes = (v: number | null) => (v === null ? '' : reportDuration(v));
const number = (v: number | null, decimals = 0) => (v === null ? '' : v.toFixed(decimals));

function weekTables(flow: PageFlow, rows: readonly DayRow[]): void {
  flow.newPage();
  flow.heading('Week by week', 13);
  flow.text(
    "Each day as recorded. Symptoms: the day's worst fatigue + brain fog + pain + orthostatic symptoms (0 to 12). Empty: nothing recorded.",
    8,
    false,
  );
  const w = flow.contentWidth;
  const columns: Column[] = [
    { label: 'Day', width: w * 0.13 },
    { label: 'Rest', width: w * 0.11, align: 'right' },
    { label: 'Activity', width: w * 0.11, align: 'right' },
    { label: 'Above thr.', width: w * 0.11, align: 'right' },
    { label: 'Points', width: w * 0.09, align: 'right' },
    { label: 'RMSSD ms', width: w * 0.1, align: 'right' },
    { label: 'Rest HR', width: w * 0.09, align: 'right' },
    { label: 'Symptoms', width: w * 0.1, align: 'right' },
    { label: 'Crash', width: w * 0.16 },
  ];
  for (let start = 0; start < rows.length; start += 7) {
    const week = rows.slice(start, start + 7);
    flow.heading(`${reportDay(week[0]!.date)} to ${reportDay(week[week.length - 1]!.date)}`, 9.5);
    flow.table(
      columns,
      week.map((row) => {
        const zones = zoneMinutesOf(row);
        return [
          reportDay(row.date),
          minutes(zones?.rest ?? null),
          minutes(zones?.activity ?? null),
          minutes(zones?.exertion ?? null),
          number(row.pacePoints),
          number(row.rmssd),
          number(row.restingHr),
          number(row.symptomSum),
          row.crash ? 'crash' : '',
        ];
      }),
    );
  }
}

function notePages(flow: PageFlow, notes: readonly ReportNote[]): void {
  flow.newPage();
  flow.heading('Notes the person chose to include', 13);
  if (notes.length === 0) flow.text('No notes in this period.', 8.5, false);
  for (const note of notes) {
    flow.gap(3);
    flow.text(`${reportDay(note.date)}, ${note.period}`, 8.5, true);
    flow.text(note.text, 8.5, false, 8);
  }
}
