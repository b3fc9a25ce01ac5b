/** A local day's heart-rate load and the 24-hour chart's figures, from flat sample columns. */
import { dayLoad } from '../pacing/budget';
import type { BpmSample, ZoneBounds } from '../pacing/zones';
import type { DayLoadSummary } from './day-rows';
import type { SampleColumns } from './day-samples';

/**
 * Time above threshold and pace points of [from, to), by the pacing rules of dayLoad. Pass the
 * samples of a little more than the day (a minute either side) so the spans across midnight are
 * split between the two days instead of lost.
 */
export function loadOfDay(samples: SampleColumns, bounds: ZoneBounds, from: number, to: number): DayLoadSummary {
  const load = dayLoad(toSamples(samples), bounds, { from, to });
  return { aboveThresholdMs: load.aboveThresholdMs, points: load.points, recordedMs: load.recordedMs, threshold: bounds.threshold };
}

/** What the 24-hour chart says in words: the extremes at full resolution, not the downsampled ones. */
export interface DayFigures {
  /** Highest heart rate and when (the first time it was reached); null without samples. */
  peak: { bpm: number; t: number } | null;
  low: { bpm: number; t: number } | null;
  meanBpm: number | null;
  samples: number;
}

/** Peak, low and mean of the samples in [from, to). */
export function dayFigures(samples: SampleColumns, from: number, to: number): DayFigures {
  let peak: DayFigures['peak'] = null;
  let low: DayFigures['low'] = null;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < samples.length; i++) {
    const t = samples.t[i]!;
    if (t < from || t >= to) continue;
    const bpm = samples.bpm[i]!;
    if (!peak || bpm > peak.bpm) peak = { bpm, t };
    if (!low || bpm < low.bpm) low = { bpm, t };
    sum += bpm;
    count++;
  }
  return { peak, low, meanBpm: count ? sum / count : null, samples: count };
}

function toSamples({ t, bpm, length }: SampleColumns): BpmSample[] {
  const out: BpmSample[] = new Array(length);
  for (let i = 0; i < length; i++) out[i] = { t: t[i]!, bpm: bpm[i]! };
  return out;
}
