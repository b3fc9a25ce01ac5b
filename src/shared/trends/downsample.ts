/**
 * A day of per-second heart rate (~86,400 samples) reduced to what a chart of a few hundred pixels
 * can show: per pixel-wide bucket, the lowest and the highest sample, each at its own time.
 *
 * Why min/max and not LTTB (largest-triangle-three-buckets): LTTB keeps the visually most
 * prominent point of a bucket, one per bucket, so a 20-second climb over the threshold next to a
 * bigger one can vanish, and the chart would then show less exertion than happened. For pacing the
 * peaks are the point, so every bucket keeps its extreme values exactly: the line drawn through
 * them covers the same vertical span as the full data at that pixel (the idea of M4, Jugel et al.,
 * VLDB 2014, minus first/last, which a line this dense does not need).
 *
 * Gaps stay gaps: where two consecutive samples are more than `maxGapMs` apart (armband off, out
 * of range), a null goes between them, and uPlot breaks the line there instead of drawing a
 * straight line across time nobody measured.
 */
import { MAX_SAMPLE_GAP_MS } from '../pacing/zones';
import type { SampleColumns } from './day-samples';

/** Chart columns for uPlot: x in seconds (uPlot's time unit), bpm or null (a break in the line). */
export interface ChartSeries {
  x: number[];
  y: (number | null)[];
}

export interface DownsampleOptions {
  /** [from, to) in epoch ms: the chart's x range, split into `buckets` equal buckets. */
  from: number;
  to: number;
  /** Usually the plot width in device pixels. */
  buckets: number;
  maxGapMs?: number;
}

/** Min/max per bucket, in time order, with nulls at gaps (see above). Input ascending by time. */
export function downsampleMinMax(samples: SampleColumns, options: DownsampleOptions): ChartSeries {
  const { from, to, buckets, maxGapMs = MAX_SAMPLE_GAP_MS } = options;
  if (!(to > from)) throw new RangeError(`empty range [${from}, ${to})`);
  if (!Number.isInteger(buckets) || buckets < 1) throw new RangeError(`buckets must be a whole number ≥ 1, not ${buckets}`);
  const width = (to - from) / buckets;
  const x: number[] = [];
  const y: (number | null)[] = [];
  const { t, bpm } = samples;

  // The open run: samples of one bucket with no gap inside; its lowest and highest sample.
  let bucket = -1;
  let lo = -1;
  let hi = -1;
  const flush = () => {
    if (lo < 0) return;
    const first = Math.min(lo, hi);
    const second = Math.max(lo, hi);
    x.push(t[first]! / 1000);
    y.push(bpm[first]!);
    if (second !== first) {
      x.push(t[second]! / 1000);
      y.push(bpm[second]!);
    }
    lo = hi = -1;
  };

  let previous = -1;
  for (let i = 0; i < samples.length; i++) {
    const at = t[i]!;
    if (at < from || at >= to) continue;
    const b = Math.min(buckets - 1, Math.floor((at - from) / width));
    const gap = previous >= 0 && at - t[previous]! > maxGapMs;
    if (b !== bucket || gap) {
      flush();
      bucket = b;
      if (gap) {
        x.push((t[previous]! + at) / 2000);
        y.push(null);
      }
    }
    if (lo < 0 || bpm[i]! < bpm[lo]!) lo = i;
    if (hi < 0 || bpm[i]! > bpm[hi]!) hi = i;
    previous = i;
  }
  flush();
  return { x, y };
}
