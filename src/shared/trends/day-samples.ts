/**
 * A stretch of heart rate as two flat columns (epoch ms, bpm) built from stored chunks: what the
 * day chart and the daily load read. Typed arrays, because a day is ~86,400 samples and objects
 * for each would cost the worker far more memory and time than the numbers themselves.
 */

import { isHeartRate } from '../pacing/zones';
import type { SampleChunk } from '../samples';

/** Samples in time order; `length` of them are valid in `t` and `bpm`. */
export interface SampleColumns {
  t: Float64Array;
  bpm: Float32Array;
  length: number;
}

/**
 * Real heart-rate samples of `chunks` (any order, any sources) within [from, to), ascending by
 * time. Demo chunks are left out (never mixed into real trends); readings without a heart rate
 * and readings the armband flagged as without skin contact are dropped (as the pacing monitor
 * drops them); when two armbands recorded the same moment, the first
 * sample at a given millisecond is kept, so nothing is counted twice.
 */
export function columnsFromChunks(chunks: readonly SampleChunk[], from = -Infinity, to = Infinity): SampleColumns {
  const real = chunks.filter((c) => !c.demo).sort((a, b) => a.minuteStart - b.minuteStart);
  let capacity = 0;
  for (const c of real) capacity += c.offsets.length;
  const t = new Float64Array(capacity);
  const bpm = new Float32Array(capacity);
  let length = 0;
  let sorted = true;
  for (const c of real) {
    for (let i = 0; i < c.offsets.length; i++) {
      const at = c.minuteStart + c.offsets[i]!;
      const value = c.bpm[i]!;
      if (at < from || at >= to || !isHeartRate(value) || c.contact[i] === 0) continue;
      if (length > 0 && at <= t[length - 1]!) sorted = false;
      t[length] = at;
      bpm[length] = value;
      length++;
    }
  }
  return sorted ? { t, bpm, length } : sortUnique(t, bpm, length);
}

/** Several sources in the same minutes interleave: sort by time and keep the first sample per ms. */
function sortUnique(t: Float64Array, bpm: Float32Array, length: number): SampleColumns {
  const order = Array.from({ length }, (_, i) => i).sort((a, b) => t[a]! - t[b]! || a - b);
  const out = { t: new Float64Array(length), bpm: new Float32Array(length), length: 0 };
  for (const i of order) {
    if (out.length > 0 && out.t[out.length - 1] === t[i]) continue;
    out.t[out.length] = t[i]!;
    out.bpm[out.length] = bpm[i]!;
    out.length++;
  }
  return out;
}
