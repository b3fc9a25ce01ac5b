/**
 * Early warning: days that look like the run-up to a crash, judged against the person's own
 * baselines, never a population's.
 *
 * The rule (each part stated on screen when it fires):
 *   - Baseline: the BASELINE_DAYS days before the last RECENT_DAYS days. It needs at least
 *     MIN_BASELINE_MORNINGS morning measurements, else no judgement is made and the card says how
 *     many more mornings it needs.
 *   - HRV low: a morning's ln RMSSD more than half a standard deviation below the baseline mean
 *     (the "smallest worthwhile change" used for daily HRV, Plews et al., Sports Med 2013;43:773).
 *   - Resting heart rate high: more than half a standard deviation, and at least 2 bpm, above the
 *     baseline mean (2 bpm: below that a wearable's resting HR moves by itself day to day).
 *   - Over budget: a day's pace points above the daily limit.
 *   - Warning: HRV low on at least 2 of the last 3 mornings, together with resting heart rate high
 *     on at least 2 of them or over budget on at least 2 of the last 3 days. A falling HRV with a
 *     rising resting heart rate (or too much load) is the pattern people with ME/CFS report before
 *     post-exertional malaise; one signal alone is too common to act on.
 *
 * It is a pattern in the person's own numbers, not a prediction: it cannot see a crash coming
 * that their numbers do not show, and a flagged day is often followed by no crash at all.
 */
import type { DayRow } from './day-rows';

export const BASELINE_DAYS = 28;
export const RECENT_DAYS = 3;
export const MIN_BASELINE_MORNINGS = 14;
/** Of the last RECENT_DAYS days, how many a signal must hold on to count. */
export const DAYS_TO_COUNT = 2;
/** In standard deviations of the baseline. */
export const SD_FACTOR = 0.5;
export const MIN_RHR_RISE_BPM = 2;

export type SignalId = 'hrvLow' | 'restingHrHigh' | 'overBudget';

/** One signal over the last days: on how many it held, of how many had a value, and by how much. */
export interface Signal {
  id: SignalId;
  /** Days (of the last RECENT_DAYS) it held on. */
  daysMet: number;
  /** Days (of the last RECENT_DAYS) with a value to judge. */
  daysKnown: number;
  counts: boolean;
  /** What moved, in words with figures: "18 % below your baseline of 42 ms (mean of the last 3 mornings: 34 ms)". */
  detail: string;
}

export type EarlyWarning =
  | { status: 'not-enough-history'; mornings: number; needed: number }
  | { status: 'calm' | 'warning'; signals: Signal[]; baseline: { rmssdMs: number; restingHr: number; mornings: number } };

const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
function sd(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1));
}
const round = (v: number, decimals = 0) => Number(v.toFixed(decimals));

/**
 * Judges the last RECENT_DAYS rows against the BASELINE_DAYS rows before them. `rows` are
 * consecutive days, oldest first, ending today (give at least BASELINE_DAYS + RECENT_DAYS).
 */
export function earlyWarning(rows: readonly DayRow[], dailyPoints: number): EarlyWarning {
  const recent = rows.slice(-RECENT_DAYS);
  const baseline = rows.slice(-(RECENT_DAYS + BASELINE_DAYS), -RECENT_DAYS);
  const mornings = baseline.filter((row) => row.lnRmssd !== null && row.rmssd !== null && row.restingHr !== null);
  if (mornings.length < MIN_BASELINE_MORNINGS)
    return { status: 'not-enough-history', mornings: mornings.length, needed: MIN_BASELINE_MORNINGS };

  const ln = mornings.map((row) => row.lnRmssd as number);
  const rhr = mornings.map((row) => row.restingHr as number);
  const lnMean = mean(ln);
  const rhrMean = mean(rhr);
  const hrvLine = lnMean - SD_FACTOR * sd(ln);
  const rhrLine = rhrMean + Math.max(SD_FACTOR * sd(rhr), MIN_RHR_RISE_BPM);
  const baselineRmssd = Math.exp(lnMean);

  const recentHrv = recent.filter((row) => row.lnRmssd !== null);
  const recentRhr = recent.filter((row) => row.restingHr !== null);
  const recentLoad = recent.filter((row) => row.pacePoints !== null);
  const hrvMet = recentHrv.filter((row) => (row.lnRmssd as number) < hrvLine).length;
  const rhrMet = recentRhr.filter((row) => (row.restingHr as number) > rhrLine).length;
  const loadMet = recentLoad.filter((row) => (row.pacePoints as number) > dailyPoints).length;

  const recentRmssd = recentHrv.length > 0 ? Math.exp(mean(recentHrv.map((row) => row.lnRmssd as number))) : null;
  const recentRestingHr = recentRhr.length > 0 ? mean(recentRhr.map((row) => row.restingHr as number)) : null;
  const signals: Signal[] = [
    {
      id: 'hrvLow',
      daysMet: hrvMet,
      daysKnown: recentHrv.length,
      counts: hrvMet >= DAYS_TO_COUNT,
      detail:
        recentRmssd === null
          ? 'no morning measurement in the last 3 days'
          : `${describeChange(recentRmssd, baselineRmssd)} your baseline of ${round(baselineRmssd)} ms (last ${recentHrv.length === 1 ? 'morning' : `${recentHrv.length} mornings`}: ${round(recentRmssd)} ms)`,
    },
    {
      id: 'restingHrHigh',
      daysMet: rhrMet,
      daysKnown: recentRhr.length,
      counts: rhrMet >= DAYS_TO_COUNT,
      detail:
        recentRestingHr === null
          ? 'no morning measurement in the last 3 days'
          : `${signed(round(recentRestingHr - rhrMean, 1))} bpm against your baseline of ${round(rhrMean)} bpm`,
    },
    {
      id: 'overBudget',
      daysMet: loadMet,
      daysKnown: recentLoad.length,
      counts: loadMet >= DAYS_TO_COUNT,
      detail:
        recentLoad.length === 0
          ? 'no heart rate recorded in the last 3 days'
          : `pace points ${recentLoad.map((row) => round(row.pacePoints as number)).join(', ')} against a limit of ${dailyPoints}`,
    },
  ];
  const [hrvLow, rhrHigh, overBudget] = signals as [Signal, Signal, Signal];
  const warning = hrvLow.counts && (rhrHigh.counts || overBudget.counts);
  return {
    status: warning ? 'warning' : 'calm',
    signals,
    baseline: { rmssdMs: round(baselineRmssd, 1), restingHr: round(rhrMean, 1), mornings: mornings.length },
  };
}

function describeChange(value: number, baseline: number): string {
  const percent = Math.round(((value - baseline) / baseline) * 100);
  if (percent === 0) return 'level with';
  return `${Math.abs(percent)} % ${percent < 0 ? 'below' : 'above'}`;
}

const signed = (v: number) => (v > 0 ? `+${v}` : `${v}`);
