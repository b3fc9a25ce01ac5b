/**
 * Before and after a treatment started: the same figures over two equal windows of days, the
 * window before the start day and the window from it, each with the number of days behind it.
 *
 * What it does not do, and says so on screen: it cannot tell cause from coincidence (a crash, a
 * season, another change can move the same figures), and with few days a difference means
 * nothing. A figure needs MIN_DAYS days with a value in BOTH windows before it is compared;
 * below that the comparison says "too few days" instead of a number.
 */
import { addDays, type DayKey, parseDayKey } from '../days';
import type { DayRow } from './day-rows';

/** The longest window compared: four weeks before, four weeks after. */
export const MAX_WINDOW_DAYS = 28;
/** Days with a value each window needs before a figure is compared. */
export const MIN_DAYS = 5;

export type ComparedMetric = 'rmssd' | 'restingHr' | 'aboveThresholdMin' | 'symptomSum' | 'crashDays';

interface MetricDef {
  id: ComparedMetric;
  label: string;
  unit: string;
  decimals: number;
  /** Which way is better for the person, to word the change. */
  better: 'higher' | 'lower';
}

export const COMPARED_METRICS: readonly MetricDef[] = [
  { id: 'rmssd', label: 'Morning HRV (RMSSD)', unit: 'ms', decimals: 1, better: 'higher' },
  { id: 'restingHr', label: 'Resting heart rate', unit: 'bpm', decimals: 1, better: 'lower' },
  { id: 'aboveThresholdMin', label: 'Time above threshold', unit: 'min/day', decimals: 0, better: 'lower' },
  { id: 'symptomSum', label: 'Symptom score (0–12)', unit: '', decimals: 1, better: 'lower' },
  { id: 'crashDays', label: 'Crash days', unit: 'per week', decimals: 1, better: 'lower' },
];

/** Two equal windows of days around a start day. */
export interface ComparisonWindows {
  start: DayKey;
  /** Days in each window. */
  days: number;
  before: { first: DayKey; last: DayKey };
  after: { first: DayKey; last: DayKey };
}

/** Whole days from a to b (b − a), by calendar date. */
function daysBetween(a: DayKey, b: DayKey): number {
  const [ya, ma, da] = parseDayKey(a);
  const [yb, mb, db] = parseDayKey(b);
  return Math.round((Date.UTC(yb, mb - 1, db) - Date.UTC(ya, ma - 1, da)) / 86_400_000);
}

/**
 * The windows for a treatment that started on `start`: as many days after it as have passed by
 * `today` (start day included), at most `maxDays`, and as many before it. Null when it starts
 * after today: there is no "after" yet.
 */
export function comparisonWindows(start: DayKey, today: DayKey, maxDays = MAX_WINDOW_DAYS): ComparisonWindows | null {
  const elapsed = daysBetween(start, today) + 1;
  if (elapsed < 1) return null;
  const days = Math.min(elapsed, maxDays);
  return {
    start,
    days,
    before: { first: addDays(start, -days), last: addDays(start, -1) },
    after: { first: start, last: addDays(start, days - 1) },
  };
}

/** One window's figure: the mean over days with a value (crash days: per 7 days checked in), and how many days. */
export interface WindowFigure {
  value: number | null;
  days: number;
}

export interface MetricComparison {
  metric: ComparedMetric;
  before: WindowFigure;
  after: WindowFigure;
  /** after − before; null unless both windows have MIN_DAYS days. */
  change: number | null;
  /** Whether the change is in the better direction; null when there is no change to judge. */
  improved: boolean | null;
}

export interface Comparison {
  windows: ComparisonWindows;
  metrics: MetricComparison[];
  /** True when no figure has enough days: the screen says so instead of a table of dashes. */
  tooFew: boolean;
}

/** A day counts for crash days when a check-in said something about it (a rating or the crash flag). */
const checkedIn = (row: DayRow) => row.crash || Object.values(row.ratings).some((v) => v !== null);

function figure(rows: readonly DayRow[], metric: ComparedMetric): WindowFigure {
  if (metric === 'crashDays') {
    const known = rows.filter(checkedIn);
    const crashes = known.filter((row) => row.crash).length;
    return { value: known.length === 0 ? null : (crashes / known.length) * 7, days: known.length };
  }
  const values = rows.map((row) => row[metric]).filter((v): v is number => v !== null);
  return { value: values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length, days: values.length };
}

/** Compares the windows over `rows` (any days; those outside both windows are ignored). */
export function compareBeforeAfter(rows: readonly DayRow[], windows: ComparisonWindows, minDays = MIN_DAYS): Comparison {
  const inWindow = (w: { first: DayKey; last: DayKey }) => rows.filter((row) => row.date >= w.first && row.date <= w.last);
  const before = inWindow(windows.before);
  const after = inWindow(windows.after);
  const metrics = COMPARED_METRICS.map((def): MetricComparison => {
    const b = figure(before, def.id);
    const a = figure(after, def.id);
    const enough = b.days >= minDays && a.days >= minDays && b.value !== null && a.value !== null;
    const change = enough ? (a.value as number) - (b.value as number) : null;
    return {
      metric: def.id,
      before: b,
      after: a,
      change,
      improved: change === null || change === 0 ? null : def.better === 'higher' ? change > 0 : change < 0,
    };
  });
  return { windows, metrics, tooFew: metrics.every((m) => m.change === null) };
}
