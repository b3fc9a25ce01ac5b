/**
 * The beat intervals Steady believes. Straps and optical sensors both emit the odd impossible
 * interval (a missed or doubled detection); one of them would swing HRV maths far more than a
 * dropped beat does, so they are filtered where they arrive.
 */

/** Shortest interval kept, in ms (240 bpm): anything shorter is a detection artefact. */
export const MIN_INTERVAL_MS = 250;

/** Longest interval kept, in ms (24 bpm): anything longer hides missed beats. */
export const MAX_INTERVAL_MS = 2500;

/** True for an interval inside [MIN_INTERVAL_MS, MAX_INTERVAL_MS]. */
export function isPlausibleIntervalMs(ms: number): boolean {
  return ms >= MIN_INTERVAL_MS && ms <= MAX_INTERVAL_MS;
}
