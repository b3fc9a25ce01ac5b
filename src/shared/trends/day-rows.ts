/**
 * One row per local day, joining the morning measurement, the day's check-ins, the stability
 * score and the heart-rate load: what every trends chart, summary and table reads.
 *
 * Joining rules (each a choice a person can check against their own records):
 *   - Demo measurements are left out: synthetic data is never mixed into real trends.
 *   - Ratings: the worst of the day's check-ins (morning and evening) for each item, since a
 *     symptom that flared in the evening happened that day even if the morning was fine. Worst is
 *     the highest for symptoms and the lowest for sleep quality and mood (higher is better there).
 *   - Symptom sum: fatigue + brain fog + pain + orthostatic symptoms (0–12) over those rated; null
 *     when none was. Sleep and mood run the other way and are charted on their own.
 *   - Stability: stabilityScore for that morning, with the earlier mornings as history, that
 *     day's sleep rating and the previous evening's symptoms, as the Today screen scores it.
 *   - Crash: any check-in of the day flagged a crash.
 */
import type { CheckIn, ScaleKey } from '../checkin';
import { SCALES } from '../checkin';
import { type DayKey, dayStart } from '../days';
import { stabilityScore } from '../hrv/stability';
import type { Measurement } from '../measurement';
import { activeZones } from '../pacing/active-zones';
import { DEFAULT_PACING_SETTINGS, type PacingSettings } from '../pacing/settings';
import type { ZoneBounds } from '../pacing/zones';
import { stabilityInputFor } from '../stability-input';

/** The items summed into the symptom score (all 0 none … 3 severe). */
export const SUMMED_SYMPTOMS: readonly ScaleKey[] = ['fatigue', 'brainFog', 'pain', 'orthostatic'];

/** A day's heart-rate load, as the worker computed it from the stored samples. */
export interface DayLoadSummary {
  /** Ms at or above the threshold. */
  aboveThresholdMs: number;
  /** Pace points used (see src/shared/pacing/budget.ts). */
  points: number;
  /** Ms with heart rate recorded. */
  recordedMs: number;
  /** The threshold the day was counted against, bpm. */
  threshold: number;
}

/** Everything the trends screen shows for one day; null where nothing was recorded. */
export interface DayRow {
  date: DayKey;
  rmssd: number | null;
  lnRmssd: number | null;
  restingHr: number | null;
  stability: number | null;
  ratings: Record<ScaleKey, number | null>;
  /** Worst rating of the day of every other symptom rated (built-in beyond the six, or the person's own), by symptom id. */
  otherRatings: Record<string, number>;
  symptomSum: number | null;
  crash: boolean;
  /** Whole-minute precision is the caller's choice; these are exact minutes. */
  aboveThresholdMin: number | null;
  pacePoints: number | null;
  recordedMin: number | null;
  threshold: number | null;
}

/** The non-demo measurements, one per date (the last given wins), oldest first. */
export function realMornings(measurements: readonly Measurement[]): Measurement[] {
  const byDate = new Map<DayKey, Measurement>();
  for (const m of measurements) if (!m.source.demo) byDate.set(m.date, m);
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * The zone bounds a day is counted against, as the pacing monitor sets them
 * (src/shared/pacing/active-zones.ts): resting HR typed by hand, else that of the latest morning
 * on or before that day (so last month is counted against last month's resting HR, not today's),
 * else DEFAULT_RESTING_HR; the threshold set by hand, else by the zone method (age as of that day).
 */
export function boundsFor(day: DayKey, mornings: readonly Measurement[], settings: Partial<PacingSettings>): ZoneBounds {
  let latest: Measurement | null = null;
  for (const m of mornings) if (m.date <= day && !m.source.demo && (!latest || m.date >= latest.date)) latest = m;
  return activeZones({ ...DEFAULT_PACING_SETTINGS, ...settings }, latest?.restingHr ?? null, dayStart(day)).bounds;
}

/** The worst rating of each item across check-ins (see the joining rules above). */
export function worstRatings(checkIns: readonly CheckIn[]): Record<ScaleKey, number | null> {
  const ratings = {} as Record<ScaleKey, number | null>;
  for (const scale of SCALES) {
    let worst: number | null = null;
    for (const c of checkIns) {
      const v = c[scale.key];
      if (v === null) continue;
      if (worst === null || (scale.higherIsBetter ? v < worst : v > worst)) worst = v;
    }
    ratings[scale.key] = worst;
  }
  return ratings;
}

/** The worst (highest) rating of each symptom in the check-ins' `symptoms` maps; all are 0 none … 3 severe. */
export function worstOtherRatings(checkIns: readonly CheckIn[]): Record<string, number> {
  const worst: Record<string, number> = {};
  for (const c of checkIns)
    for (const [id, v] of Object.entries(c.symptoms)) if (!(id in worst) || v > (worst[id] as number)) worst[id] = v;
  return worst;
}

/** Fatigue + brain fog + pain + orthostatic over the items rated; null when none was. */
export function symptomSum(ratings: Record<ScaleKey, number | null>): number | null {
  const rated = SUMMED_SYMPTOMS.map((key) => ratings[key]).filter((v): v is number => v !== null);
  return rated.length === 0 ? null : rated.reduce((sum, v) => sum + v, 0);
}

/** Builds the rows for `days` (any order; rows keep it). */
export function buildDayRows(
  days: readonly DayKey[],
  measurements: readonly Measurement[],
  checkIns: readonly CheckIn[],
  loads: ReadonlyMap<DayKey, DayLoadSummary>,
): DayRow[] {
  const mornings = realMornings(measurements);
  const morningOf = new Map(mornings.map((m) => [m.date, m]));
  const checkInsOf = new Map<DayKey, CheckIn[]>();
  for (const c of checkIns) checkInsOf.set(c.date, [...(checkInsOf.get(c.date) ?? []), c]);

  return days.map((date) => {
    const morning = morningOf.get(date) ?? null;
    const ratings = worstRatings(checkInsOf.get(date) ?? []);
    const load = loads.get(date) ?? null;
    return {
      date,
      rmssd: morning?.rmssd ?? null,
      lnRmssd: morning?.lnRmssd ?? null,
      restingHr: morning?.restingHr ?? null,
      stability: morning ? stabilityOf(date, measurements, checkIns) : null,
      ratings,
      otherRatings: worstOtherRatings(checkInsOf.get(date) ?? []),
      symptomSum: symptomSum(ratings),
      crash: (checkInsOf.get(date) ?? []).some((c) => c.crash),
      aboveThresholdMin: load ? load.aboveThresholdMs / 60_000 : null,
      pacePoints: load ? load.points : null,
      recordedMin: load ? load.recordedMs / 60_000 : null,
      threshold: load ? load.threshold : null,
    };
  });
}

/** The same input the Today screen's stability card scores (src/shared/stability-input.ts). */
function stabilityOf(date: DayKey, measurements: readonly Measurement[], checkIns: readonly CheckIn[]): number | null {
  const input = stabilityInputFor(date, measurements, checkIns);
  if (!input) return null;
  const result = stabilityScore(input);
  return result.ready ? result.score : null;
}
