import { describe, expect, it } from 'vitest';
import { blankCheckIn, parseCheckIn, sleepFromInput } from '../../src/shared/checkin';
import { sortDocuments } from '../../src/shared/export/documents';
import {
  addCustom,
  customLabelProblem,
  DEFAULT_SYMPTOM_LIST,
  parseSymptomList,
  ratingOf,
  renameCustom,
  setTracked,
  symptomsToAsk,
  withRating,
} from '../../src/shared/symptoms';

const added = (() => {
  const r = addCustom(DEFAULT_SYMPTOM_LIST, '  Tinnitus ', 'c-tin1');
  if (!r.ok) throw new Error(r.reason);
  return r.value;
})();

describe('the symptom list', () => {
  it('adds a custom symptom, trimmed and tracked', () => {
    expect(added.custom).toEqual([{ id: 'c-tin1', label: 'Tinnitus' }]);
    expect(added.tracked).toEqual(['fatigue', 'brainFog', 'pain', 'sleepQuality', 'orthostatic', 'mood', 'c-tin1']);
  });

  it('refuses an empty, too long or duplicate name with a clear reason', () => {
    expect(customLabelProblem('   ', added)).toBe('Type a name for the symptom.');
    expect(customLabelProblem('x'.repeat(41), added)).toBe('The name is 41 characters; the limit is 40.');
    expect(customLabelProblem('tinnitus', added)).toBe('“Tinnitus” is already in the list.');
    expect(customLabelProblem('HEADACHE', added)).toBe('“Headache” is already in the list: tick it to track it.');
    expect(addCustom(added, 'Fatigue', 'c-x123').ok).toBe(false);
  });

  it('renames keeping the id; its own name is not a duplicate', () => {
    const renamed = renameCustom(added, 'c-tin1', 'Ringing ears');
    expect(renamed.ok && renamed.value.custom).toEqual([{ id: 'c-tin1', label: 'Ringing ears' }]);
    expect(renameCustom(added, 'c-tin1', 'tinnitus').ok).toBe(true);
    expect(renameCustom(added, 'c-tin1', 'Pain')).toEqual({ ok: false, reason: '“Pain” is already in the list.' });
  });

  it('keeps list order whatever the order of ticks', () => {
    const list = setTracked(setTracked(setTracked(DEFAULT_SYMPTOM_LIST, 'nausea', true), 'headache', true), 'mood', false);
    expect(list.tracked).toEqual(['fatigue', 'brainFog', 'pain', 'sleepQuality', 'orthostatic', 'headache', 'nausea']);
  });

  it('parses a stored list and rejects garbage with a reason', () => {
    expect(parseSymptomList({ ...added, savedAt: 1 })).toEqual({ ok: true, value: added });
    expect(parseSymptomList({ tracked: ['nope'], custom: [] })).toEqual({
      ok: false,
      reason: 'tracked[0] must be a known symptom id, got "nope"',
    });
    expect(parseSymptomList({ tracked: [], custom: [{ id: 'x', label: 'a' }] }).ok).toBe(false);
    expect(parseSymptomList({ tracked: ['pain', 'pain'], custom: [] }).ok).toBe(false);
    expect(parseSymptomList({ tracked: [], custom: [], trackPeriod: 'yes' }).ok).toBe(false);
  });
});

describe('check-ins when the list changes', () => {
  const rated = withRating(withRating(withRating(blankCheckIn('2026-11-30', 'evening'), 'fatigue', 2), 'c-tin1', 3), 'headache', 1);

  it('keeps the six original ratings as fields and the others in the symptoms map', () => {
    expect(rated.fatigue).toBe(2);
    expect(rated.symptoms).toEqual({ 'c-tin1': 3, headache: 1 });
    expect(ratingOf(withRating(rated, 'headache', null), 'headache')).toBe(null);
  });

  it('still asks a symptom no longer tracked when this check-in rated it, so its value is neither hidden nor lost', () => {
    const untracked = setTracked(setTracked(added, 'c-tin1', false), 'pain', false);
    const asked = symptomsToAsk(untracked, rated).map((s) => s.id);
    expect(asked).toEqual(['fatigue', 'brainFog', 'sleepQuality', 'orthostatic', 'mood', 'c-tin1', 'headache']);
    expect(symptomsToAsk(untracked, blankCheckIn('2026-12-01', 'morning')).map((s) => s.id)).not.toContain('c-tin1');
  });

  it('exports a renamed, untracked symptom under its id with its current name', () => {
    const renamed = renameCustom(setTracked(added, 'c-tin1', false), 'c-tin1', 'Ringing ears');
    if (!renamed.ok) throw new Error(renamed.reason);
    const sorted = sortDocuments([
      { kind: 'settings', id: 'symptoms', updatedAt: 1, body: { ...renamed.value } },
      { kind: 'checkin', id: '2026-11-30-evening', updatedAt: 1, body: { ...rated, savedAt: 7 } },
    ]);
    expect(sorted.symptomRatings).toEqual([
      { date: '2026-11-30', period: 'evening', symptomId: 'headache', symptomName: 'Headache', rating: 1, tracked: false },
      { date: '2026-11-30', period: 'evening', symptomId: 'c-tin1', symptomName: 'Ringing ears', rating: 3, tracked: false },
    ]);
    expect(sorted.symptoms.find((s) => s.id === 'c-tin1')).toEqual({ id: 'c-tin1', label: 'Ringing ears', custom: true, tracked: false });
  });
});

describe('the new check-in fields', () => {
  const base = { date: '2026-11-30', period: 'evening', savedAt: 1 };

  it('reads an old check-in (before these fields) as nothing given', () => {
    const parsed = parseCheckIn({ ...base, fatigue: 1, crash: true });
    expect(parsed.ok && parsed.value).toMatchObject({
      fatigue: 1,
      symptoms: {},
      physicalExertion: null,
      sleepMinutes: null,
      crash: true,
      unwell: false,
      periodDay: false,
    });
  });

  it('reads a new one whole', () => {
    const body = {
      ...base,
      physicalExertion: 3,
      cognitiveExertion: 0,
      emotionalExertion: 2,
      sleepMinutes: 450,
      unwell: true,
      periodDay: true,
      symptoms: { headache: 2 },
    };
    expect(parseCheckIn(body).ok && parseCheckIn(body)).toMatchObject({ ok: true, value: body });
  });

  it.each([
    [{ physicalExertion: 4 }, 'physicalExertion must be 0, 1, 2, 3 or null, got 4'],
    [{ sleepMinutes: 1441 }, 'sleepMinutes must be whole minutes from 0 to 1440 or null, got 1441'],
    [{ sleepMinutes: 7.5 }, 'sleepMinutes must be whole minutes from 0 to 1440 or null, got 7.5'],
    [{ unwell: 'yes' }, 'unwell must be true or false, got "yes"'],
    [{ periodDay: 1 }, 'periodDay must be true or false, got 1'],
    [{ symptoms: [] }, 'symptoms must be an object, got a list'],
    [{ symptoms: { fatigue: 1 } }, 'symptoms has a key that is not a symptom id: "fatigue"'],
    [{ symptoms: { 'a b': 1 } }, 'symptoms has a key that is not a symptom id: "a b"'],
    [{ symptoms: { headache: 5 } }, 'symptoms.headache must be 0, 1, 2 or 3, got 5'],
  ])('rejects %j with a reason', (extra, reason) => {
    expect(parseCheckIn({ ...base, ...extra })).toEqual({ ok: false, reason });
  });

  it('reads sleep typed as hours and minutes', () => {
    expect(sleepFromInput('', '')).toEqual({ ok: true, value: null });
    expect(sleepFromInput('7', '30')).toEqual({ ok: true, value: 450 });
    expect(sleepFromInput(' 8 ', '')).toEqual({ ok: true, value: 480 });
    expect(sleepFromInput('', '45')).toEqual({ ok: true, value: 45 });
    expect(sleepFromInput('24', '0')).toEqual({ ok: true, value: 1440 });
    expect(sleepFromInput('24', '1')).toEqual({ ok: false, reason: 'Sleep cannot be longer than 24 hours.' });
    expect(sleepFromInput('7.5', '')).toEqual({ ok: false, reason: 'Hours of sleep must be a whole number from 0 to 24.' });
    expect(sleepFromInput('7', '60')).toEqual({ ok: false, reason: 'Minutes of sleep must be a whole number from 0 to 59.' });
  });
});
