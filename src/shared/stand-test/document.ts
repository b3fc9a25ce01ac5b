/**
 * The synced `stand-test` document: one per test (id: the test's own random id), written once
 * when a test ends with a result. It holds the figures and what was typed, not the heart-rate
 * samples (those are in the armband's chunks already). Parsed on every read, synced ones too.
 */
import { fail, type Parsed, show } from '../doc-parsing';
import type { StandTestResult } from './analysis';
import {
  type AgeBand,
  type BpReading,
  LYING_MINUTES_CHOICES,
  STAND_MINUTES,
  type StandPosition,
  type StandSource,
  type StandTestRecord,
  type StopReason,
  SUSTAINED_S,
  SYMPTOMS,
  type Symptom,
  type SymptomEntry,
} from './protocol';

/** A finished stand test as stored and synced. */
export interface StandTestDoc {
  id: string;
  startedAt: number;
  standAt: number;
  endedAt: number;
  lyingMinutes: number;
  position: StandPosition;
  ageBand: AgeBand;
  source: StandSource;
  stop: { at: number; reason: StopReason } | null;
  /** Seconds stood. */
  stoodS: number;
  baselineHr: number;
  baselineRmssd: number | null;
  minuteHr: (number | null)[];
  peakHr: number;
  /** Seconds from standing up to the end of the peak window. */
  peakAtS: number;
  /** Seconds the peak is averaged over (SUSTAINED_S when it was saved). */
  sustainedS: number;
  riseBpm: number;
  thresholdBpm: number;
  meetsHrCriterion: boolean;
  bp: BpReading[];
  symptoms: SymptomEntry[];
  hypotension: { fallSystolic: number; fallDiastolic: number; meets: boolean } | null;
}

/** The document for a test that ended with a result. */
export function toStandTestDoc(record: StandTestRecord, result: StandTestResult): StandTestDoc {
  if (record.standAt === null || record.endedAt === null) throw new RangeError('a stand test document needs a test that stood and ended');
  return {
    id: record.id,
    startedAt: record.startedAt,
    standAt: record.standAt,
    endedAt: record.endedAt,
    lyingMinutes: record.lyingMinutes,
    position: record.position,
    ageBand: record.ageBand,
    source: { ...record.source },
    stop: record.stop ? { ...record.stop } : null,
    stoodS: result.stoodS,
    baselineHr: result.baseline.hr,
    baselineRmssd: result.baseline.rmssd,
    minuteHr: [...result.minuteHr],
    peakHr: result.peak.hr,
    peakAtS: result.peak.atS,
    sustainedS: SUSTAINED_S,
    riseBpm: result.riseBpm,
    thresholdBpm: result.thresholdBpm,
    meetsHrCriterion: result.meetsHrCriterion,
    bp: record.bp.map((r) => ({ ...r })),
    symptoms: record.symptoms.map((e) => ({ minute: e.minute, symptoms: [...e.symptoms] })),
    hypotension: result.hypotension ? { ...result.hypotension } : null,
  };
}

const isNumberIn = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
const EPOCH_MAX = 8.64e15;

/** Validates a stored or synced body under its id; a reason names the first bad field. */
export function parseStandTestDoc(id: string, body: unknown): Parsed<StandTestDoc> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail('a stand test must be an object');
  const b = body as Record<string, unknown>;
  if (b.id !== id) return fail(`stored as ${id} but its id is ${show(b.id)}`);
  const numbers: [keyof StandTestDoc, number, number][] = [
    ['startedAt', 0, EPOCH_MAX],
    ['standAt', 0, EPOCH_MAX],
    ['endedAt', 0, EPOCH_MAX],
    ['stoodS', 0, STAND_MINUTES * 60],
    ['baselineHr', 20, 250],
    ['peakHr', 20, 250],
    ['peakAtS', 0, STAND_MINUTES * 60],
    ['sustainedS', 1, 600],
    ['riseBpm', -230, 230],
    ['thresholdBpm', 1, 100],
  ];
  for (const [key, min, max] of numbers)
    if (!isNumberIn(b[key], min, max)) return fail(`${key} must be a number from ${min} to ${max}, got ${show(b[key])}`);
  if (!LYING_MINUTES_CHOICES.includes(b.lyingMinutes as never)) return fail(`lyingMinutes must be 5–10, got ${show(b.lyingMinutes)}`);
  if (b.position !== 'lean' && b.position !== 'free') return fail(`position must be lean or free, got ${show(b.position)}`);
  if (b.ageBand !== 'adult' && b.ageBand !== 'teen') return fail(`ageBand must be adult or teen, got ${show(b.ageBand)}`);
  if (typeof b.meetsHrCriterion !== 'boolean') return fail(`meetsHrCriterion must be true or false, got ${show(b.meetsHrCriterion)}`);
  if (b.baselineRmssd !== null && !isNumberIn(b.baselineRmssd, 0, 1000))
    return fail(`baselineRmssd must be null or 0–1000, got ${show(b.baselineRmssd)}`);
  const source = b.source as Record<string, unknown> | null;
  if (
    typeof source !== 'object' ||
    source === null ||
    typeof source.id !== 'string' ||
    typeof source.name !== 'string' ||
    source.name.length > 128
  )
    return fail(`source must name the armband, got ${show(b.source)}`);
  if (source.intervalKind !== 'rr' && source.intervalKind !== 'ppi')
    return fail(`source.intervalKind must be rr or ppi, got ${show(source.intervalKind)}`);
  if (typeof source.demo !== 'boolean') return fail(`source.demo must be true or false, got ${show(source.demo)}`);
  const stop = b.stop as Record<string, unknown> | null;
  if (
    stop !== null &&
    (typeof stop !== 'object' || !isNumberIn(stop.at, 0, EPOCH_MAX) || (stop.reason !== 'sit-down' && stop.reason !== 'page-closed'))
  )
    return fail(`stop must be null or {at, reason: sit-down | page-closed}, got ${show(b.stop)}`);
  if (!Array.isArray(b.minuteHr) || b.minuteHr.length !== STAND_MINUTES || !b.minuteHr.every((v) => v === null || isNumberIn(v, 20, 250)))
    return fail(`minuteHr must be ${STAND_MINUTES} heart rates (or null), got ${show(b.minuteHr)}`);
  if (!Array.isArray(b.bp) || b.bp.length > 12) return fail(`bp must be a list of up to 12 readings, got ${show(b.bp)}`);
  for (const [i, r] of (b.bp as Record<string, unknown>[]).entries()) {
    const bad = parseBpReading(r);
    if (bad) return fail(`bp[${i}]: ${bad}`);
  }
  if (!Array.isArray(b.symptoms) || b.symptoms.length > 12)
    return fail(`symptoms must be a list of up to 12 entries, got ${show(b.symptoms)}`);
  for (const [i, e] of (b.symptoms as Record<string, unknown>[]).entries()) {
    if (
      typeof e !== 'object' ||
      e === null ||
      !isNumberIn(e.minute, 0, STAND_MINUTES) ||
      !Array.isArray(e.symptoms) ||
      !e.symptoms.every((s) => SYMPTOMS.includes(s as Symptom))
    )
      return fail(`symptoms[${i}] must be {minute, symptoms: [${SYMPTOMS.join(', ')}]}, got ${show(e)}`);
  }
  const h = b.hypotension as Record<string, unknown> | null;
  if (
    h !== null &&
    (typeof h !== 'object' ||
      !isNumberIn(h.fallSystolic, -300, 300) ||
      !isNumberIn(h.fallDiastolic, -300, 300) ||
      typeof h.meets !== 'boolean')
  )
    return fail(`hypotension must be null or {fallSystolic, fallDiastolic, meets}, got ${show(b.hypotension)}`);
  return { ok: true, value: b as unknown as StandTestDoc };
}

/** Why a typed reading is not a blood pressure, or null when it is one. */
export function parseBpReading(r: unknown): string | null {
  if (typeof r !== 'object' || r === null) return 'must be {minute, systolic, diastolic}';
  const { minute, systolic, diastolic } = r as Record<string, unknown>;
  if (!isNumberIn(minute, 0, STAND_MINUTES) || !Number.isInteger(minute))
    return `minute must be a whole minute 0–${STAND_MINUTES}, got ${show(minute)}`;
  if (!isNumberIn(systolic, 50, 260) || !Number.isInteger(systolic))
    return `systolic must be a whole number from 50 to 260 mmHg, got ${show(systolic)}`;
  if (!isNumberIn(diastolic, 20, 160) || !Number.isInteger(diastolic))
    return `diastolic must be a whole number from 20 to 160 mmHg, got ${show(diastolic)}`;
  if (diastolic >= systolic) return `diastolic (${diastolic}) must be below systolic (${systolic})`;
  return null;
}
