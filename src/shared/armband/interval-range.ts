/**
 * The beat intervals Steady believes. Straps and optical sensors both emit the odd impossible
 * interval (a missed or doubled detection). The parsers keep and name them rather than drop
 * them: a dropped interval would make the beats either side look consecutive, so the HRV maths
 * (src/shared/hrv/artifacts.ts) sees every one, rejects it and takes no difference across it.
 */

/** Shortest interval kept, in ms (240 bpm): anything shorter is a detection artefact. */
export const MIN_INTERVAL_MS = 250;

/** Longest interval kept, in ms (24 bpm): anything longer hides missed beats. */
export const MAX_INTERVAL_MS = 2500;

/** True for an interval inside [MIN_INTERVAL_MS, MAX_INTERVAL_MS]. */
export function isPlausibleIntervalMs(ms: number): boolean {
  return ms >= MIN_INTERVAL_MS && ms <= MAX_INTERVAL_MS;
}
