/**
 * A morning HRV measurement: the contract between the guided reading, sync, trends and the
 * stability score. One `measurement` doc per local date (id `2026-11-30`); a second reading the
 * same morning replaces the first. Runtime-neutral; the parser runs on every doc read back.
 */

import { fail, isIsoDate, type Parsed, show } from './doc-parsing';
import type { IntervalKind } from './samples';

/** The armband a reading came from. */
export interface MeasurementSource {
  /** The armband's id (Web Bluetooth `device.id`) or `demo`. */
  id: string;
  /** What the armband calls itself, e.g. "Polar H10 ABC123". */
  name: string;
  /** Chest-strap RR intervals or optical PPI (Polar Verity Sense). */
  intervalKind: IntervalKind;
  /** Synthetic data from the demo armband: shown labelled, never mixed into real trends. */
  demo: boolean;
}

/** One morning reading, as measureHrv produced it. */
export interface Measurement {
  /** Local calendar day, `YYYY-MM-DD`; also the doc id. */
  date: string;
  /** ms */
  rmssd: number;
  /** ln(RMSSD in ms) */
  lnRmssd: number;
  /** ms */
  sdnn: number;
  /** Mean heart rate over the analysed intervals, bpm. */
  restingHr: number;
  /** Intervals analysed (after the settle trim). */
  beats: number;
  /** Share of `beats` rejected or corrected, 0–1. */
  correctedShare: number;
  /** Seconds the analysed intervals span. */
  durationS: number;
  source: MeasurementSource;
  /** Epoch ms when the reading finished. */
  takenAt: number;
}

/** Validates a measurement body (from the reading, IndexedDB or sync); rejects garbage with a reason. */
export function parseMeasurement(body: unknown): Parsed<Measurement> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail('a measurement must be an object');
  const b = body as Record<string, unknown>;
  if (!isIsoDate(b.date)) return fail(`date must be a calendar date YYYY-MM-DD, got ${show(b.date)}`);
  const checks: [keyof Measurement, number, number][] = [
    // Plausible physiological bounds, wide enough for any real reading.
    ['rmssd', 0, 1000],
    ['sdnn', 0, 1000],
    ['restingHr', 20, 250],
    ['beats', 1, 100_000],
    ['correctedShare', 0, 1],
    ['durationS', 0, 86_400],
    ['takenAt', 0, 8.64e15],
  ];
  for (const [key, min, max] of checks) {
    const v = b[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
      return fail(`${key} must be a number from ${min} to ${max}, got ${show(v)}`);
  }
  if (!((b.rmssd as number) > 0)) return fail('rmssd must be above 0');
  if (!Number.isInteger(b.beats)) return fail(`beats must be a whole number, got ${show(b.beats)}`);
  if (typeof b.lnRmssd !== 'number' || Math.abs(b.lnRmssd - Math.log(b.rmssd as number)) > 1e-6)
    return fail(`lnRmssd must be ln(rmssd) = ${Math.log(b.rmssd as number).toFixed(4)}, got ${show(b.lnRmssd)}`);
  const source = parseSource(b.source);
  if (!source.ok) return source;
  return {
    ok: true,
    value: {
      date: b.date,
      rmssd: b.rmssd as number,
      lnRmssd: b.lnRmssd,
      sdnn: b.sdnn as number,
      restingHr: b.restingHr as number,
      beats: b.beats as number,
      correctedShare: b.correctedShare as number,
      durationS: b.durationS as number,
      source: source.value,
      takenAt: b.takenAt as number,
    },
  };
}

/** Parses a stored doc and checks that its body belongs under its id (the date). */
export function parseMeasurementDoc(id: string, body: unknown): Parsed<Measurement> {
  const parsed = parseMeasurement(body);
  if (parsed.ok && parsed.value.date !== id) return fail(`stored as ${id} but dated ${parsed.value.date}`);
  return parsed;
}

function parseSource(value: unknown): Parsed<MeasurementSource> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(`source must be an object, got ${show(value)}`);
  const s = value as Record<string, unknown>;
  if (typeof s.id !== 'string' || s.id === '' || s.id.length > 128) return fail(`source.id must be 1–128 characters, got ${show(s.id)}`);
  if (typeof s.name !== 'string' || s.name.length > 128)
    return fail(`source.name must be text of up to 128 characters, got ${show(s.name)}`);
  if (s.intervalKind !== 'rr' && s.intervalKind !== 'ppi')
    return fail(`source.intervalKind must be rr or ppi, got ${show(s.intervalKind)}`);
  if (typeof s.demo !== 'boolean') return fail(`source.demo must be true or false, got ${show(s.demo)}`);
  return { ok: true, value: { id: s.id, name: s.name, intervalKind: s.intervalKind, demo: s.demo } };
}
