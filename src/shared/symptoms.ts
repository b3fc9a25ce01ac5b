/**
 * The symptoms a person tracks: a synced document (kind `settings`, id `symptoms`) listing which
 * of the built-in symptoms and of their own the check-in asks. Nothing is ever deleted from it:
 * a custom symptom that is no longer tracked keeps its id and name, so past check-ins that rated
 * it still show its name in history, Trends and exports. Renaming keeps the id.
 * Runtime-neutral; the parser is used on every doc read back, synced ones included.
 */
import { type CheckIn, type Rating, SCALES, type Scale, type ScaleKey } from './checkin';
import { fail, type Parsed, show } from './doc-parsing';

/** The id of the one symptom-list document per account (kind `settings`). */
export const SYMPTOM_LIST_DOC_ID = 'symptoms';

/** One item a check-in can rate 0–3: a built-in scale or the person's own. */
export interface Symptom {
  id: string;
  label: string;
  /** Lower-case, mid-sentence. */
  name: string;
  levels: readonly [string, string, string, string];
  higherIsBetter: boolean;
  custom: boolean;
}

/** A symptom the person named themselves. */
export interface CustomSymptom {
  /** `c-` and 4–16 lower-case letters or digits; never changes, renames included. */
  id: string;
  label: string;
}

/** What the check-in asks, and the person's own symptoms (tracked or not). */
export interface SymptomList {
  /** Ids of built-in or custom symptoms, each once. */
  tracked: string[];
  custom: CustomSymptom[];
  /** Ask about period days in the check-in. */
  trackPeriod: boolean;
}

const SEVERITY = ['None', 'Mild', 'Moderate', 'Severe'] as const;

const severity = (id: string, label: string): Symptom => ({
  id,
  label,
  name: label.toLowerCase(),
  levels: SEVERITY,
  higherIsBetter: false,
  custom: false,
});

/** Built-in symptoms beyond the original six, rated in a check-in's `symptoms` map. */
export const EXTRA_SYMPTOMS: readonly Symptom[] = [
  severity('headache', 'Headache'),
  severity('musclePain', 'Muscle pain'),
  severity('soreThroat', 'Sore throat'),
  severity('sensitivity', 'Sensitivity to light or noise'),
  severity('nausea', 'Nausea'),
  severity('dizziness', 'Dizziness'),
  severity('unrefreshingSleep', 'Unrefreshing sleep'),
];

const fromScale = (s: Scale): Symptom => ({ ...s, id: s.key, custom: false });

/** Every built-in symptom, in the order the picker and the check-in list them. */
export const BUILT_IN_SYMPTOMS: readonly Symptom[] = [...SCALES.map(fromScale), ...EXTRA_SYMPTOMS];

/** What a new user starts with: the six the check-in always asked. */
export const DEFAULT_SYMPTOM_LIST: Readonly<SymptomList> = { tracked: SCALES.map((s) => s.key), custom: [], trackPeriod: false };

/** Limits that keep the list document and every check-in small (a doc must stay under 16 KiB). */
export const SYMPTOM_LIMITS = { labelMax: 40, customMax: 30 } as const;

const CUSTOM_ID = /^c-[a-z0-9]{4,16}$/;
const isBuiltIn = (id: string) => BUILT_IN_SYMPTOMS.some((s) => s.id === id);

/** A custom symptom as a rated item (0 none … 3 severe). */
export function customSymptom(c: CustomSymptom): Symptom {
  return { ...severity(c.id, c.label), custom: true };
}

/** Every symptom the list knows, built-in first, then the person's own, in the order they were added. */
export function allSymptoms(list: SymptomList): Symptom[] {
  return [...BUILT_IN_SYMPTOMS, ...list.custom.map(customSymptom)];
}

/** The symptom an id names; an id nobody knows (a newer app's built-in) is shown as itself. */
export function symptomById(id: string, list: SymptomList): Symptom {
  return allSymptoms(list).find((s) => s.id === id) ?? { ...severity(id, id), custom: true };
}

/**
 * What a check-in asks: the tracked symptoms in list order, then any this check-in already rated
 * that is no longer tracked, so editing an old check-in never hides or loses a value.
 */
export function symptomsToAsk(list: SymptomList, checkIn: CheckIn): Symptom[] {
  const asked = allSymptoms(list).filter((s) => list.tracked.includes(s.id));
  for (const id of ratedIds(checkIn)) if (!asked.some((s) => s.id === id)) asked.push(symptomById(id, list));
  return asked;
}

const isScaleKey = (id: string): id is ScaleKey => SCALES.some((s) => s.key === id);

/** A check-in's rating of one symptom, wherever it is kept (the six original ones have fields of their own). */
export function ratingOf(c: CheckIn, id: string): Rating | null {
  return isScaleKey(id) ? c[id] : (c.symptoms[id] ?? null);
}

/** The check-in with one rating set (null clears it). */
export function withRating(c: CheckIn, id: string, value: Rating | null): CheckIn {
  if (isScaleKey(id)) return { ...c, [id]: value };
  const { [id]: _old, ...rest } = c.symptoms;
  return { ...c, symptoms: value === null ? rest : { ...rest, [id]: value } };
}

/** Ids of every symptom a check-in rated, the six original ones first. */
export function ratedIds(c: CheckIn): string[] {
  return [...SCALES.filter((s) => c[s.key] !== null).map((s) => s.key), ...Object.keys(c.symptoms)];
}

const normal = (label: string) => label.trim().replace(/\s+/g, ' ').toLocaleLowerCase();

/**
 * Checks a name for a new or renamed custom symptom; returns the reason it cannot be used, or
 * null. `renaming` is the id being renamed (its own current name is not a duplicate).
 */
export function customLabelProblem(label: string, list: SymptomList, renaming: string | null = null): string | null {
  const trimmed = label.trim().replace(/\s+/g, ' ');
  if (trimmed === '') return 'Type a name for the symptom.';
  if (trimmed.length > SYMPTOM_LIMITS.labelMax) return `The name is ${trimmed.length} characters; the limit is ${SYMPTOM_LIMITS.labelMax}.`;
  const same = allSymptoms(list).find((s) => s.id !== renaming && normal(s.label) === normal(trimmed));
  if (same) return `“${same.label}” is already in the list${list.tracked.includes(same.id) ? '' : ': tick it to track it'}.`;
  if (renaming === null && list.custom.length >= SYMPTOM_LIMITS.customMax)
    return `You can add up to ${SYMPTOM_LIMITS.customMax} symptoms of your own.`;
  return null;
}

/** Adds a custom symptom, tracked, under a new id; or says why the name cannot be used. */
export function addCustom(list: SymptomList, label: string, newId: string): Parsed<SymptomList> {
  const problem = customLabelProblem(label, list);
  if (problem) return fail(problem);
  if (!CUSTOM_ID.test(newId) || list.custom.some((c) => c.id === newId)) return fail(`cannot use the id ${show(newId)}`);
  const custom = { id: newId, label: label.trim().replace(/\s+/g, ' ') };
  return { ok: true, value: { ...list, custom: [...list.custom, custom], tracked: [...list.tracked, newId] } };
}

/** Renames a custom symptom, keeping its id (and so every past rating of it). */
export function renameCustom(list: SymptomList, id: string, label: string): Parsed<SymptomList> {
  if (!list.custom.some((c) => c.id === id)) return fail(`there is no symptom of your own with id ${show(id)}`);
  const problem = customLabelProblem(label, list, id);
  if (problem) return fail(problem);
  const renamed = label.trim().replace(/\s+/g, ' ');
  return { ok: true, value: { ...list, custom: list.custom.map((c) => (c.id === id ? { id, label: renamed } : c)) } };
}

/** Tracks or stops tracking a symptom; the order of `tracked` follows the list, not the clicks. */
export function setTracked(list: SymptomList, id: string, on: boolean): SymptomList {
  const order = allSymptoms(list).map((s) => s.id);
  const ids = new Set(list.tracked);
  if (on) ids.add(id);
  else ids.delete(id);
  return { ...list, tracked: order.filter((known) => ids.has(known)) };
}

/** A fresh id for a custom symptom, from 8 random base-36 characters. */
export function newCustomId(random: () => number = Math.random): string {
  let id = 'c-';
  for (let i = 0; i < 8; i++) id += Math.floor(random() * 36).toString(36);
  return id;
}

/** Validates a symptom-list body (from the picker, IndexedDB or sync); rejects garbage with a reason. */
export function parseSymptomList(body: unknown): Parsed<SymptomList> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail('a symptom list must be an object');
  const b = body as Record<string, unknown>;
  if (!Array.isArray(b.custom)) return fail(`custom must be a list, got ${show(b.custom)}`);
  if (b.custom.length > SYMPTOM_LIMITS.customMax)
    return fail(`custom holds ${b.custom.length} symptoms; the limit is ${SYMPTOM_LIMITS.customMax}`);
  const custom: CustomSymptom[] = [];
  for (const [i, item] of b.custom.entries()) {
    const c = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof c.id !== 'string' || !CUSTOM_ID.test(c.id))
      return fail(`custom[${i}].id must be c- and 4–16 letters or digits, got ${show(c.id)}`);
    if (custom.some((x) => x.id === c.id)) return fail(`custom[${i}].id ${show(c.id)} appears twice`);
    if (typeof c.label !== 'string' || c.label.trim() === '' || c.label.length > SYMPTOM_LIMITS.labelMax)
      return fail(`custom[${i}].label must be text of 1 to ${SYMPTOM_LIMITS.labelMax} characters, got ${show(c.label)}`);
    custom.push({ id: c.id, label: c.label });
  }
  if (!Array.isArray(b.tracked)) return fail(`tracked must be a list, got ${show(b.tracked)}`);
  const tracked: string[] = [];
  for (const [i, id] of b.tracked.entries()) {
    if (typeof id !== 'string' || !(isBuiltIn(id) || custom.some((c) => c.id === id)))
      return fail(`tracked[${i}] must be a known symptom id, got ${show(id)}`);
    if (tracked.includes(id)) return fail(`tracked[${i}] ${show(id)} appears twice`);
    tracked.push(id);
  }
  const trackPeriod = b.trackPeriod ?? false;
  if (typeof trackPeriod !== 'boolean') return fail(`trackPeriod must be true or false, got ${show(trackPeriod)}`);
  return { ok: true, value: { tracked, custom, trackPeriod } };
}
