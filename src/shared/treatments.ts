/**
 * Treatments and events: what a person started, changed or stopped (a medication, a supplement,
 * a change of routine) and one-off things that happened (an appointment, travel, an infection).
 * Trends marks them on every chart and compares the days before a treatment with the days after
 * (src/shared/trends/before-after.ts).
 *
 * One `treatment` document per entry, its id a random UUID made on the device that logged it;
 * later edits replace earlier ones in server order, as for every document (docs/sync-protocol.md).
 * Runtime-neutral; the parser runs on every document read back, synced ones included.
 */
import { addDays, type DayKey } from './days';
import { fail, isIsoDate, type Parsed, show } from './doc-parsing';

/** Something taken or done from a start day, until it is stopped. */
export type TreatmentCategory = 'medication' | 'supplement' | 'change';
/** Something that happened on one day. */
export type EventCategory = 'appointment' | 'travel' | 'infection' | 'other';

export const TREATMENT_CATEGORIES: readonly { id: TreatmentCategory; label: string }[] = [
  { id: 'medication', label: 'Medication' },
  { id: 'supplement', label: 'Supplement' },
  { id: 'change', label: 'Other change (diet, routine, therapy…)' },
];
export const EVENT_CATEGORIES: readonly { id: EventCategory; label: string }[] = [
  { id: 'appointment', label: 'Appointment' },
  { id: 'travel', label: 'Travel' },
  { id: 'infection', label: 'Infection or illness' },
  { id: 'other', label: 'Other event' },
];

export interface Treatment {
  type: 'treatment';
  category: TreatmentCategory;
  /** "Ivabradine", "Magnesium", "Compression stockings". */
  name: string;
  /** Free text ("5 mg twice a day"); null when not given. */
  dose: string | null;
  start: DayKey;
  /** The last day it was taken; null while it goes on. */
  stop: DayKey | null;
  note: string;
  /** Epoch ms of the last edit on the device that made it. */
  savedAt: number;
}

export interface LifeEvent {
  type: 'event';
  category: EventCategory;
  name: string;
  date: DayKey;
  note: string;
  savedAt: number;
}

export type TreatmentEntry = Treatment | LifeEvent;

export const NAME_MAX_LENGTH = 80;
export const DOSE_MAX_LENGTH = 80;
export const ENTRY_NOTE_MAX_LENGTH = 500;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(b: Record<string, unknown>, field: string, max: number, required: boolean): Parsed<string> {
  const v = b[field] ?? '';
  if (typeof v !== 'string') return fail(`${field} must be text, got ${show(v)}`);
  const trimmed = v.trim();
  if (required && trimmed === '') return fail(`${field} is empty: give it a name`);
  if (trimmed.length > max) return fail(`${field} is ${trimmed.length} characters; the limit is ${max}`);
  return { ok: true, value: trimmed };
}

/** Validates an entry (from the form, IndexedDB or sync); rejects garbage with a reason naming the field. */
export function parseTreatmentEntry(body: unknown): Parsed<TreatmentEntry> {
  if (!isObject(body)) return fail('a treatment or event must be an object');
  const name = text(body, 'name', NAME_MAX_LENGTH, true);
  if (!name.ok) return name;
  const note = text(body, 'note', ENTRY_NOTE_MAX_LENGTH, false);
  if (!note.ok) return note;
  const { savedAt } = body;
  if (typeof savedAt !== 'number' || !Number.isFinite(savedAt) || savedAt < 0)
    return fail(`savedAt must be epoch milliseconds, got ${show(savedAt)}`);

  if (body.type === 'treatment') {
    if (!TREATMENT_CATEGORIES.some((c) => c.id === body.category))
      return fail(`category must be one of ${TREATMENT_CATEGORIES.map((c) => c.id).join(', ')}, got ${show(body.category)}`);
    const dose = text(body, 'dose', DOSE_MAX_LENGTH, false);
    if (!dose.ok) return dose;
    if (!isIsoDate(body.start)) return fail(`start must be a calendar date YYYY-MM-DD, got ${show(body.start)}`);
    const stop = body.stop ?? null;
    if (stop !== null && !isIsoDate(stop)) return fail(`stop must be a calendar date YYYY-MM-DD or empty, got ${show(stop)}`);
    if (stop !== null && stop < body.start) return fail(`stop (${stop}) is before start (${body.start})`);
    return {
      ok: true,
      value: {
        type: 'treatment',
        category: body.category as TreatmentCategory,
        name: name.value,
        dose: dose.value === '' ? null : dose.value,
        start: body.start,
        stop,
        note: note.value,
        savedAt,
      },
    };
  }
  if (body.type === 'event') {
    if (!EVENT_CATEGORIES.some((c) => c.id === body.category))
      return fail(`category must be one of ${EVENT_CATEGORIES.map((c) => c.id).join(', ')}, got ${show(body.category)}`);
    if (!isIsoDate(body.date)) return fail(`date must be a calendar date YYYY-MM-DD, got ${show(body.date)}`);
    return {
      ok: true,
      value: { type: 'event', category: body.category as EventCategory, name: name.value, date: body.date, note: note.value, savedAt },
    };
  }
  return fail(`type must be treatment or event, got ${show(body.type)}`);
}

/** The first day an entry covers. */
export const entryDay = (entry: TreatmentEntry): DayKey => (entry.type === 'treatment' ? entry.start : entry.date);

/** A line drawn on a chart: a treatment's start or stop, or an event. */
export interface ChartMark {
  /** The day the mark sits at the start of. */
  day: DayKey;
  kind: 'start' | 'stop' | 'event';
  /** "Started Ivabradine (5 mg)", "Stopped Magnesium", "Travel: Lisbon". */
  label: string;
}

/** The marks that fall within [first, last], oldest first; a stop is marked the day after the last dose. */
export function chartMarks(entries: readonly TreatmentEntry[], first: DayKey, last: DayKey): ChartMark[] {
  const marks: ChartMark[] = [];
  for (const entry of entries) {
    if (entry.type === 'event') {
      const category = EVENT_CATEGORIES.find((c) => c.id === entry.category)?.label ?? entry.category;
      marks.push({ day: entry.date, kind: 'event', label: `${category}: ${entry.name}` });
      continue;
    }
    marks.push({ day: entry.start, kind: 'start', label: `Started ${entry.name}${entry.dose ? ` (${entry.dose})` : ''}` });
    if (entry.stop !== null) marks.push({ day: addDays(entry.stop, 1), kind: 'stop', label: `Stopped ${entry.name}` });
  }
  return marks.filter((m) => m.day >= first && m.day <= last).sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

/** Newest first: what a list of entries shows. */
export function sortEntries<T extends TreatmentEntry>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => {
    const da = entryDay(a);
    const db = entryDay(b);
    return da < db ? 1 : da > db ? -1 : b.savedAt - a.savedAt;
  });
}
