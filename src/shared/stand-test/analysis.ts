/**
 * The stand test's maths: baseline, heart rate each minute, the largest sustained rise, the
 * POTS heart-rate criterion and orthostatic hypotension. Pure functions of a StandTestRecord.
 */
import { measureHrv } from '../hrv/hrv';
import { mean } from '../hrv/stats';
import {
  type AgeBand,
  BASELINE_WINDOW_S,
  type BpReading,
  CONTACT_LIMIT_S,
  HYPOTENSION_FALL,
  HYPOTENSION_MINUTES,
  POTS_RISE_BPM,
  STAND_MINUTES,
  type StandSample,
  type StandTestRecord,
  SUSTAINED_S,
} from './protocol';

const MINUTE_MS = 60_000;

/** Heart rate lying down: mean of the last 2 minutes, with RMSSD of that window when beat intervals allow. */
export interface Baseline {
  hr: number;
  /** ms; null without beat intervals or when they failed the HRV quality bars. */
  rmssd: number | null;
}

/** The highest average heart rate over SUSTAINED_S seconds of standing, and when it was reached. */
export interface SustainedPeak {
  /** Mean bpm over the window. */
  hr: number;
  /** Seconds from standing up to the end of that window. */
  atS: number;
}

/** What a completed (or stopped) test shows. */
export interface StandTestResult {
  baseline: Baseline;
  /** Mean bpm in each minute of standing (index 0 = minute 1); null for a minute not reached or without data. */
  minuteHr: (number | null)[];
  peak: SustainedPeak;
  /** Largest sustained rise over baseline, whole bpm. */
  riseBpm: number;
  thresholdBpm: number;
  meetsHrCriterion: boolean;
  /** Lying blood pressure and the largest falls within HYPOTENSION_MINUTES; null when not measurable. */
  hypotension: { fallSystolic: number; fallDiastolic: number; meets: boolean } | null;
  /** Seconds stood; below 600 when stopped. */
  stoodS: number;
}

/** Why a test gave no result, for code; `reason` says it for people. */
export type StandRefusalCode = 'not-stood' | 'no-baseline' | 'contact-lost' | 'too-short';

export type StandAnalysis = { ok: true; result: StandTestResult } | { ok: false; code: StandRefusalCode; reason: string };

/** Samples that carry a heart rate: skin contact reported or not supported. */
export const usable = (samples: readonly StandSample[]) => samples.filter((s) => s.contact !== false);

/** `m:ss` for a number of seconds. */
export const clockText = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

/**
 * The longest stretch in [from, to] without a usable sample, counting the edges: from `from`
 * to the first sample and from the last sample to `to`.
 */
export function longestGap(samples: readonly StandSample[], from: number, to: number): { start: number; ms: number } {
  let previous = from;
  let longest = { start: from, ms: 0 };
  for (const s of usable(samples)) {
    if (s.t < from || s.t > to) continue;
    if (s.t - previous > longest.ms) longest = { start: previous, ms: s.t - previous };
    previous = s.t;
  }
  if (to - previous > longest.ms) longest = { start: previous, ms: to - previous };
  return longest;
}

/** Mean heart rate and RMSSD of the last BASELINE_WINDOW_S before standing; null without samples there. */
export function baselineOf(samples: readonly StandSample[], standAt: number, intervalKind: 'rr' | 'ppi' = 'rr'): Baseline | null {
  const window = usable(samples).filter((s) => s.t >= standAt - BASELINE_WINDOW_S * 1000 && s.t < standAt);
  if (window.length === 0) return null;
  const intervals = window.flatMap((s) => s.intervalsMs);
  // The armband has been still for minutes already: no settle trim. Needs ~a minute of clean beats.
  const hrv = intervals.length > 0 ? measureHrv(intervals, { kind: intervalKind, settleS: 0, warmUpS: 0 }) : null;
  return { hr: mean(window.map((s) => s.bpm)), rmssd: hrv?.ok ? hrv.rmssd : null };
}

/** Mean bpm in each whole minute of standing from `standAt` until `endAt`; null where a minute holds no sample. */
export function minuteHeartRates(samples: readonly StandSample[], standAt: number, endAt: number): (number | null)[] {
  const good = usable(samples);
  return Array.from({ length: STAND_MINUTES }, (_, i) => {
    const from = standAt + i * MINUTE_MS;
    const to = Math.min(from + MINUTE_MS, endAt);
    const bpms = good.filter((s) => s.t >= from && s.t < to).map((s) => s.bpm);
    return bpms.length > 0 ? mean(bpms) : null;
  });
}

/**
 * The highest mean heart rate over any window of SUSTAINED_S seconds of standing: for each
 * sample at least that long after standing up, the mean of the samples in the window ending
 * with it. The earliest wins a tie. Null when standing lasted less than one window.
 */
export function sustainedPeak(samples: readonly StandSample[], standAt: number, endAt: number): SustainedPeak | null {
  const good = usable(samples).filter((s) => s.t >= standAt && s.t <= endAt);
  const windowMs = SUSTAINED_S * 1000;
  let best: SustainedPeak | null = null;
  let start = 0;
  let sum = 0;
  for (let end = 0; end < good.length; end++) {
    const last = good[end]!;
    sum += last.bpm;
    while (good[start]!.t <= last.t - windowMs) sum -= good[start++]!.bpm;
    if (last.t - standAt < windowMs) continue;
    const hr = sum / (end - start + 1);
    if (best === null || hr > best.hr) best = { hr, atS: (last.t - standAt) / 1000 };
  }
  return best;
}

/**
 * Orthostatic hypotension from typed readings: the largest systolic and diastolic falls from
 * the lying reading (minute 0) to a standing one within HYPOTENSION_MINUTES. Null without a
 * lying reading or without a standing one in those minutes.
 */
export function hypotensionOf(bp: readonly BpReading[]): StandTestResult['hypotension'] {
  const lying = bp.find((r) => r.minute === 0);
  const early = bp.filter((r) => r.minute > 0 && r.minute <= HYPOTENSION_MINUTES);
  if (!lying || early.length === 0) return null;
  const fallSystolic = Math.max(...early.map((r) => lying.systolic - r.systolic));
  const fallDiastolic = Math.max(...early.map((r) => lying.diastolic - r.diastolic));
  return {
    fallSystolic,
    fallDiastolic,
    meets: fallSystolic >= HYPOTENSION_FALL.systolic || fallDiastolic >= HYPOTENSION_FALL.diastolic,
  };
}

/** Systolic minus diastolic, mmHg. */
export const pulsePressure = (r: BpReading) => r.systolic - r.diastolic;

/** The criterion's threshold for an age band. */
export const thresholdFor = (ageBand: AgeBand) => POTS_RISE_BPM[ageBand];

/**
 * Analyses a finished or stopped test. Refuses when it never got to standing, when the
 * baseline window holds no heart rate, when standing lasted under one sustained window, or
 * when the heart rate was missing for more than CONTACT_LIMIT_S in the baseline window or while
 * standing: a rise measured across that gap could be anything.
 */
export function analyseStandTest(record: StandTestRecord): StandAnalysis {
  const { standAt, samples } = record;
  const endAt = record.stop?.at ?? record.endedAt;
  if (standAt === null || endAt === null || endAt <= standAt)
    return refuse('not-stood', 'The test ended before standing, so there is no rise to measure.');
  const baseFrom = standAt - BASELINE_WINDOW_S * 1000;
  const baseGap = longestGap(samples, Math.max(baseFrom, record.startedAt), standAt);
  if (baseGap.ms > CONTACT_LIMIT_S * 1000)
    return refuse(
      'contact-lost',
      `No heart rate for ${Math.round(baseGap.ms / 1000)} s while lying down (the limit is ${CONTACT_LIMIT_S} s), so there is no baseline to compare with.`,
    );
  const baseline = baselineOf(samples, standAt, record.source.intervalKind);
  if (!baseline) return refuse('no-baseline', 'No heart rate was recorded in the last 2 minutes lying down.');
  const standEnd = Math.min(endAt, standAt + STAND_MINUTES * MINUTE_MS);
  const standGap = longestGap(samples, standAt, standEnd);
  if (standGap.ms > CONTACT_LIMIT_S * 1000)
    return refuse(
      'contact-lost',
      `No heart rate for ${Math.round(standGap.ms / 1000)} s from ${clockText((standGap.start - standAt) / 1000)} of standing (the limit is ${CONTACT_LIMIT_S} s). Check the armband's contact and try another day.`,
    );
  const peak = sustainedPeak(samples, standAt, standEnd);
  if (!peak) return refuse('too-short', `Standing lasted under ${SUSTAINED_S} s, too short for a sustained rise.`);
  const riseBpm = Math.round(peak.hr - baseline.hr);
  const thresholdBpm = thresholdFor(record.ageBand);
  return {
    ok: true,
    result: {
      baseline,
      minuteHr: minuteHeartRates(samples, standAt, standEnd),
      peak,
      riseBpm,
      thresholdBpm,
      meetsHrCriterion: riseBpm >= thresholdBpm,
      hypotension: hypotensionOf(record.bp),
      stoodS: Math.round((standEnd - standAt) / 1000),
    },
  };
}

function refuse(code: StandRefusalCode, reason: string): StandAnalysis {
  return { ok: false, code, reason };
}
