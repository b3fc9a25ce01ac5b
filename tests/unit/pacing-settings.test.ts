import { describe, expect, it } from 'vitest';
import { DEFAULT_DAILY_POINTS } from '../../src/shared/pacing/budget';
import {
  DEFAULT_PACING_SETTINGS,
  DEFAULT_RESTING_HR,
  effectiveRestingHr,
  numberFromInput,
  PACING_LIMITS,
  type PacingSettings,
  pacingSettingsFromDoc,
  parsePacingSettings,
} from '../../src/shared/pacing/settings';
import { paceThreshold } from '../../src/shared/pacing/zones';

/** A body as written before the zone methods, quiet hours and the repeat existed: it still parses, with their defaults. */
const old = { restingHr: 58, threshold: 100, dwellSeconds: 5, dailyPoints: 150, alerts: true, vibrate: false };
const valid: PacingSettings = { ...DEFAULT_PACING_SETTINGS, ...old };
const fieldsOf = (input: unknown) => {
  const parsed = parsePacingSettings(input);
  return parsed.ok ? [] : parsed.errors.map((e) => e.field);
};

describe('a new user, before touching any setting', () => {
  const fresh = pacingSettingsFromDoc(undefined);

  it('has settings every device accepts as they are', () => {
    expect(parsePacingSettings(fresh)).toEqual({ ok: true, value: fresh });
  });

  it('gets a threshold that follows their own measured resting heart rate, 15 bpm above it', () => {
    expect(paceThreshold(effectiveRestingHr(fresh, 58).bpm, fresh.threshold)).toBe(73);
    expect(paceThreshold(effectiveRestingHr(fresh, 66).bpm, fresh.threshold)).toBe(81);
  });

  it('is alerted (with vibration) after a short dwell, against the standard daily budget', () => {
    expect(fresh).toMatchObject({ alerts: true, vibrate: true, dailyPoints: DEFAULT_DAILY_POINTS });
    expect(fresh.dwellSeconds).toBeGreaterThanOrEqual(PACING_LIMITS.dwellSeconds.min);
    expect(fresh.dwellSeconds).toBeLessThanOrEqual(30);
  });
});

describe('parsePacingSettings', () => {
  it('accepts valid settings and returns exactly the known fields', () => {
    expect(parsePacingSettings({ ...valid, extra: 'ignored' })).toEqual({ ok: true, value: valid });
  });

  it.each([
    ['threshold', 59, false],
    ['threshold', 60, true],
    ['threshold', 200, true],
    ['threshold', 201, false],
    ['threshold', 99.5, false],
    ['threshold', Number.NaN, false],
    ['threshold', '100', false],
    ['dwellSeconds', 4, false],
    ['dwellSeconds', 5, true],
    ['dwellSeconds', 120, true],
    ['dwellSeconds', 121, false],
    ['dailyPoints', 9, false],
    ['dailyPoints', 1000, true],
    ['restingHr', 29, false],
    ['restingHr', 30, true],
    ['restingHr', 121, false],
  ] as const)('%s = %s is %s', (field, value, ok) => {
    // A resting HR of 30 with a threshold of 100 is fine; keep the pair consistent for the others.
    expect(parsePacingSettings({ ...valid, [field]: value }).ok).toBe(ok);
  });

  it('names the range in the message', () => {
    const parsed = parsePacingSettings({ ...valid, threshold: 250 });
    expect(parsed).toEqual({
      ok: false,
      errors: [{ field: 'threshold', message: 'Threshold must be a whole number from 60 to 200 bpm.' }],
    });
  });

  it('reports every bad field at once', () => {
    expect(fieldsOf({ restingHr: 'x', threshold: 10, dwellSeconds: 0, dailyPoints: -1, alerts: 'yes', vibrate: 1 })).toEqual([
      'restingHr',
      'threshold',
      'dwellSeconds',
      'dailyPoints',
      'alerts',
      'vibrate',
    ]);
    // Strict: a missing field is an error too (null, not absence, means automatic).
    expect(fieldsOf({})).toEqual(['restingHr', 'threshold', 'dwellSeconds', 'dailyPoints', 'alerts', 'vibrate']);
  });

  it('refuses what is not an object', () => {
    for (const input of [null, undefined, 3, 'settings', [valid]]) expect(parsePacingSettings(input).ok).toBe(false);
  });

  it('refuses a hand-set threshold at or below a typed resting HR', () => {
    const parsed = parsePacingSettings({ ...valid, restingHr: 100, threshold: 100 });
    expect(parsed).toEqual({
      ok: false,
      errors: [{ field: 'threshold', message: 'Threshold must be above your resting heart rate (100 bpm).' }],
    });
    expect(parsePacingSettings({ ...valid, restingHr: 99, threshold: 100 }).ok).toBe(true);
  });

  it('allows null (automatic) for resting HR and threshold only', () => {
    expect(parsePacingSettings({ ...valid, restingHr: null, threshold: null }).ok).toBe(true);
    expect(fieldsOf({ ...valid, dwellSeconds: null })).toEqual(['dwellSeconds']);
  });
});

describe('pacingSettingsFromDoc (a stored body from any device)', () => {
  it('keeps a valid body as it is', () => {
    expect(pacingSettingsFromDoc(valid)).toEqual(valid);
  });

  it('keeps the valid fields and defaults the rest', () => {
    expect(pacingSettingsFromDoc({ threshold: 110, dwellSeconds: 'soon', alerts: false })).toEqual({
      ...DEFAULT_PACING_SETTINGS,
      threshold: 110,
      alerts: false,
    });
  });

  it('drops a threshold that is not above the typed resting HR (back to automatic)', () => {
    expect(pacingSettingsFromDoc({ ...valid, restingHr: 110, threshold: 100, dwellSeconds: 0 })).toEqual({
      ...valid,
      restingHr: 110,
      threshold: null,
      dwellSeconds: DEFAULT_PACING_SETTINGS.dwellSeconds,
    });
  });

  it('gives the defaults for garbage', () => {
    for (const body of [null, 'x', [], 42]) expect(pacingSettingsFromDoc(body)).toEqual(DEFAULT_PACING_SETTINGS);
  });
});

describe('resting HR in use', () => {
  const automatic = { ...DEFAULT_PACING_SETTINGS };

  it('is the typed value first, then the measurement, then the default', () => {
    expect(effectiveRestingHr({ ...automatic, restingHr: 52 }, 64)).toEqual({ bpm: 52, source: 'typed' });
    expect(effectiveRestingHr(automatic, 63.6)).toEqual({ bpm: 64, source: 'measurement' });
    expect(effectiveRestingHr(automatic, null)).toEqual({ bpm: DEFAULT_RESTING_HR, source: 'default' });
    expect(effectiveRestingHr(automatic, Number.NaN)).toEqual({ bpm: 60, source: 'default' });
  });

  it('gives the automatic threshold resting + 15 (75 by default)', () => {
    expect(paceThreshold(effectiveRestingHr(automatic, null).bpm, automatic.threshold)).toBe(75);
    expect(paceThreshold(effectiveRestingHr(automatic, 58).bpm, 100)).toBe(100);
  });
});

describe('numberFromInput', () => {
  it('turns empty text into null and anything else into a number (NaN when not one)', () => {
    expect(numberFromInput('  ')).toBeNull();
    expect(numberFromInput(' 100 ')).toBe(100);
    expect(numberFromInput('1e2')).toBe(100);
    expect(numberFromInput('abc')).toBeNaN();
  });
});

describe('the zone method, quiet hours and repeat fields', () => {
  /** 1 June 2026: years of birth 1916–2011 (aged 15 to 110). */
  const NOW = new Date(2026, 5, 1, 12).getTime();
  const learned = { restingHr: 55, dailyHigh: 98, threshold: 77, days: 5, from: '2026-05-27', to: '2026-05-31', medication: false };
  const parse = (change: Record<string, unknown>) => parsePacingSettings({ ...old, threshold: null, ...change }, NOW);
  const errorsOf = (change: Record<string, unknown>) => {
    const parsed = parse(change);
    return parsed.ok ? [] : parsed.errors;
  };

  it('parses a document written before them, strictly, with their defaults', () => {
    expect(parsePacingSettings(old, NOW)).toEqual({
      ok: true,
      value: {
        ...old,
        zoneMethod: 'resting-plus',
        birthYear: null,
        rateLoweringMedication: false,
        learned: null,
        quietHours: null,
        repeatMinutes: null,
      },
    });
  });

  it('keeps every valid value', () => {
    const change = {
      zoneMethod: 'learned',
      birthYear: 1986,
      rateLoweringMedication: true,
      learned,
      quietHours: { start: '22:00', end: '07:00' },
      repeatMinutes: 15,
    };
    expect(parse(change)).toEqual({ ok: true, value: { ...old, threshold: null, ...change } });
  });

  it.each([
    ['zoneMethod', 'percent', 'Zone method must be one of resting-plus, percent-of-max, learned.'],
    ['birthYear', 1915, 'Year of birth must be a year from 1916 to 2011.'],
    ['birthYear', 2012, 'Year of birth must be a year from 1916 to 2011.'],
    ['birthYear', 1986.5, 'Year of birth must be a year from 1916 to 2011.'],
    ['rateLoweringMedication', 'yes', 'rateLoweringMedication must be true or false.'],
    ['learned', { ...learned, threshold: 55 }, 'Learned zones are incomplete or out of range: recalculate them.'],
    ['learned', { ...learned, days: 3 }, 'Learned zones are incomplete or out of range: recalculate them.'],
    ['quietHours', { start: '22:00', end: '22:00' }, 'Quiet hours need a start and an end time (HH:MM), not the same.'],
    ['quietHours', { start: '25:00', end: '07:00' }, 'Quiet hours need a start and an end time (HH:MM), not the same.'],
    ['repeatMinutes', 4, 'Minutes between gentle repeats must be a whole number from 5 to 120 minutes.'],
    ['repeatMinutes', 121, 'Minutes between gentle repeats must be a whole number from 5 to 120 minutes.'],
  ])('names %s when it is %j', (field, value, message) => {
    expect(errorsOf({ [field]: value })).toEqual([{ field, message }]);
  });

  it('accepts the bounds', () => {
    for (const change of [{ birthYear: 1916 }, { birthYear: 2011 }, { repeatMinutes: 5 }, { repeatMinutes: 120 }, { quietHours: null }]) {
      expect(parse(change).ok).toBe(true);
    }
  });

  it('needs a year of birth for the percentage of maximum, and applied zones for the learned method', () => {
    expect(errorsOf({ zoneMethod: 'percent-of-max' })).toEqual([
      { field: 'birthYear', message: 'Enter your year of birth for the percentage of maximum.' },
    ]);
    expect(errorsOf({ zoneMethod: 'learned' })).toEqual([
      { field: 'learned', message: 'No learned zones yet: apply a proposal first, or choose another method.' },
    ]);
    expect(parse({ zoneMethod: 'percent-of-max', birthYear: 1986 }).ok).toBe(true);
  });

  it('reads a stored body leniently: a bad field takes its default, a method without what it needs gives way to resting + 15', () => {
    const stored = pacingSettingsFromDoc({ ...old, zoneMethod: 'learned', quietHours: 'night', repeatMinutes: 10, birthYear: 1800 }, NOW);
    expect(stored).toMatchObject({ zoneMethod: 'resting-plus', quietHours: null, repeatMinutes: 10, birthYear: null, threshold: 100 });
  });
});
