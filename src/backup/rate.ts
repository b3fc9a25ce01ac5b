/** Transfer speed and time left, smoothed so that bursty progress events give steady figures. */
export interface RateEstimate {
  /** Bytes per second, or null until two samples are in. */
  bytesPerSecond: number | null;
  /** Seconds left, or null when the total or the rate is unknown. */
  secondsLeft: number | null;
}

export interface RateSample {
  at: number;
  bytes: number;
  rate: number | null;
}

/** Weight of the newest sample in the moving average. */
const SMOOTHING = 0.3;

/** The next sample: an exponentially weighted average of bytes over time since the last one. */
export function nextSample(previous: RateSample | undefined, bytes: number, at: number): RateSample {
  if (!previous || bytes < previous.bytes) return { at, bytes, rate: null };
  const elapsed = (at - previous.at) / 1000;
  if (elapsed <= 0) return previous;
  const instant = (bytes - previous.bytes) / elapsed;
  return { at, bytes, rate: previous.rate === null ? instant : previous.rate + SMOOTHING * (instant - previous.rate) };
}

export function estimate(sample: RateSample | undefined, total: number | null): RateEstimate {
  const rate = sample?.rate ?? null;
  if (rate === null || !sample) return { bytesPerSecond: null, secondsLeft: null };
  return { bytesPerSecond: rate, secondsLeft: total !== null && rate > 0 ? Math.max(0, (total - sample.bytes) / rate) : null };
}
