/**
 * The zone bounds in force, and how they were reached, from the settings: the one place the
 * pacing monitor, the settings card, Today's card and the trends all get them from, so a day is
 * charted against the threshold that alerted on it.
 */
import { effectiveRestingHr, type PacingSettings, type RestingHrSource } from './settings';
import { ageIn, PERCENT_OF_MAX, percentOfMaxThreshold, predictedMaxHr, restingPlusThreshold, scaledMargin } from './zone-methods';
import { DEFAULT_THRESHOLD_MARGIN_BPM, REST_MARGIN_BPM, type ZoneBounds, zoneBounds } from './zones';

/** How the threshold in force was worked out: every figure, for the screen to show. */
export type ThresholdBasis =
  | { method: 'manual'; threshold: number }
  | { method: 'resting-plus'; restingHr: number; restingSource: RestingHrSource; margin: number }
  | {
      method: 'percent-of-max';
      age: number;
      /** Age-predicted maximum, unrounded (Tanaka, or Brawner with a medication). */
      maxHr: number;
      percent: number;
      /** The percentage fell at or below the rest zone's top; the threshold is kept just above it instead. */
      raisedTo: number | null;
    }
  | { method: 'learned'; restingHr: number; dailyHigh: number; days: number; from: string; to: string };

/** The bounds in force and their basis. */
export interface ActiveZones {
  bounds: ZoneBounds;
  basis: ThresholdBasis;
  medication: boolean;
}

/**
 * The bounds for `settings`, the latest measured resting HR (null: none) and the time `t` they
 * apply at (it dates the age). A hand-set threshold wins; otherwise the zone method decides. The
 * rest zone stays resting HR + 5 (zones.ts) for every method, from the learned resting HR for
 * the learned one. A percentage of maximum at or below that is raised to one above it, so there
 * is always room for rest below the threshold.
 */
export function activeZones(settings: PacingSettings, measuredRestingHr: number | null, t: number): ActiveZones {
  const medication = settings.rateLoweringMedication;
  const resting = effectiveRestingHr(settings, measuredRestingHr);
  if (settings.threshold !== null) {
    return { bounds: zoneBounds(resting.bpm, settings.threshold), basis: { method: 'manual', threshold: settings.threshold }, medication };
  }
  if (settings.zoneMethod === 'learned' && settings.learned) {
    const { restingHr, dailyHigh, threshold, days, from, to } = settings.learned;
    return { bounds: zoneBounds(restingHr, threshold), basis: { method: 'learned', restingHr, dailyHigh, days, from, to }, medication };
  }
  if (settings.zoneMethod === 'percent-of-max' && settings.birthYear !== null) {
    const age = ageIn(settings.birthYear, t);
    const computed = percentOfMaxThreshold(age, medication);
    const floor = resting.bpm + REST_MARGIN_BPM + 1;
    const threshold = Math.max(computed, floor);
    return {
      bounds: zoneBounds(resting.bpm, threshold),
      basis: {
        method: 'percent-of-max',
        age,
        maxHr: predictedMaxHr(age, medication),
        percent: PERCENT_OF_MAX,
        raisedTo: computed < floor ? floor : null,
      },
      medication,
    };
  }
  return {
    bounds: zoneBounds(resting.bpm, restingPlusThreshold(resting.bpm, medication)),
    basis: {
      method: 'resting-plus',
      restingHr: resting.bpm,
      restingSource: resting.source,
      margin: scaledMargin(DEFAULT_THRESHOLD_MARGIN_BPM, medication),
    },
    medication,
  };
}
