import type { HistoryGap, HistoryPoint } from '../live-history';

/** Points further apart than this are not joined by a line: something is missing between them. */
export const MAX_JOIN_MS = 5_000;

/** uPlot's columns: x in seconds, bpm or null (null breaks the line). */
export type ChartColumns = [number[], (number | null)[]];

/**
 * Turns history into chart columns: a null between two points more than MAX_JOIN_MS apart or
 * either side of a recorded gap, so the line never bridges time without data.
 */
export function chartColumns(points: readonly HistoryPoint[], gaps: readonly HistoryGap[]): ChartColumns {
  const xs: number[] = [];
  const ys: (number | null)[] = [];
  let previous: HistoryPoint | null = null;
  for (const point of points) {
    if (previous && (point.t - previous.t > MAX_JOIN_MS || gaps.some((g) => g.start >= previous!.t && g.start < point.t))) {
      xs.push((previous.t + point.t) / 2000);
      ys.push(null);
    }
    xs.push(point.t / 1000);
    ys.push(point.bpm);
    previous = point;
  }
  return [xs, ys];
}

/** A y range that fits the data with some room, never narrower than 40 bpm, so small wobbles do not look dramatic. */
export function bpmRange(values: readonly (number | null)[]): { min: number; max: number } {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v === null) continue;
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  if (!Number.isFinite(low)) return { min: 50, max: 110 };
  const middle = (low + high) / 2;
  const half = Math.max(20, (high - low) / 2 + 8);
  return { min: Math.max(0, Math.floor((middle - half) / 10) * 10), max: Math.ceil((middle + half) / 10) * 10 };
}
