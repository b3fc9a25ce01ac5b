/**
 * Heart-rate zones for pacing. The threshold is the person's own (a CPET ventilatory threshold, or
 * what they have learned) or, without one, resting HR + 15 bpm: the conservative estimate the
 * Workwell Foundation gives for staying under the anaerobic threshold in ME/CFS.
 *
 * Zones:
 *   rest      bpm < resting + 5: lying or sitting still; a few bpm of drift is just noise
 *   activity  from there to below the threshold: upright and moving, which costs energy in ME/CFS
 *             and orthostatic intolerance even when it feels like nothing
 *   exertion  bpm ≥ threshold: where post-exertional malaise is most likely to be paid for
 * The rest bound is anchored to resting HR, not the threshold, so a manual threshold does not
 * move what "resting" means; it is capped at the threshold so the zones never overlap.
 */

/** A heart-rate reading as the pacing maths needs it (a HeartRateSample fits). */
export interface BpmSample {
  t: number;
  bpm: number;
}

/** Where a heart rate sits relative to rest and the threshold. */
export type Zone = 'rest' | 'activity' | 'exertion';

/** Where each zone starts: rest below `restBelow`, exertion at `threshold` and above. */
export interface ZoneBounds {
  restBelow: number;
  threshold: number;
}

/** Added to resting HR when there is no manual threshold (Workwell Foundation). */
export const DEFAULT_THRESHOLD_MARGIN_BPM = 15;
/** Heart rates under resting HR + this count as rest. */
export const REST_MARGIN_BPM = 5;

/** Samples further apart than this leave a gap: the time between them is not counted or trusted. */
export const MAX_SAMPLE_GAP_MS = 10_000;

/** The pacing threshold: the manual value when set, else resting HR + 15 bpm. */
export function paceThreshold(restingHr: number, manualThreshold?: number | null): number {
  return manualThreshold ?? restingHr + DEFAULT_THRESHOLD_MARGIN_BPM;
}

/** The zone bounds for a person's resting HR and optional manual threshold. */
export function zoneBounds(restingHr: number, manualThreshold?: number | null): ZoneBounds {
  const threshold = paceThreshold(restingHr, manualThreshold);
  return { restBelow: Math.min(restingHr + REST_MARGIN_BPM, threshold), threshold };
}

/** The zone a heart rate falls in. */
export function zoneOf(bpm: number, bounds: ZoneBounds): Zone {
  if (bpm >= bounds.threshold) return 'exertion';
  return bpm < bounds.restBelow ? 'rest' : 'activity';
}

/**
 * The heart rates a reading can plausibly be, inclusive: below 30 bpm is beyond even a trained
 * athlete asleep, above 230 beyond any adult's maximum (Tanaka's 208 − 0.7 × age tops out near
 * 200 at age 18, and measured maxima scatter ±20 around it). Outside this the strap is slipping
 * or counting noise, so such a reading must not alert (alerts.ts) or teach the learned zones.
 */
export const PLAUSIBLE_BPM = { min: 30, max: 230 } as const;

/** A heart rate inside PLAUSIBLE_BPM. */
export function isPlausibleHeartRate(bpm: number): boolean {
  return Number.isFinite(bpm) && bpm >= PLAUSIBLE_BPM.min && bpm <= PLAUSIBLE_BPM.max;
}

/** A reading that says something about the heart: sensors send 0 (or nothing sensible) without contact. */
export function isHeartRate(bpm: number): boolean {
  return Number.isFinite(bpm) && bpm > 0;
}
