import { describe, expect, it } from 'vitest';
import { activeZones } from '../../src/shared/pacing/active-zones';
import { DEFAULT_PACING_SETTINGS, type PacingSettings } from '../../src/shared/pacing/settings';
import { ageIn, percentOfMaxThreshold, predictedMaxHr, restingPlusThreshold, scaledMargin } from '../../src/shared/pacing/zone-methods';

/** Noon, 1 June 2026, local time: the year is 2026 in every time zone. */
const JUNE_2026 = new Date(2026, 5, 1, 12).getTime();
const settings = (change: Partial<PacingSettings>): PacingSettings => ({ ...DEFAULT_PACING_SETTINGS, ...change });

describe('percentage of the age-predicted maximum (55 % of Tanaka 208 − 0.7 × age)', () => {
  it.each([
    // age, maximum, threshold: by hand, 0.55 × max rounded
    [40, 180, 99], // 208 − 28 = 180; 0.55 × 180 = 99
    [65, 162.5, 89], // 208 − 45.5 = 162.5; 0.55 × 162.5 = 89.375
    [25, 190.5, 105], // 208 − 17.5 = 190.5; 0.55 × 190.5 = 104.775
  ])('age %i: maximum %f, threshold %i', (age, max, threshold) => {
    expect(predictedMaxHr(age, false)).toBeCloseTo(max, 9);
    expect(percentOfMaxThreshold(age, false)).toBe(threshold);
  });

  it('uses Brawner 164 − 0.7 × age with a heart-rate-lowering medication', () => {
    expect(predictedMaxHr(40, true)).toBeCloseTo(136, 9); // 164 − 28
    expect(percentOfMaxThreshold(40, true)).toBe(75); // 0.55 × 136 = 74.8
    expect(percentOfMaxThreshold(65, true)).toBe(65); // 0.55 × 118.5 = 65.175
  });

  it('counts age by calendar year from the year of birth', () => {
    expect(ageIn(1986, JUNE_2026)).toBe(40);
    expect(ageIn(1986, new Date(2026, 0, 1, 0, 0, 1).getTime())).toBe(40);
    expect(ageIn(1986, new Date(2025, 11, 31, 23, 59).getTime())).toBe(39);
  });
});

describe('resting + 15, and margins with a medication (two thirds)', () => {
  it('is resting + 15 without, resting + 10 with', () => {
    expect(restingPlusThreshold(60, false)).toBe(75);
    expect(restingPlusThreshold(60, true)).toBe(70);
    expect(restingPlusThreshold(52, true)).toBe(62);
  });

  it('scales the learned margin bounds 10 → 7 and 30 → 20', () => {
    expect(scaledMargin(10, true)).toBe(7); // 6.67
    expect(scaledMargin(30, true)).toBe(20);
    expect(scaledMargin(30, false)).toBe(30);
  });
});

describe('the zones in force', () => {
  it('resting + 15 from the measured resting HR by default', () => {
    expect(activeZones(settings({}), 62, JUNE_2026)).toEqual({
      bounds: { restBelow: 67, threshold: 77 },
      basis: { method: 'resting-plus', restingHr: 62, restingSource: 'measurement', margin: 15 },
      medication: false,
    });
    expect(activeZones(settings({ rateLoweringMedication: true }), 62, JUNE_2026).bounds).toEqual({ restBelow: 67, threshold: 72 });
  });

  it('55 % of maximum, with the rest zone still from resting HR', () => {
    const zones = activeZones(settings({ zoneMethod: 'percent-of-max', birthYear: 1986 }), 62, JUNE_2026);
    expect(zones.bounds).toEqual({ restBelow: 67, threshold: 99 });
    expect(zones.basis).toEqual({ method: 'percent-of-max', age: 40, maxHr: 180, percent: 0.55, raisedTo: null });
    const treated = activeZones(settings({ zoneMethod: 'percent-of-max', birthYear: 1986, rateLoweringMedication: true }), 62, JUNE_2026);
    expect(treated.bounds).toEqual({ restBelow: 67, threshold: 75 });
  });

  it('raises a percentage at or below the rest zone to one above it', () => {
    // Age 90 on a beta-blocker: 0.55 × (164 − 63) = 55.55 → 56, under resting 62 + 5: kept at 68.
    const zones = activeZones(settings({ zoneMethod: 'percent-of-max', birthYear: 1936, rateLoweringMedication: true }), 62, JUNE_2026);
    expect(zones.bounds).toEqual({ restBelow: 67, threshold: 68 });
    expect(zones.basis).toMatchObject({ raisedTo: 68 });
  });

  it('learned zones, from the learned resting HR rather than the morning measurement', () => {
    const learned = { restingHr: 55, dailyHigh: 98, threshold: 77, days: 5, from: '2026-05-27', to: '2026-05-31', medication: false };
    const zones = activeZones(settings({ zoneMethod: 'learned', learned }), 62, JUNE_2026);
    expect(zones.bounds).toEqual({ restBelow: 60, threshold: 77 });
    expect(zones.basis).toEqual({ method: 'learned', restingHr: 55, dailyHigh: 98, days: 5, from: '2026-05-27', to: '2026-05-31' });
  });

  it('a threshold set by hand wins over any method', () => {
    expect(activeZones(settings({ zoneMethod: 'percent-of-max', birthYear: 1986, threshold: 90 }), 62, JUNE_2026)).toMatchObject({
      bounds: { restBelow: 67, threshold: 90 },
      basis: { method: 'manual', threshold: 90 },
    });
  });
});
