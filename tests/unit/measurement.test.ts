import { describe, expect, it } from 'vitest';
import { settleFor } from '../../src/measurement/capture';
import { blankCheckIn, type CheckIn } from '../../src/shared/checkin';
import { type Measurement, parseMeasurement, parseMeasurementDoc } from '../../src/shared/measurement';
import { stabilityInputFor } from '../../src/shared/stability-input';

const valid: Measurement = {
  date: '2026-11-30',
  rmssd: 42.5,
  lnRmssd: Math.log(42.5),
  sdnn: 51.2,
  restingHr: 58.3,
  beats: 117,
  correctedShare: 0.0171,
  durationS: 120.4,
  source: { id: 'abc', name: 'Polar H10 1A2B3C', intervalKind: 'rr', demo: false },
  takenAt: 1_796_000_000_000,
};

describe('parseMeasurement', () => {
  it('accepts a reading and returns it unchanged', () => {
    expect(parseMeasurement(valid)).toEqual({ ok: true, value: valid });
    expect(parseMeasurement(JSON.parse(JSON.stringify(valid)))).toEqual({ ok: true, value: valid });
  });

  it('keeps only known fields, in the source too', () => {
    const parsed = parseMeasurement({ ...valid, extra: 1, source: { ...valid.source, secret: 'x' } });
    expect(parsed).toEqual({ ok: true, value: valid });
  });

  it.each([
    [null, 'a measurement must be an object'],
    [{ ...valid, date: '2026-11-31' }, 'date must be a calendar date'],
    [{ ...valid, rmssd: 0, lnRmssd: Number.NEGATIVE_INFINITY }, 'rmssd must be above 0'],
    [{ ...valid, rmssd: -3 }, 'rmssd must be a number from 0 to 1000, got -3'],
    [{ ...valid, rmssd: '42' }, 'rmssd must be a number from 0 to 1000, got "42"'],
    [{ ...valid, lnRmssd: 3 }, 'lnRmssd must be ln(rmssd) = 3.7495, got 3'],
    [{ ...valid, sdnn: Number.NaN }, 'sdnn must be a number'],
    [{ ...valid, restingHr: 5 }, 'restingHr must be a number from 20 to 250, got 5'],
    [{ ...valid, beats: 10.5 }, 'beats must be a whole number, got 10.5'],
    [{ ...valid, beats: 0 }, 'beats must be a number from 1'],
    [{ ...valid, correctedShare: 1.2 }, 'correctedShare must be a number from 0 to 1, got 1.2'],
    [{ ...valid, durationS: undefined }, 'durationS must be a number from 0 to 86400, got nothing'],
    [{ ...valid, takenAt: null }, 'takenAt must be a number'],
    [{ ...valid, source: 'H10' }, 'source must be an object, got "H10"'],
    [{ ...valid, source: { ...valid.source, id: '' } }, 'source.id must be 1–128 characters'],
    [{ ...valid, source: { ...valid.source, name: 7 } }, 'source.name must be text'],
    [{ ...valid, source: { ...valid.source, intervalKind: 'ecg' } }, 'source.intervalKind must be rr or ppi, got "ecg"'],
    [{ ...valid, source: { ...valid.source, demo: 'no' } }, 'source.demo must be true or false'],
  ])('rejects %j with a reason', (body, reason) => {
    const parsed = parseMeasurement(body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  it('refuses a stored doc filed under another date', () => {
    expect(parseMeasurementDoc('2026-11-30', valid).ok).toBe(true);
    expect(parseMeasurementDoc('2026-11-29', valid)).toEqual({ ok: false, reason: 'stored as 2026-11-29 but dated 2026-11-30' });
  });
});

describe('stabilityInputFor', () => {
  const reading = (date: string, rmssd: number, demo = false): Measurement => ({
    ...valid,
    date,
    rmssd,
    lnRmssd: Math.log(rmssd),
    restingHr: 60,
    source: { ...valid.source, demo },
  });
  const checkIn = (date: string, period: CheckIn['period'], patch: Partial<CheckIn>): CheckIn => ({
    ...blankCheckIn(date, period),
    savedAt: 1,
    ...patch,
  });

  it('is null without a real reading that morning (a demo reading does not count)', () => {
    expect(stabilityInputFor('2026-11-30', [reading('2026-11-29', 40)], [])).toBeNull();
    expect(stabilityInputFor('2026-11-30', [reading('2026-11-30', 40, true)], [])).toBeNull();
  });

  it('takes earlier real mornings of the last 90 days, this morning’s sleep and last evening’s symptoms', () => {
    const input = stabilityInputFor(
      '2026-11-30',
      [
        reading('2026-11-30', 40),
        reading('2026-11-29', 50),
        reading('2026-11-28', 45, true),
        reading('2026-09-01', 44),
        reading('2026-08-31', 99),
        reading('2026-12-01', 30),
      ],
      [
        checkIn('2026-11-30', 'morning', { sleepQuality: 1, fatigue: 3 }),
        checkIn('2026-11-29', 'evening', { fatigue: 2, brainFog: 3, pain: null, mood: 0, sleepQuality: 0 }),
        checkIn('2026-11-28', 'evening', { fatigue: 3 }),
      ],
    );
    expect(input).toEqual({
      today: { date: '2026-11-30', lnRmssd: Math.log(40), restingHr: 60 },
      history: [
        { date: '2026-11-29', lnRmssd: Math.log(50), restingHr: 60 },
        { date: '2026-09-01', lnRmssd: Math.log(44), restingHr: 60 },
      ],
      sleepQuality: 1,
      // Mood and sleep run the other way (higher is better): never symptoms.
      symptoms: [
        { name: 'fatigue', score: 2 },
        { name: 'brain fog', score: 3 },
      ],
    });
  });

  it('falls back to the evening check-in’s sleep rating, and to none', () => {
    const measurements = [reading('2026-11-30', 40)];
    expect(stabilityInputFor('2026-11-30', measurements, [checkIn('2026-11-30', 'evening', { sleepQuality: 2 })])?.sleepQuality).toBe(2);
    expect(stabilityInputFor('2026-11-30', measurements, [checkIn('2026-11-30', 'morning', { fatigue: 1 })])?.sleepQuality).toBeNull();
  });
});

describe('settleFor', () => {
  it('adds the optical sensor’s ~25 s warm-up for PPI only', () => {
    expect(settleFor(30, 'rr')).toBe(30);
    expect(settleFor(30, 'ppi')).toBe(55);
  });
});
