/**
 * How the pacing threshold is chosen. Each method is one rule a person can check by hand:
 *
 *   resting-plus    resting HR + 15 bpm (Workwell Foundation's conservative estimate of the
 *                   anaerobic threshold in ME/CFS; see zones.ts). The default.
 *   percent-of-max  55 % of the age-predicted maximum 208 − 0.7 × age (Tanaka H, Monahan KD,
 *                   Seals DR. Age-predicted maximal heart rate revisited. J Am Coll Cardiol
 *                   2001;37(1):153–156, doi:10.1016/S0735-1097(00)01054-8). 55 % is the cautious
 *                   end of the 55–60 % of maximum that ME/CFS pacing guides suggest as a ceiling.
 *   learned         from the person's own days of wear (learned-zones.ts), applied only when they agree.
 * A threshold typed by hand (from a CPET, or their own experience) overrides all three.
 *
 * A heart-rate-lowering medication (a beta-blocker, ivabradine) blunts how far heart rate rises
 * with effort, so the same effort shows as a smaller rise. Brawner et al. measured the maximum
 * of people on beta-blockers as 164 − 0.7 × age (Brawner CA et al. Predicting maximum heart rate
 * among patients with coronary heart disease receiving β-adrenergic blockade therapy. Am Heart J
 * 2004;148(5):910–914, doi:10.1016/j.ahj.2004.04.035), 44 bpm below Tanaka's at every age. With
 * the option on:
 *   percent-of-max  uses Brawner's maximum instead of Tanaka's;
 *   resting-plus    and the learned margins are scaled by two thirds: the heart-rate reserve
 *                   (maximum − resting) shrinks to about two thirds (age 45, resting 60 untreated,
 *                   55 treated: (164 − 31.5 − 55) / (208 − 31.5 − 60) = 77.5 / 116.5 = 0.67), so
 *                   15 bpm becomes 10.
 */
import { DEFAULT_THRESHOLD_MARGIN_BPM } from './zones';

/** How the threshold is worked out when none is set by hand (a hand-set threshold always wins). */
export type ZoneMethod = 'resting-plus' | 'percent-of-max' | 'learned';

export const ZONE_METHODS: readonly ZoneMethod[] = ['resting-plus', 'percent-of-max', 'learned'];

/** The share of the age-predicted maximum used as the threshold. */
export const PERCENT_OF_MAX = 0.55;

/** What a heart-rate-lowering medication scales margins by (derivation above). */
export const MEDICATION_MARGIN_FACTOR = 2 / 3;

/** A margin in bpm, scaled for a heart-rate-lowering medication when one is taken. */
export function scaledMargin(bpm: number, medication: boolean): number {
  return medication ? Math.round(bpm * MEDICATION_MARGIN_FACTOR) : bpm;
}

/** Resting HR + 15 bpm, or + 10 bpm with a heart-rate-lowering medication. */
export function restingPlusThreshold(restingHr: number, medication: boolean): number {
  return restingHr + scaledMargin(DEFAULT_THRESHOLD_MARGIN_BPM, medication);
}

/** Age-predicted maximum: Tanaka's 208 − 0.7 × age, or Brawner's 164 − 0.7 × age with a medication; unrounded. */
export function predictedMaxHr(age: number, medication: boolean): number {
  return (medication ? 164 : 208) - 0.7 * age;
}

/** 55 % of the age-predicted maximum, rounded to a whole bpm. */
export function percentOfMaxThreshold(age: number, medication: boolean): number {
  return Math.round(PERCENT_OF_MAX * predictedMaxHr(age, medication));
}

/** Age in whole years during the calendar year of `t` (a birth year is all that is stored, so at most a year high). */
export function ageIn(birthYear: number, t: number): number {
  return new Date(t).getFullYear() - birthYear;
}
