/**
 * Beat-interval cleaning for morning HRV: trim the start of the reading, drop implausible
 * intervals, then correct ectopic, missed and extra beats against the local median.
 *
 * Detection is the percentage rule: an interval more than `tolerance` (20 %) away from the median
 * of the intervals around it is an artifact (Kamath & Fallen 1995; Kubios' threshold correction).
 * Correction follows the beat types of Lipponen & Tarvainen 2019 (J Med Eng Technol 43:173) but
 * not their adaptive dRR thresholds: a missed beat is split, an extra beat merged, a misplaced
 * (ectopic) beat moved to the middle of its two intervals, so the timeline is kept. Anything else
 * is linearly interpolated between its nearest good neighbours — the discrete form of Kubios'
 * cubic-spline replacement. We interpolate rather than insert the local median because the median
 * is the level of ~11 beats and ignores where in the breathing cycle the beat fell, so it adds a
 * step that inflates the successive differences RMSSD is made of.
 *
 * The range gate runs first, so below ~60 bpm a missed beat (over 2 s) is rejected rather than
 * split; it counts as an artifact either way, and RMSSD takes no difference across it.
 */
import type { IntervalKind } from '../samples';
import { median } from './stats';

/** How intervals are trimmed, gated and corrected; every field has a default. */
export interface ArtifactOptions {
  /** `ppi` (optical) turns on the warm-up trim by default. */
  kind?: IntervalKind;
  /** Shortest plausible interval, ms (300 ms = 200 bpm). */
  minMs?: number;
  /** Longest plausible interval, ms (2000 ms = 30 bpm). */
  maxMs?: number;
  /** Largest relative distance from the local median that is still a normal beat (0.2 = 20 %). */
  tolerance?: number;
  /** Intervals in the local-median window, centred where possible (11 = five each side). */
  medianWindow?: number;
  /** Seconds of a PPI stream to drop while Polar's PPI algorithm locks on (25 for PPI, else 0). */
  warmUpS?: number;
  /** Seconds of any reading to drop while heart rate settles after lying down (30). */
  settleS?: number;
}

/** The corrected series and what it took to get there. */
export interface CleanedIntervals {
  /** Corrected intervals in runs of truly consecutive beats: a rejected interval ends a run. */
  runs: number[][];
  /** Intervals after the start trim: the denominator of `correctedShare`. */
  beats: number;
  /** Intervals dropped by the start trim. */
  trimmed: number;
  /** Seconds the start trim covered. */
  trimS: number;
  /** Intervals outside [minMs, maxMs], dropped. */
  rejected: number;
  /** Measured intervals replaced by a correction. */
  corrected: number;
  /** Intervals used exactly as measured. */
  clean: number;
  /** Share of `beats` not used as measured, (rejected + corrected) / beats; 0 when there are none. */
  correctedShare: number;
  /** Seconds the analysed intervals span. */
  durationS: number;
}

/** Polar: "it takes around 25 seconds for the first sample batch to be sent" (polar-ble-sdk, Verity Sense notes). */
export const PPI_WARM_UP_S = 25;
/** Heart rate takes about half a minute to settle after lying down and starting a reading. */
export const SETTLE_S = 30;

/** Time an interval adds to the beat timeline; garbage adds none. */
const elapsed = (v: number) => (Number.isFinite(v) && v > 0 ? v : 0);

/**
 * Drops the intervals that start within the first `trimS` seconds of the beat timeline (the
 * running sum of intervals, as beat-to-beat streams carry no clock of their own).
 */
export function trimStart(intervalsMs: readonly number[], trimS: number): number[] {
  let t = 0;
  let i = 0;
  while (i < intervalsMs.length && t < trimS * 1000) t += elapsed(intervalsMs[i++]!);
  return intervalsMs.slice(i);
}

/** The median of the `window` values around each index; the window shifts inwards at the edges. */
export function localMedians(values: readonly number[], window: number): number[] {
  const size = Math.min(window, values.length);
  return values.map((_, i) => {
    const start = Math.max(0, Math.min(i - (size >> 1), values.length - size));
    return median(values.slice(start, start + size));
  });
}

/**
 * Trims, gates and corrects a reading. The warm-up and settle trims both count from the first
 * interval and overlap (the sensor locks on while the body settles), so the longer one applies.
 */
export function cleanIntervals(intervalsMs: readonly number[], options: ArtifactOptions = {}): CleanedIntervals {
  const { kind = 'rr', minMs = 300, maxMs = 2000, tolerance = 0.2, medianWindow = 11, settleS = SETTLE_S } = options;
  const warmUpS = options.warmUpS ?? (kind === 'ppi' ? PPI_WARM_UP_S : 0);
  const trimS = Math.max(warmUpS, settleS);
  const window = trimStart(intervalsMs, trimS);

  const gated: number[] = [];
  const startsRun: boolean[] = [];
  let broken = true;
  for (const v of window) {
    if (v >= minMs && v <= maxMs) {
      gated.push(v);
      startsRun.push(broken);
      broken = false;
    } else broken = true;
  }
  const medians = localMedians(gated, medianWindow);
  const normal = (v: number, m: number) => Math.abs(v - m) <= tolerance * m;
  const isNormal = gated.map((v, i) => normal(v, medians[i]!));

  const runs: number[][] = [];
  let run: number[] = [];
  let corrected = 0;
  for (let i = 0; i < gated.length; i++) {
    if (startsRun[i] && run.length > 0) {
      runs.push(run);
      run = [];
    }
    const v = gated[i]!;
    const m = medians[i]!;
    if (isNormal[i]) {
      run.push(v);
      continue;
    }
    const hasNext = i + 1 < gated.length && !startsRun[i + 1];
    if (hasNext && !isNormal[i + 1]) {
      const next = gated[i + 1]!;
      const pairMedian = (m + medians[i + 1]!) / 2;
      if (normal(v + next, pairMedian)) {
        // Extra beat (a T wave or noise counted as a beat): two short intervals make one.
        run.push(v + next);
        corrected += 2;
        i++;
        continue;
      }
      if (normal((v + next) / 2, pairMedian)) {
        // Misplaced beat (premature beat and its compensatory pause): move it to the middle.
        run.push((v + next) / 2, (v + next) / 2);
        corrected += 2;
        i++;
        continue;
      }
    }
    const parts = Math.round(v / m);
    if (parts >= 2 && normal(v / parts, m)) {
      // Missed beat(s): an interval that is a whole multiple of the local beat is split evenly.
      for (let k = 0; k < parts; k++) run.push(v / parts);
      corrected += 1;
      continue;
    }
    run.push(interpolate(gated, isNormal, startsRun, run, i, m));
    corrected += 1;
  }
  if (run.length > 0) runs.push(run);

  const rejected = window.length - gated.length;
  const bad = rejected + corrected;
  return {
    runs,
    beats: window.length,
    trimmed: intervalsMs.length - window.length,
    trimS,
    rejected,
    corrected,
    clean: window.length - bad,
    correctedShare: window.length === 0 ? 0 : bad / window.length,
    durationS: window.reduce((sum, v) => sum + elapsed(v), 0) / 1000,
  };
}

/**
 * A value for interval `i` on the straight line between the last interval of the run so far
 * (already clean or corrected) and the next normal interval of the same run; one side alone when
 * the other is missing, the local median when both are.
 */
function interpolate(
  gated: readonly number[],
  isNormal: readonly boolean[],
  startsRun: readonly boolean[],
  run: readonly number[],
  i: number,
  localMedian: number,
): number {
  let j = i + 1;
  while (j < gated.length && !startsRun[j] && !isNormal[j]) j++;
  const next = j < gated.length && !startsRun[j] ? gated[j] : undefined;
  const prev = run[run.length - 1];
  if (prev !== undefined && next !== undefined) return prev + (next - prev) / (j - i + 1);
  return prev ?? next ?? localMedian;
}
