/**
 * The pacing settings as one synced document (kind `settings`, id `pacing`): what the zones,
 * the alert and the daily budget are computed from. Every device of the account reads the same
 * document; the last edit wins, in server order. The parser validates at the edge: a form gets
 * a message per field, and a stored body written by another (maybe newer, maybe buggy) device
 * never breaks the monitor, because a bad field falls back to its default.
 *
 * Fields added later (the zone method and what it needs, quiet hours, the gentle repeat) are
 * optional in a stored body: a document written before them parses, strictly too, with their
 * defaults. A device that predates them reads a hand-set threshold as before and otherwise
 * resting + 15 (it cannot know the other methods).
 */
import type { QuietHours } from './alert-policy';
import { minuteOfDay } from './alert-policy';
import { LEARN_MIN_DAYS, LEARN_WINDOW_DAYS } from './learned-zones';
import { ZONE_METHODS, type ZoneMethod } from './zone-methods';

export {
  DEFAULT_PACING_SETTINGS,
  DEFAULT_RESTING_HR,
  type LearnedZones,
  PACING_SETTINGS_DOC_ID,
  type PacingSettings,
} from './settings-document';

import { DEFAULT_PACING_SETTINGS, DEFAULT_RESTING_HR, type LearnedZones, type PacingSettings } from './settings-document';

/** Inclusive ranges, in the fields' own units (bpm, s, points). Whole numbers only. */
export const PACING_LIMITS = {
  restingHr: { min: 30, max: 120, unit: 'bpm' },
  threshold: { min: 60, max: 200, unit: 'bpm' },
  dwellSeconds: { min: 5, max: 120, unit: 'seconds' },
  dailyPoints: { min: 10, max: 1000, unit: 'points' },
  repeatMinutes: { min: 5, max: 120, unit: 'minutes' },
} as const;

/** Years of birth accepted in the year of `now`: someone from 15 to 110 years old. */
export function birthYearLimits(now: number): { min: number; max: number } {
  const year = new Date(now).getFullYear();
  return { min: year - 110, max: year - 15 };
}

/** Quiet hours offered when they are first turned on. */
export const DEFAULT_QUIET_HOURS: Readonly<QuietHours> = { start: '22:00', end: '07:00' };

type NumberField = keyof typeof PACING_LIMITS;

/** One thing wrong with the input, named by field, in words a person can act on. */
export interface SettingsFieldError {
  field: keyof PacingSettings;
  message: string;
}

/** The parser's answer: settings, or every problem found (not just the first). */
export type ParsedPacingSettings = { ok: true; value: PacingSettings } | { ok: false; errors: SettingsFieldError[] };

const LABELS: Record<NumberField, string> = {
  restingHr: 'Resting heart rate',
  threshold: 'Threshold',
  dwellSeconds: 'Time above threshold before an alert',
  dailyPoints: 'Daily pace-point limit',
  repeatMinutes: 'Minutes between gentle repeats',
};

/** Checks one numeric field; the message names the range. */
function checkNumber(field: NumberField, value: unknown): SettingsFieldError | null {
  const { min, max, unit } = PACING_LIMITS[field];
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return null;
  return { field, message: `${LABELS[field]} must be a whole number from ${min} to ${max} ${unit}.` };
}

/** The later fields: each checked alone, absent means the default (older documents lack them). */
type LaterField = 'zoneMethod' | 'birthYear' | 'rateLoweringMedication' | 'learned' | 'quietHours' | 'repeatMinutes';
type Check<K extends LaterField> = (value: unknown, now: number) => { ok: true; value: PacingSettings[K] } | { ok: false; message: string };

const LATER_FIELDS: { [K in LaterField]: Check<K> } = {
  zoneMethod: (value) =>
    ZONE_METHODS.includes(value as ZoneMethod)
      ? { ok: true, value: value as ZoneMethod }
      : { ok: false, message: `Zone method must be one of ${ZONE_METHODS.join(', ')}.` },
  birthYear: (value, now) => {
    const { min, max } = birthYearLimits(now);
    if (value === null || (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max)) {
      return { ok: true, value: value as number | null };
    }
    return { ok: false, message: `Year of birth must be a year from ${min} to ${max}.` };
  },
  rateLoweringMedication: (value) =>
    typeof value === 'boolean' ? { ok: true, value } : { ok: false, message: 'rateLoweringMedication must be true or false.' },
  learned: (value) =>
    value === null || isLearnedZones(value)
      ? { ok: true, value: value as LearnedZones | null }
      : { ok: false, message: 'Learned zones are incomplete or out of range: recalculate them.' },
  quietHours: (value) =>
    value === null || isQuietHours(value)
      ? { ok: true, value: value as QuietHours | null }
      : { ok: false, message: 'Quiet hours need a start and an end time (HH:MM), not the same.' },
  repeatMinutes: (value) =>
    value === null || checkNumber('repeatMinutes', value) === null
      ? { ok: true, value: value as number | null }
      : { ok: false, message: checkNumber('repeatMinutes', value)!.message },
};

const isWhole = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
const isDay = (value: unknown) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);

function isLearnedZones(value: unknown): value is LearnedZones {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return (
    isWhole(v.restingHr, PACING_LIMITS.restingHr.min, PACING_LIMITS.restingHr.max) &&
    isWhole(v.dailyHigh, 30, 230) &&
    isWhole(v.threshold, (v.restingHr as number) + 1, PACING_LIMITS.threshold.max) &&
    isWhole(v.days, LEARN_MIN_DAYS, LEARN_WINDOW_DAYS) &&
    isDay(v.from) &&
    isDay(v.to) &&
    typeof v.medication === 'boolean'
  );
}

function isQuietHours(value: unknown): value is QuietHours {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { start, end } = value as Record<string, unknown>;
  if (typeof start !== 'string' || typeof end !== 'string') return false;
  const from = minuteOfDay(start);
  const to = minuteOfDay(end);
  return from !== null && to !== null && from !== to;
}

/** What a zone method needs that is missing, as an error; null when it has it. */
function methodNeeds(settings: PacingSettings): SettingsFieldError | null {
  if (settings.zoneMethod === 'percent-of-max' && settings.birthYear === null) {
    return { field: 'birthYear', message: 'Enter your year of birth for the percentage of maximum.' };
  }
  if (settings.zoneMethod === 'learned' && settings.learned === null) {
    return { field: 'learned', message: 'No learned zones yet: apply a proposal first, or choose another method.' };
  }
  return null;
}

/**
 * Validates a settings object strictly: every original field present with the right type and
 * range (restingHr and threshold may be null), each later field valid when present. A hand-set
 * threshold must be above a hand-typed resting HR, or every minute of the day would count as
 * exertion; a zone method must have what it needs. `now` dates the year-of-birth range.
 */
export function parsePacingSettings(input: unknown, now = Date.now()): ParsedPacingSettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: 'threshold', message: 'Pacing settings must be an object.' }] };
  }
  const body = input as Record<string, unknown>;
  const errors: SettingsFieldError[] = [];
  for (const field of ['restingHr', 'threshold'] as const) {
    const error = body[field] === null ? null : checkNumber(field, body[field]);
    if (error) errors.push(error);
  }
  for (const field of ['dwellSeconds', 'dailyPoints'] as const) {
    const error = checkNumber(field, body[field]);
    if (error) errors.push(error);
  }
  for (const field of ['alerts', 'vibrate'] as const) {
    if (typeof body[field] !== 'boolean') errors.push({ field, message: `${field} must be true or false.` });
  }
  const later: Partial<PacingSettings> = {};
  for (const field of Object.keys(LATER_FIELDS) as LaterField[]) {
    if (body[field] === undefined) continue;
    const checked = (LATER_FIELDS[field] as Check<LaterField>)(body[field], now);
    if (checked.ok) (later as Record<string, unknown>)[field] = checked.value;
    else errors.push({ field, message: checked.message });
  }
  if (errors.length > 0) return { ok: false, errors };
  const value: PacingSettings = {
    ...DEFAULT_PACING_SETTINGS,
    restingHr: body.restingHr as number | null,
    threshold: body.threshold as number | null,
    dwellSeconds: body.dwellSeconds as number,
    dailyPoints: body.dailyPoints as number,
    alerts: body.alerts as boolean,
    vibrate: body.vibrate as boolean,
    ...later,
  };
  if (value.threshold !== null && value.restingHr !== null && value.threshold <= value.restingHr) {
    return {
      ok: false,
      errors: [{ field: 'threshold', message: `Threshold must be above your resting heart rate (${value.restingHr} bpm).` }],
    };
  }
  const missing = methodNeeds(value);
  return missing ? { ok: false, errors: [missing] } : { ok: true, value };
}

/**
 * Reads a stored document body leniently: each valid field is kept, each missing or invalid
 * one takes its default. A body from another device must never stop the alerts working here.
 */
export function pacingSettingsFromDoc(body: unknown, now = Date.now()): PacingSettings {
  const strict = parsePacingSettings(body, now);
  if (strict.ok) return strict.value;
  const source = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const settings: PacingSettings = { ...DEFAULT_PACING_SETTINGS };
  for (const field of ['restingHr', 'threshold'] as const) {
    const value = source[field];
    if (value !== null && checkNumber(field, value) === null) settings[field] = value as number;
  }
  for (const field of ['dwellSeconds', 'dailyPoints'] as const) {
    if (checkNumber(field, source[field]) === null) settings[field] = source[field] as number;
  }
  for (const field of ['alerts', 'vibrate'] as const) {
    if (typeof source[field] === 'boolean') settings[field] = source[field] as boolean;
  }
  for (const field of Object.keys(LATER_FIELDS) as LaterField[]) {
    if (source[field] === undefined) continue;
    const checked = (LATER_FIELDS[field] as Check<LaterField>)(source[field], now);
    if (checked.ok) (settings as unknown as Record<string, unknown>)[field] = checked.value;
  }
  // The cross-field rules: a threshold at or below resting is dropped (back to automatic), and a
  // method without what it needs gives way to the default one.
  if (settings.threshold !== null && settings.restingHr !== null && settings.threshold <= settings.restingHr) settings.threshold = null;
  if (methodNeeds(settings)) settings.zoneMethod = DEFAULT_PACING_SETTINGS.zoneMethod;
  return settings;
}

/** Turns form text into a number for the parser: empty is null, anything else is Number(text) (NaN fails validation). */
export function numberFromInput(text: string): number | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : Number(trimmed);
}

/** Where the resting HR in use came from, for the screen to say so. */
export type RestingHrSource = 'typed' | 'measurement' | 'default';

/** The resting HR to use: typed by hand, else the latest morning measurement, else DEFAULT_RESTING_HR. */
export function effectiveRestingHr(settings: PacingSettings, measured: number | null): { bpm: number; source: RestingHrSource } {
  if (settings.restingHr !== null) return { bpm: settings.restingHr, source: 'typed' };
  if (measured !== null && Number.isFinite(measured) && measured > 0) return { bpm: Math.round(measured), source: 'measurement' };
  return { bpm: DEFAULT_RESTING_HR, source: 'default' };
}
