import { describe, expect, it } from 'vitest';
import {
  type CheckIn,
  checkInId,
  isEmptyCheckIn,
  isIsoDate,
  NOTE_MAX_LENGTH,
  parseCheckIn,
  parseCheckInDoc,
  parseCheckInId,
  SCALES,
} from '../../src/shared/checkin';
import { addDays, dayKeyOf } from '../../src/shared/days';

const valid: CheckIn = {
  date: '2026-11-30',
  period: 'morning',
  fatigue: 2,
  brainFog: 1,
  pain: 0,
  sleepQuality: 3,
  orthostatic: null,
  mood: 1,
  symptoms: {},
  physicalExertion: null,
  cognitiveExertion: null,
  emotionalExertion: null,
  sleepMinutes: null,
  crash: false,
  unwell: false,
  periodDay: false,
  note: 'Slept through, a short walk yesterday.',
  savedAt: 1_796_000_000_000,
};

describe('parseCheckIn', () => {
  it('accepts a complete check-in and returns it unchanged', () => {
    expect(parseCheckIn(valid)).toEqual({ ok: true, value: valid });
  });

  it('fills what an older or partial body leaves out: unanswered ratings, no crash, empty note', () => {
    const parsed = parseCheckIn({ date: '2026-11-30', period: 'evening', savedAt: 5 });
    expect(parsed).toEqual({
      ok: true,
      value: {
        date: '2026-11-30',
        period: 'evening',
        fatigue: null,
        brainFog: null,
        pain: null,
        sleepQuality: null,
        orthostatic: null,
        mood: null,
        symptoms: {},
        physicalExertion: null,
        cognitiveExertion: null,
        emotionalExertion: null,
        sleepMinutes: null,
        crash: false,
        unwell: false,
        periodDay: false,
        note: '',
        savedAt: 5,
      },
    });
    expect(parsed.ok && isEmptyCheckIn(parsed.value)).toBe(true);
    expect(isEmptyCheckIn(valid)).toBe(false);
  });

  it('keeps only known fields', () => {
    const parsed = parseCheckIn({ ...valid, extra: 'x', __proto__: { polluted: true } });
    expect(parsed.ok && Object.keys(parsed.value).sort()).toEqual(Object.keys(valid).sort());
  });

  it.each([
    [null, 'a check-in must be an object'],
    [[], 'a check-in must be an object'],
    ['text', 'a check-in must be an object'],
    [{ ...valid, date: '2026-02-30' }, 'date must be a calendar date YYYY-MM-DD, got "2026-02-30"'],
    [{ ...valid, date: '30/11/2026' }, 'date must be a calendar date'],
    [{ ...valid, date: undefined }, 'got nothing'],
    [{ ...valid, period: 'noon' }, 'period must be morning or evening, got "noon"'],
    [{ ...valid, fatigue: 4 }, 'fatigue must be 0, 1, 2, 3 or null, got 4'],
    [{ ...valid, pain: -1 }, 'pain must be 0, 1, 2, 3 or null, got -1'],
    [{ ...valid, mood: 1.5 }, 'mood must be 0, 1, 2, 3 or null, got 1.5'],
    [{ ...valid, sleepQuality: '3' }, 'sleepQuality must be 0, 1, 2, 3 or null, got "3"'],
    [{ ...valid, brainFog: Number.NaN }, 'brainFog must be 0, 1, 2, 3 or null, got NaN'],
    [{ ...valid, crash: 'yes' }, 'crash must be true or false, got "yes"'],
    [{ ...valid, note: 42 }, 'note must be text, got 42'],
    [{ ...valid, note: 'x'.repeat(NOTE_MAX_LENGTH + 1) }, `note is ${NOTE_MAX_LENGTH + 1} characters; the limit is ${NOTE_MAX_LENGTH}`],
    [{ ...valid, savedAt: undefined }, 'savedAt must be epoch milliseconds, got nothing'],
    [{ ...valid, savedAt: Number.POSITIVE_INFINITY }, 'savedAt must be epoch milliseconds'],
    [{ ...valid, savedAt: { at: 1 } }, 'got an object'],
  ])('rejects %j with a reason', (body, reason) => {
    const parsed = parseCheckIn(body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  it('accepts a note of exactly the limit', () => {
    expect(parseCheckIn({ ...valid, note: 'x'.repeat(NOTE_MAX_LENGTH) }).ok).toBe(true);
  });
});

describe('check-in ids', () => {
  it('round-trips date and period', () => {
    expect(checkInId('2026-11-30', 'morning')).toBe('2026-11-30-morning');
    expect(parseCheckInId('2026-11-30-evening')).toEqual({ date: '2026-11-30', period: 'evening' });
  });

  it.each(['2026-11-30', '2026-11-30-noon', '2026-13-01-morning', '2026-11-30_morning', 'x'])('refuses %s', (id) => {
    expect(parseCheckInId(id)).toBeNull();
  });

  it('refuses a stored doc whose body belongs under another id', () => {
    expect(parseCheckInDoc('2026-11-30-morning', valid).ok).toBe(true);
    const moved = parseCheckInDoc('2026-11-30-evening', valid);
    expect(moved).toEqual({ ok: false, reason: 'stored as 2026-11-30-evening but dated 2026-11-30-morning' });
  });
});

describe('dates', () => {
  it('checks real calendar dates, leap years included', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
  });

  it('gives the local calendar day and steps across month and year ends', () => {
    const t = new Date(2026, 10, 30, 23, 59).getTime();
    expect(dayKeyOf(t)).toBe('2026-11-30');
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });
});

describe('scales', () => {
  it('runs symptoms 0 none … 3 severe, and sleep and mood 0 worst … 3 good', () => {
    for (const scale of SCALES) expect(scale.levels).toHaveLength(4);
    const better = SCALES.filter((s) => s.higherIsBetter).map((s) => s.key);
    expect(better).toEqual(['sleepQuality', 'mood']);
    expect(SCALES.find((s) => s.key === 'sleepQuality')?.levels[3]).toBe('Good');
    expect(SCALES.find((s) => s.key === 'fatigue')?.levels[3]).toBe('Severe');
  });
});
