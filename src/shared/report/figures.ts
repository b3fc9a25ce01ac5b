/**
 * The figures of the report's summary page, from the same daily rows the Trends screen charts
 * (src/shared/trends/day-rows.ts) and with the same summaries (src/shared/trends/summary.ts), so
 * the report and the screen never disagree about a value.
 */
import { SCALES, type ScaleKey } from '../checkin';
import { type DayKey, parseDayKey } from '../days';
import { ZONE_POINTS_PER_MINUTE } from '../pacing/budget';
import type { DayRow } from '../trends/day-rows';
import { seriesById } from '../trends/series';
import { type SeriesSummary, summarise } from '../trends/summary';

/** Minutes in each pacing zone (src/shared/pacing/zones.ts). */
export interface ZoneMinutes {
  rest: number;
  activity: number;
  exertion: number;
}

/**
 * A day's minutes per zone. The daily load keeps recorded time, time above threshold and pace
 * points; with rest weighing 0 points, activity is what the points leave once exertion's are
 * taken (points = activity × w_activity + exertion × w_exertion), and rest is the remainder of
 * the recorded time. Null on a day without heart rate.
 */
export function zoneMinutesOf(row: DayRow): ZoneMinutes | null {
  if (row.recordedMin === null || row.aboveThresholdMin === null || row.pacePoints === null) return null;
  const exertion = row.aboveThresholdMin;
  const activity = Math.max(0, (row.pacePoints - exertion * ZONE_POINTS_PER_MINUTE.exertion) / ZONE_POINTS_PER_MINUTE.activity);
  return { rest: Math.max(0, row.recordedMin - activity - exertion), activity, exertion };
}

/** Mean of a series over the first and over the last `span` days: the direction of a trend. */
export interface Drift {
  span: number;
  first: number | null;
  last: number | null;
}

/** Everything the summary page states, before any wording. */
export interface ReportFigures {
  first: DayKey;
  last: DayKey;
  days: number;
  heartRateDays: number;
  morningDays: number;
  symptomDays: number;
  /** Mean minutes per zone over the days with heart rate. */
  zoneMeans: ZoneMinutes | null;
  /** The lowest and highest threshold the days were counted against, bpm. */
  threshold: { min: number; max: number } | null;
  points: { limit: number; mean: number | null; max: { value: number; date: DayKey } | null; overLimit: DayKey[] };
  crashDays: DayKey[];
  hrv: SeriesSummary | null;
  hrvDrift: Drift;
  restingHr: SeriesSummary | null;
  restingHrDrift: Drift;
  symptomSum: SeriesSummary | null;
  symptomDrift: Drift;
  /** Mean of each rated item's worst daily rating, over the days it was rated. */
  ratingMeans: { key: ScaleKey; mean: number | null }[];
}

/** Days compared at each end of the period for a drift (a week, or a third of a short period). */
export function driftSpan(days: number): number {
  return Math.max(1, Math.min(7, Math.floor(days / 3)));
}

/** The summary's figures for `rows` (oldest first, one per day) and the person's daily limit. */
export function reportFigures(rows: readonly DayRow[], dailyPoints: number): ReportFigures {
  if (rows.length === 0) throw new RangeError('a report needs at least one day');
  const loaded = rows.flatMap((row) => {
    const zones = zoneMinutesOf(row);
    return zones ? [{ row, zones }] : [];
  });
  const mean = (pick: (z: ZoneMinutes) => number) => loaded.reduce((sum, { zones }) => sum + pick(zones), 0) / loaded.length;
  const thresholds = loaded.map(({ row }) => row.threshold).filter((t): t is number => t !== null);
  const pointsSummary = summarise(rows, seriesById('pacePoints'));
  const span = driftSpan(rows.length);
  const drift = (id: 'rmssd' | 'restingHr' | 'symptomSum'): Drift => ({
    span,
    first: summarise(rows.slice(0, span), seriesById(id))?.mean ?? null,
    last: summarise(rows.slice(-span), seriesById(id))?.mean ?? null,
  });
  return {
    first: rows[0]!.date,
    last: rows[rows.length - 1]!.date,
    days: rows.length,
    heartRateDays: loaded.length,
    morningDays: rows.filter((r) => r.rmssd !== null).length,
    symptomDays: rows.filter((r) => r.symptomSum !== null).length,
    zoneMeans: loaded.length ? { rest: mean((z) => z.rest), activity: mean((z) => z.activity), exertion: mean((z) => z.exertion) } : null,
    threshold: thresholds.length ? { min: Math.min(...thresholds), max: Math.max(...thresholds) } : null,
    points: {
      limit: dailyPoints,
      mean: pointsSummary?.mean ?? null,
      max: pointsSummary?.max ?? null,
      overLimit: rows.filter((r) => r.pacePoints !== null && r.pacePoints > dailyPoints).map((r) => r.date),
    },
    crashDays: rows.filter((r) => r.crash).map((r) => r.date),
    hrv: summarise(rows, seriesById('rmssd')),
    hrvDrift: drift('rmssd'),
    restingHr: summarise(rows, seriesById('restingHr')),
    restingHrDrift: drift('restingHr'),
    symptomSum: summarise(rows, seriesById('symptomSum')),
    symptomDrift: drift('symptomSum'),
    ratingMeans: SCALES.map(({ key }) => ({ key, mean: summarise(rows, seriesById(key))?.mean ?? null })),
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "3 Nov": the report is in English, whatever the device's locale, so it reads the same to any clinician. */
export function reportDay(day: DayKey): string {
  const [, m, d] = parseDayKey(day);
  return `${d} ${MONTHS[m - 1]}`;
}

/** "3 Nov 2026". */
export function reportDate(day: DayKey): string {
  return `${reportDay(day)} ${parseDayKey(day)[0]}`;
}

/** Minutes as "2 h 05 min", "45 min" (whole minutes, rounded). */
export function reportDuration(minutes: number): string {
  const whole = Math.round(minutes);
  const h = Math.floor(whole / 60);
  return h > 0 ? `${h} h ${String(whole % 60).padStart(2, '0')} min` : `${whole} min`;
}

/** Days as a list a person reads: "3 Nov, 9 Nov and 15 Nov"; more than `max` end "and 4 more". */
export function dayList(days: readonly DayKey[], max = 8): string {
  const shown = days.slice(0, max).map(reportDay);
  const more = days.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : (shown[0] ?? '');
}
