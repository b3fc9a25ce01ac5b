/**
 * A day's load from heart-rate samples: time per zone, time above threshold, and "pace points",
 * minutes weighted by zone against a daily limit: the "energy envelope" of ME/CFS pacing (Jason et
 * al., Fatigue Biomed Health Behav 2013;1:27) made countable.
 *
 * Weights per minute: rest 0, activity 1, exertion 3. Rest is how energy comes back, so it costs
 * nothing; time over the threshold is where the anaerobic system is used and recovery in ME/CFS is
 * slowest, so it is charged three times an ordinary upright minute.
 *
 * Each sample stands for the time until the next one. Where the next is more than
 * MAX_SAMPLE_GAP_MS away (armband off, out of range) that time is not counted at all, in any
 * zone: a gap is unknown, not rest. Samples without a heart rate (bpm 0, no contact) are skipped.
 */
import { type BpmSample, isHeartRate, MAX_SAMPLE_GAP_MS, type Zone, type ZoneBounds, zoneOf } from './zones';

/** Points charged per minute in each zone. */
export const ZONE_POINTS_PER_MINUTE: Readonly<Record<Zone, number>> = { rest: 0, activity: 1, exertion: 3 };

/** A starting daily limit (two hours up and about, or 40 minutes over threshold), to adjust to the person. */
export const DEFAULT_DAILY_POINTS = 120;

/** Options for dayLoad; all optional. */
export interface DayLoadOptions {
  /** Points available per day. */
  limit?: number;
  maxGapMs?: number;
  /** Only count time from here (epoch ms), e.g. local midnight. */
  from?: number;
  /** Only count time before here (epoch ms). */
  to?: number;
}

/** Where the day's time and points went. */
export interface DayLoad {
  /** Counted ms per zone. */
  ms: Record<Zone, number>;
  /** Ms at or above the threshold (the exertion zone). */
  aboveThresholdMs: number;
  /** Ms counted in any zone; the rest of the day was gaps or not recorded. */
  recordedMs: number;
  /** Points used, unrounded. */
  points: number;
  limit: number;
  /** Points left today, never below 0. */
  remaining: number;
  /** Points over the limit, 0 when within it. */
  over: number;
}

/** Sums a day of samples (ascending `t`) into time per zone and pace points. */
export function dayLoad(samples: readonly BpmSample[], bounds: ZoneBounds, options: DayLoadOptions = {}): DayLoad {
  const { limit = DEFAULT_DAILY_POINTS, maxGapMs = MAX_SAMPLE_GAP_MS, from = -Infinity, to = Infinity } = options;
  const ms: Record<Zone, number> = { rest: 0, activity: 0, exertion: 0 };
  let prev: BpmSample | undefined;
  for (const sample of samples) {
    if (!isHeartRate(sample.bpm)) continue;
    if (prev && sample.t > prev.t && sample.t - prev.t <= maxGapMs) {
      const span = Math.min(sample.t, to) - Math.max(prev.t, from);
      if (span > 0) ms[zoneOf(prev.bpm, bounds)] += span;
    }
    if (!prev || sample.t > prev.t) prev = sample;
  }
  const points = (Object.keys(ms) as Zone[]).reduce((sum, zone) => sum + (ms[zone] * ZONE_POINTS_PER_MINUTE[zone]) / 60_000, 0);
  return {
    ms,
    aboveThresholdMs: ms.exertion,
    recordedMs: ms.rest + ms.activity + ms.exertion,
    points,
    limit,
    remaining: Math.max(0, limit - points),
    over: Math.max(0, points - limit),
  };
}
