import { docsOfKind, getDoc, saveDoc } from '../db/docs';
import { type CheckIn, type CheckInPeriod, checkInId, type Parsed, parseCheckIn, parseCheckInDoc } from '../shared/checkin';
import { dayKeyOf } from '../shared/days';

/** A stored doc that did not parse (a newer app's format, or damage): shown, never silently dropped. */
export interface UnreadableDoc {
  id: string;
  reason: string;
}

/** Every stored check-in, newest first, and the docs that could not be read. */
export interface CheckInList {
  checkIns: CheckIn[];
  unreadable: UnreadableDoc[];
}

/** The period a check-in opened now is most likely for: morning until 2 pm. */
export function periodAt(t: number): CheckInPeriod {
  return new Date(t).getHours() < 14 ? 'morning' : 'evening';
}

/** Reads every check-in from IndexedDB through the validating parser, synced ones included. */
export async function loadCheckIns(): Promise<CheckInList> {
  const checkIns: CheckIn[] = [];
  const unreadable: UnreadableDoc[] = [];
  for (const doc of await docsOfKind('checkin')) {
    const parsed = parseCheckInDoc(doc.id, doc.body);
    if (parsed.ok) checkIns.push(parsed.value);
    else unreadable.push({ id: doc.id, reason: parsed.reason });
  }
  checkIns.sort((a, b) => checkInId(b.date, b.period).localeCompare(checkInId(a.date, a.period)));
  return { checkIns, unreadable };
}

/** One check-in, if stored and readable. */
export async function loadCheckIn(date: string, period: CheckInPeriod): Promise<Parsed<CheckIn> | null> {
  const id = checkInId(date, period);
  const doc = await getDoc('checkin', id);
  return doc ? parseCheckInDoc(id, doc.body) : null;
}

/**
 * Saves a check-in on this device and queues it for sync, in one transaction. The body is
 * validated first: nothing half-valid is stored. Resolves to what was stored.
 */
export async function saveCheckIn(draft: CheckIn, now = Date.now()): Promise<CheckIn> {
  const parsed = parseCheckIn({ ...draft, note: draft.note.trim(), savedAt: now });
  if (!parsed.ok) throw new Error(`This check-in cannot be saved: ${parsed.reason}`);
  const value = parsed.value;
  await saveDoc('checkin', checkInId(value.date, value.period), { ...value }, now);
  return value;
}

/** Today's local date. */
export const today = (now = Date.now()) => dayKeyOf(now);
