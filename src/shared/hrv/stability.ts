/**
 * The morning stability score, 1 (take today very gently) to 5 (as steady as you usually are),
 * with the factors that pulled it down so a screen can explain it.
 *
 * Physiology is read against the person's own baseline, as in HRV-guided training: lnRMSSD and
 * its 7-day rolling mean against a normal range from the previous weeks (Plews et al., Eur J Appl
 * Physiol 2012;112:3729 and Sports Med 2013;43:773), the weekly band being the "smallest worthwhile
 * change" of half a between-day SD (Buchheit, Front Physiol 2014;5:73).
 *
 * Scoring rule: start at 5, subtract points, never go below 1.
 *   HRV this morning     lnRMSSD below baseline mean − 1 band: 1 point; − 2 bands: 2 points
 *   HRV over the week    7-day mean lnRMSSD (today included) below mean − ½ band: 1 point
 *   Resting heart rate   above baseline mean + 1 band: 1 point; + 2 bands: 2 points
 *   Sleep quality        1 (poor): 1 point; 0 (very poor): 2 points; not rated: none
 *   Evening symptoms     worst at 2 (moderate): 1 point; at 3 (severe): 2 points
 * band = the baseline SD, floored (0.1 lnRMSSD ≈ 10 %; 3 bpm) so a flat baseline does not turn
 * noise into points. Every rule is a threshold in one direction, so worse inputs never score
 * better. The baseline leaves today out: otherwise a lower reading would drag the range down
 * with it and could earn fewer points.
 */
import { mean, sampleSd } from './stats';

/** One morning's reading; `date` is the local calendar day, `YYYY-MM-DD`. */
export interface MorningReading {
  date: string;
  lnRmssd: number;
  restingHr: number;
}

/** One symptom from last evening's check-in: 0 none … 3 severe (higher is worse). */
export interface SymptomScore {
  /** Lower-case, as it reads mid-sentence: "fatigue", "brain fog". */
  name: string;
  score: number;
}

/** Everything the score is made of. */
export interface StabilityInput {
  today: MorningReading;
  /** Earlier mornings in any order; one per date (the last wins), later dates ignored. */
  history: readonly MorningReading[];
  /** Last night's sleep, 0 very poor … 3 good (higher is better); null when not rated. */
  sleepQuality: number | null;
  /** Last evening's check-in; empty when there was none. */
  symptoms: readonly SymptomScore[];
}

/** Tuning; the defaults are the documented rule. */
export interface StabilityOptions {
  /** Mornings (today included) before a score is given. */
  minMornings?: number;
  /** Days before today that make the baseline (30–90 is usual). */
  baselineDays?: number;
  lnRmssdBandFloor?: number;
  restingHrBandFloor?: number;
}

/** Why a point was taken, for code; `explanation` says it for people. */
export type StabilityFactorCode = 'hrv-low' | 'hrv-low-week' | 'resting-hr-high' | 'sleep-poor' | 'symptoms';

/** One thing that pulled the score down. */
export interface StabilityFactor {
  code: StabilityFactorCode;
  points: number;
  explanation: string;
}

/** The person's normal range, as the score saw it. */
export interface StabilityBaseline {
  mornings: number;
  lnRmssdMean: number;
  lnRmssdBand: number;
  weekLnRmssdMean: number;
  restingHrMean: number;
  restingHrBand: number;
}

/** A score with its reasons (worst first), or how many more mornings are needed. */
export type StabilityResult =
  | { ready: false; mornings: number; morningsNeeded: number }
  | { ready: true; score: 1 | 2 | 3 | 4 | 5; factors: StabilityFactor[]; baseline: StabilityBaseline };

const DAY_MS = 86_400_000;
const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

/** Scores this morning against the person's own baseline (see the rule above). */
export function stabilityScore(input: StabilityInput, options: StabilityOptions = {}): StabilityResult {
  const { minMornings = 4, baselineDays = 60, lnRmssdBandFloor = 0.1, restingHrBandFloor = 3 } = options;
  const today = dayOf(input.today.date);
  if (!Number.isFinite(today)) throw new RangeError(`today.date ${input.today.date} is not YYYY-MM-DD`);
  if (!Number.isFinite(input.today.lnRmssd) || !Number.isFinite(input.today.restingHr))
    throw new RangeError('today needs lnRmssd and restingHr');

  const byDay = new Map<number, MorningReading>();
  for (const m of input.history) {
    const day = dayOf(m.date);
    if (day >= today - baselineDays && day < today && Number.isFinite(m.lnRmssd) && Number.isFinite(m.restingHr)) byDay.set(day, m);
  }
  const mornings = byDay.size + 1;
  if (mornings < minMornings) return { ready: false, mornings, morningsNeeded: minMornings - mornings };

  const prior = [...byDay.values()];
  const week = [...byDay].filter(([day]) => day > today - 7).map(([, m]) => m.lnRmssd);
  const ln = prior.map((m) => m.lnRmssd);
  const hr = prior.map((m) => m.restingHr);
  const baseline: StabilityBaseline = {
    mornings,
    lnRmssdMean: mean(ln),
    lnRmssdBand: Math.max(sampleSd(ln), lnRmssdBandFloor),
    weekLnRmssdMean: mean([...week, input.today.lnRmssd]),
    restingHrMean: mean(hr),
    restingHrBand: Math.max(sampleSd(hr), restingHrBandFloor),
  };

  const factors = [
    ...hrvFactors(input.today.lnRmssd, baseline),
    ...restingHrFactors(input.today.restingHr, baseline),
    ...sleepFactors(input.sleepQuality),
    ...symptomFactors(input.symptoms),
  ].sort((a, b) => b.points - a.points);
  const points = factors.reduce((sum, f) => sum + f.points, 0);
  return { ready: true, score: Math.max(1, 5 - points) as 1 | 2 | 3 | 4 | 5, factors, baseline };
}

function hrvFactors(lnRmssd: number, b: StabilityBaseline): StabilityFactor[] {
  const factors: StabilityFactor[] = [];
  const below = (b.lnRmssdMean - lnRmssd) / b.lnRmssdBand;
  if (below > 2) factors.push({ code: 'hrv-low', points: 2, explanation: 'HRV this morning is well below your normal range' });
  else if (below > 1) factors.push({ code: 'hrv-low', points: 1, explanation: 'HRV this morning is below your normal range' });
  if (b.weekLnRmssdMean < b.lnRmssdMean - b.lnRmssdBand / 2) {
    factors.push({ code: 'hrv-low-week', points: 1, explanation: 'HRV has averaged below your normal range over the past 7 days' });
  }
  return factors;
}

function restingHrFactors(restingHr: number, b: StabilityBaseline): StabilityFactor[] {
  const above = restingHr - b.restingHrMean;
  const points = above > 2 * b.restingHrBand ? 2 : above > b.restingHrBand ? 1 : 0;
  if (points === 0) return [];
  return [{ code: 'resting-hr-high', points, explanation: `Resting heart rate is ${Math.round(above)} bpm above your normal` }];
}

function sleepFactors(quality: number | null): StabilityFactor[] {
  if (quality === null || !(quality <= 1)) return [];
  const words = quality <= 0 ? 'very poor' : 'poor';
  return [{ code: 'sleep-poor', points: quality <= 0 ? 2 : 1, explanation: `You rated last night's sleep as ${words}` }];
}

function symptomFactors(symptoms: readonly SymptomScore[]): StabilityFactor[] {
  const worst = Math.max(0, ...symptoms.map((s) => s.score));
  if (worst < 2) return [];
  const names = symptoms.filter((s) => s.score >= worst).map((s) => s.name);
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  const sentence = `${list} ${names.length === 1 ? 'was' : 'were'} ${worst >= 3 ? 'severe' : 'moderate'} last evening`;
  return [{ code: 'symptoms', points: worst >= 3 ? 2 : 1, explanation: sentence.charAt(0).toUpperCase() + sentence.slice(1) }];
}
