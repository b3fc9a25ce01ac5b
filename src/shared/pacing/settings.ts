/**
 * The pacing settings as one synced document (kind `settings`, id `pacing`): what the zones,
 * the alert and the daily budget are computed from. Every device of the account reads the same
 * document; the last edit wins, in server order. The parser validates at the edge: a form gets
 * a message per field, and a stored body written by another (maybe newer, maybe buggy) device
 * never breaks the monitor, because a bad field falls back to its default.
 */
import { DEFAULT_DAILY_POINTS } from './budget';

/** What the person set; `null` means "work it out" where the field allows it. */
export interface PacingSettings {
  /** Resting HR typed by hand; null: from the latest morning measurement (DEFAULT_RESTING_HR until one exists). */
  restingHr: number | null;
  /** Threshold set by hand; null: automatic, resting HR + 15 bpm. */
  threshold: number | null;
  /** How long HR must stay at or above the threshold before the alert. */
  dwellSeconds: number;
  /** Pace points available per day. */
  dailyPoints: number;
  /** Alert when the threshold is crossed for the dwell time. */
  alerts: boolean;
  /** Vibrate with the alert, where the device can. */
  vibrate: boolean;
}

/** The id of the one pacing settings document per account. */
export const PACING_SETTINGS_DOC_ID = 'pacing';

/** Resting HR assumed until a morning measurement exists or one is typed: a typical adult's. */
export const DEFAULT_RESTING_HR = 60;

/** Inclusive ranges, in the fields' own units (bpm, s, points). Whole numbers only. */
export const PACING_LIMITS = {
  restingHr: { min: 30, max: 120, unit: 'bpm' },
  threshold: { min: 60, max: 200, unit: 'bpm' },
  dwellSeconds: { min: 5, max: 120, unit: 'seconds' },
  dailyPoints: { min: 10, max: 1000, unit: 'points' },
} as const;

type NumberField = keyof typeof PACING_LIMITS;

export const DEFAULT_PACING_SETTINGS: Readonly<PacingSettings> = {
  restingHr: null,
  threshold: null,
  dwellSeconds: 15,
  dailyPoints: DEFAULT_DAILY_POINTS,
  alerts: true,
  vibrate: true,
};

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
};

/** Checks one numeric field; the message names the range. */
function checkNumber(field: NumberField, value: unknown): SettingsFieldError | null {
  const { min, max, unit } = PACING_LIMITS[field];
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return null;
  return { field, message: `${LABELS[field]} must be a whole number from ${min} to ${max} ${unit}.` };
}

/**
 * Validates a settings object strictly: every field present with the right type and range
 * (restingHr and threshold may be null). A hand-set threshold must be above a hand-typed resting
 * HR, or every minute of the day would count as exertion.
 */
export function parsePacingSettings(input: unknown): ParsedPacingSettings {
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
  if (errors.length > 0) return { ok: false, errors };
  const value: PacingSettings = {
    restingHr: body.restingHr as number | null,
    threshold: body.threshold as number | null,
    dwellSeconds: body.dwellSeconds as number,
    dailyPoints: body.dailyPoints as number,
    alerts: body.alerts as boolean,
    vibrate: body.vibrate as boolean,
  };
  if (value.threshold !== null && value.restingHr !== null && value.threshold <= value.restingHr) {
    return {
      ok: false,
      errors: [{ field: 'threshold', message: `Threshold must be above your resting heart rate (${value.restingHr} bpm).` }],
    };
  }
  return { ok: true, value };
}

/**
 * Reads a stored document body leniently: each valid field is kept, each missing or invalid
 * one takes its default. A body from another device must never stop the alerts working here.
 */
export function pacingSettingsFromDoc(body: unknown): PacingSettings {
  const strict = parsePacingSettings(body);
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
  // The one cross-field rule: a threshold at or below resting is dropped (back to automatic).
  if (settings.threshold !== null && settings.restingHr !== null && settings.threshold <= settings.restingHr) settings.threshold = null;
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
