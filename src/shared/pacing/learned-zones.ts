/**
 * Zones learned from the person's own days of wear, proposed and explained, never applied
 * without their OK (the pacing settings card asks).
 *
 * A day of wear is a local day with at least 4 hours of plausible readings (PLAUSIBLE_BPM, spans
 * no longer than MAX_SAMPLE_GAP_MS). Each such day gives two figures:
 *   low   the 5th percentile of its readings: the heart at rest, without the odd artefact beat;
 *   high  the 95th percentile: the top of an ordinary day, without a single sprint for the bus.
 * From the last 14 days, once 4 or more are days of wear:
 *   resting HR   = median of the daily lows, rounded
 *   daily high   = median of the daily highs, rounded
 *   daily range  = daily high − resting HR
 *   margin       = half the daily range, rounded, kept between 10 and 30 bpm (7 and 20 with a
 *                  heart-rate-lowering medication: zone-methods.ts scales margins by two thirds)
 *   threshold    = resting HR + margin;   rest below resting HR + 5 (zones.ts)
 * Half the range is a heart-rate-reserve rule (Karvonen: rest + k × (max − rest)) with the
 * person's usual daily high in place of a maximal test, which people with ME/CFS should not do.
 * The floor keeps room for the rest and activity zones when the days were mostly lying down; the
 * ceiling keeps a wide range (a day with exercise) from pushing the threshold to where
 * Workwell's +15 would be far exceeded. Medians, so one unusual day moves nothing.
 */
import type { DayKey } from '../days';
import type { LearnedZones } from './settings';
import { scaledMargin } from './zone-methods';
import { isPlausibleHeartRate, MAX_SAMPLE_GAP_MS, PLAUSIBLE_BPM, REST_MARGIN_BPM } from './zones';

/** How many days of wear a proposal needs. */
export const LEARN_MIN_DAYS = 4;
/** Readings a day needs to count as a day of wear. */
export const LEARN_MIN_WEAR_MS = 4 * 3_600_000;
/** How far back the proposal looks, in days (today included). */
export const LEARN_WINDOW_DAYS = 14;
/** The margin's bounds without a medication; scaled by zone-methods.ts with one. */
export const LEARN_MARGIN_BPM = { min: 10, max: 30 } as const;

/** One local day of wear, reduced to what the proposal uses. */
export interface WearDay {
  date: DayKey;
  /** Time covered by plausible readings, ms. */
  wornMs: number;
  /** 5th percentile of the day's readings, bpm. */
  low: number;
  /** 95th percentile, bpm. */
  high: number;
}

/** Readings of one day as flat columns (SampleColumns fits), ascending by time. */
export interface DayReadings {
  t: ArrayLike<number>;
  bpm: ArrayLike<number>;
  length: number;
}

/** The zones proposed from the days of wear, with every figure that went into them. */
export interface LearnedProposal {
  /** The days of wear used, oldest first. */
  days: WearDay[];
  restingHr: number;
  dailyHigh: number;
  range: number;
  /** Half the range before it was kept within `marginBounds`. */
  halfRange: number;
  marginBounds: { min: number; max: number };
  margin: number;
  threshold: number;
  restBelow: number;
  medication: boolean;
}

/** Not enough wear yet: how many days there are, and how many are needed. */
export type LearnedZonesAnswer = { ready: false; wornDays: number; needed: number } | ({ ready: true } & LearnedProposal);

/**
 * A day's wear and percentiles (nearest rank, on whole bpm) from its readings; null when there
 * are no plausible readings at all. Readings outside PLAUSIBLE_BPM are left out.
 */
export function wearDayOf(date: DayKey, readings: DayReadings): WearDay | null {
  const counts = new Uint32Array(PLAUSIBLE_BPM.max + 1);
  let n = 0;
  let wornMs = 0;
  let prevT: number | null = null;
  for (let i = 0; i < readings.length; i++) {
    const bpm = readings.bpm[i]!;
    const t = readings.t[i]!;
    if (!isPlausibleHeartRate(bpm)) continue;
    counts[Math.round(bpm)]!++;
    n++;
    if (prevT !== null && t > prevT && t - prevT <= MAX_SAMPLE_GAP_MS) wornMs += t - prevT;
    if (prevT === null || t > prevT) prevT = t;
  }
  if (n === 0) return null;
  return { date, wornMs, low: percentile(counts, n, 5), high: percentile(counts, n, 95) };
}

/** Nearest-rank percentile over a histogram of whole bpm: the smallest value with at least p % of readings at or below it. */
function percentile(counts: Uint32Array, n: number, p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  let seen = 0;
  for (let bpm = 0; bpm < counts.length; bpm++) {
    seen += counts[bpm]!;
    if (seen >= rank) return bpm;
  }
  return counts.length - 1;
}

/** The median; the mean of the middle two for an even count. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The proposal from the days given (any order; those under LEARN_MIN_WEAR_MS are not days of wear). */
export function proposeLearnedZones(days: readonly WearDay[], medication: boolean): LearnedZonesAnswer {
  const worn = days.filter((day) => day.wornMs >= LEARN_MIN_WEAR_MS).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  if (worn.length < LEARN_MIN_DAYS) return { ready: false, wornDays: worn.length, needed: LEARN_MIN_DAYS };
  const restingHr = Math.round(median(worn.map((day) => day.low)));
  const dailyHigh = Math.round(median(worn.map((day) => day.high)));
  const range = dailyHigh - restingHr;
  const halfRange = Math.round(range / 2);
  const marginBounds = { min: scaledMargin(LEARN_MARGIN_BPM.min, medication), max: scaledMargin(LEARN_MARGIN_BPM.max, medication) };
  const margin = Math.min(marginBounds.max, Math.max(marginBounds.min, halfRange));
  const threshold = restingHr + margin;
  return {
    ready: true,
    days: worn,
    restingHr,
    dailyHigh,
    range,
    halfRange,
    marginBounds,
    margin,
    threshold,
    restBelow: Math.min(restingHr + REST_MARGIN_BPM, threshold),
    medication,
  };
}

/** A proposal as applied and stored in the settings: the figures every device needs to use and show it. */
export function learnedZonesOf(proposal: LearnedProposal): LearnedZones {
  return {
    restingHr: proposal.restingHr,
    dailyHigh: proposal.dailyHigh,
    threshold: proposal.threshold,
    days: proposal.days.length,
    from: proposal.days[0]!.date,
    to: proposal.days[proposal.days.length - 1]!.date,
    medication: proposal.medication,
  };
}
