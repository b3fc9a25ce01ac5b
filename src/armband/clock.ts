/**
 * Sample timestamps. `Date.now()` can jump back (NTP, the user changing the clock) and would
 * then reorder or drop samples, so Steady reads wall time once, as `performance.timeOrigin`,
 * and moves forward with the monotonic `performance.now()`
 * (https://w3c.github.io/hr-time/#sec-time-origin). Samples are stored as whole ms offsets in
 * a minute chunk, and `appendToChunk` skips a sample not after the previous one, so the clock
 * also guarantees every stamp is a whole ms strictly greater than the last one it gave.
 */

/** A clock that returns strictly increasing whole epoch milliseconds. */
export type SampleClock = () => number;

/** Wraps any ms source so that its readings are whole and strictly increasing. */
export function strictlyIncreasing(source: () => number, floor = Number.NEGATIVE_INFINITY): SampleClock {
  let last = floor;
  return () => {
    const now = Math.floor(source());
    last = now > last ? now : last + 1;
    return last;
  };
}

/** The page's sample clock: `performance.timeOrigin + performance.now()`, strictly increasing. */
export const sampleClock: SampleClock = strictlyIncreasing(() => performance.timeOrigin + performance.now());
