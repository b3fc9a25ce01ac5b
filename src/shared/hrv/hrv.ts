/**
 * Morning HRV from beat intervals. Time-domain measures as defined by the Task Force of the ESC
 * and NASPE, "Heart rate variability: standards of measurement" (Circulation 1996;93:1043).
 */
import { type ArtifactOptions, type CleanedIntervals, cleanIntervals } from './artifacts';
import { mean, sampleSd } from './stats';

/** Artifact options plus the quality bars a reading must pass. */
export interface HrvOptions extends ArtifactOptions {
  /** Fewest intervals used as measured (60: about a minute at rest). */
  minCleanBeats?: number;
  /** Largest share of intervals rejected or corrected (0.05, the usual Kubios-style limit). */
  maxCorrectedShare?: number;
}

/** What a reading held, reported whether or not it was usable (see CleanedIntervals; `cleanBeats` is its `clean`). */
export interface HrvCounts {
  beats: number;
  cleanBeats: number;
  trimmed: number;
  trimS: number;
  rejected: number;
  corrected: number;
  correctedShare: number;
  durationS: number;
}

/** Why a reading was refused, for code; `reason` says it for people. */
export type HrvRefusalCode = 'too-few-beats' | 'too-many-corrections' | 'no-variability';

/** A morning HRV measurement, or a refusal with a reason a person can act on. */
export type HrvResult =
  | ({ ok: true; rmssd: number; lnRmssd: number; sdnn: number; meanRr: number; meanHr: number } & HrvCounts)
  | ({ ok: false; code: HrvRefusalCode; reason: string } & HrvCounts);

/** Root mean square of successive differences, ms (Task Force 1996); NaN for fewer than two intervals. */
export function rmssd(intervalsMs: readonly number[]): number {
  return rmssdOfRuns([intervalsMs]);
}

/** RMSSD over several runs of consecutive beats: no difference is taken across a break. */
export function rmssdOfRuns(runs: readonly (readonly number[])[]): number {
  let squares = 0;
  let count = 0;
  for (const run of runs) {
    for (let i = 1; i < run.length; i++) {
      squares += (run[i]! - run[i - 1]!) ** 2;
      count++;
    }
  }
  return Math.sqrt(squares / count);
}

/** Standard deviation of NN intervals, ms: the sample SD (n − 1), which gives 8.54 ms for [800, 810, 790, 805]. */
export function sdnn(intervalsMs: readonly number[]): number {
  return sampleSd(intervalsMs);
}

/** Cleans a reading and measures it, or refuses it (see HrvRefusalCode). */
export function measureHrv(intervalsMs: readonly number[], options: HrvOptions = {}): HrvResult {
  const { minCleanBeats = 60, maxCorrectedShare = 0.05 } = options;
  const cleaned = cleanIntervals(intervalsMs, options);
  const counts = countsOf(cleaned);
  const skipped = cleaned.trimS > 0 ? ` (the first ${cleaned.trimS} s are skipped while the reading settles)` : '';
  if (cleaned.beats < minCleanBeats) {
    return refuse(
      'too-few-beats',
      `Only ${cleaned.beats} beats were recorded${skipped}; at least ${minCleanBeats} are needed. Measure a little longer, lying still.`,
      counts,
    );
  }
  if (cleaned.correctedShare > maxCorrectedShare) {
    const pct = (cleaned.correctedShare * 100).toFixed(1);
    const limit = Number((maxCorrectedShare * 100).toFixed(1));
    return refuse(
      'too-many-corrections',
      `${pct} % of beats were irregular or missed (the limit is ${limit} %), so HRV would not be reliable. Check the sensor sits snugly (moisten a chest strap), lie still, and measure again.`,
      counts,
    );
  }
  if (cleaned.clean < minCleanBeats) {
    return refuse(
      'too-few-beats',
      `Only ${cleaned.clean} beats were usable; at least ${minCleanBeats} are needed. Measure a little longer, lying still.`,
      counts,
    );
  }
  const all = cleaned.runs.flat();
  const value = rmssdOfRuns(cleaned.runs);
  if (!(value > 0)) {
    return refuse(
      'no-variability',
      'Every beat interval was the same, which a real heart does not produce: this sensor may not report true beat-to-beat intervals.',
      counts,
    );
  }
  const meanRr = mean(all);
  return { ok: true, rmssd: value, lnRmssd: Math.log(value), sdnn: sdnn(all), meanRr, meanHr: 60_000 / meanRr, ...counts };
}

function countsOf(c: CleanedIntervals): HrvCounts {
  return {
    beats: c.beats,
    cleanBeats: c.clean,
    trimmed: c.trimmed,
    trimS: c.trimS,
    rejected: c.rejected,
    corrected: c.corrected,
    correctedShare: c.correctedShare,
    durationS: c.durationS,
  };
}

function refuse(code: HrvRefusalCode, reason: string, counts: HrvCounts): HrvResult {
  return { ok: false, code, reason, ...counts };
}
