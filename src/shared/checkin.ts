/**
 * The daily check-in: the contract between the check-in screen, sync, trends and the stability
 * score. One document per local date and period (`2026-11-30-morning`), stored and synced as a
 * `checkin` doc; later edits replace earlier ones in server order (docs/sync-protocol.md).
 * Runtime-neutral, and the parser is used on every doc read back, synced ones included.
 */
import { fail, isIsoDate, type Parsed, show } from './doc-parsing';

export { isIsoDate, type Parsed, show };

/** Morning or evening. */
export type CheckInPeriod = 'morning' | 'evening';
export const CHECK_IN_PERIODS: readonly CheckInPeriod[] = ['morning', 'evening'];

/** A 0–3 rating; see SCALES for which end is better. */
export type Rating = 0 | 1 | 2 | 3;

/** The rated items, in the order the screen asks them. */
export type ScaleKey = 'fatigue' | 'brainFog' | 'pain' | 'sleepQuality' | 'orthostatic' | 'mood';

/** How one item is asked and what each level means. */
export interface Scale {
  key: ScaleKey;
  /** As a question heading: "Fatigue". */
  label: string;
  /** Lower-case, as it reads mid-sentence (the stability score's SymptomScore.name). */
  name: string;
  /** Words for levels 0, 1, 2, 3. */
  levels: readonly [string, string, string, string];
  /** Symptoms: 0 none … 3 severe. Sleep quality and mood run the other way: 3 is good. */
  higherIsBetter: boolean;
}

const SEVERITY = ['None', 'Mild', 'Moderate', 'Severe'] as const;

/** Every rated item. Symptoms are 0 none … 3 severe; sleep quality and mood are 0 worst … 3 good. */
export const SCALES: readonly Scale[] = [
  { key: 'fatigue', label: 'Fatigue', name: 'fatigue', levels: SEVERITY, higherIsBetter: false },
  { key: 'brainFog', label: 'Brain fog', name: 'brain fog', levels: SEVERITY, higherIsBetter: false },
  { key: 'pain', label: 'Pain', name: 'pain', levels: SEVERITY, higherIsBetter: false },
  {
    key: 'sleepQuality',
    label: 'Sleep quality',
    name: 'sleep quality',
    levels: ['Very poor', 'Poor', 'Fair', 'Good'],
    higherIsBetter: true,
  },
  {
    key: 'orthostatic',
    label: 'Orthostatic symptoms',
    name: 'orthostatic symptoms',
    levels: SEVERITY,
    higherIsBetter: false,
  },
  { key: 'mood', label: 'Mood', name: 'mood', levels: ['Low', 'Fairly low', 'Okay', 'Good'], higherIsBetter: true },
];

/** The longest note kept, in UTF-16 code units (a doc must stay under the sync limit of 16 KiB). */
export const NOTE_MAX_LENGTH = 1000;

/** One check-in. A rating is null when it was left unanswered. */
export interface CheckIn {
  /** Local calendar day, `YYYY-MM-DD`. */
  date: string;
  period: CheckInPeriod;
  fatigue: Rating | null;
  brainFog: Rating | null;
  pain: Rating | null;
  /** Last night's sleep: 0 very poor … 3 good (higher is better, as stabilityScore expects). */
  sleepQuality: Rating | null;
  orthostatic: Rating | null;
  /** 0 low … 3 good (higher is better). */
  mood: Rating | null;
  /** A crash (post-exertional malaise) today. */
  crash: boolean;
  note: string;
  /** Epoch ms of the last edit on the device that made it. */
  savedAt: number;
}

/** The doc id of a check-in: `2026-11-30-morning`. */
export function checkInId(date: string, period: CheckInPeriod): string {
  return `${date}-${period}`;
}

/** Splits a check-in doc id, or null when it is not one. */
export function parseCheckInId(id: string): { date: string; period: CheckInPeriod } | null {
  const date = id.slice(0, 10);
  const period = id.slice(11) as CheckInPeriod;
  if (id[10] !== '-' || !isIsoDate(date) || !CHECK_IN_PERIODS.includes(period)) return null;
  return { date, period };
}

/** Validates a check-in body (from the screen, IndexedDB or sync); rejects garbage with a reason. */
export function parseCheckIn(body: unknown): Parsed<CheckIn> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail('a check-in must be an object');
  const b = body as Record<string, unknown>;
  if (!isIsoDate(b.date)) return fail(`date must be a calendar date YYYY-MM-DD, got ${show(b.date)}`);
  if (!CHECK_IN_PERIODS.includes(b.period as CheckInPeriod)) return fail(`period must be morning or evening, got ${show(b.period)}`);
  const ratings = {} as Record<ScaleKey, Rating | null>;
  for (const { key } of SCALES) {
    const v = b[key] ?? null;
    if (v !== null && !(v === 0 || v === 1 || v === 2 || v === 3)) return fail(`${key} must be 0, 1, 2, 3 or null, got ${show(v)}`);
    ratings[key] = v as Rating | null;
  }
  const crash = b.crash ?? false;
  if (typeof crash !== 'boolean') return fail(`crash must be true or false, got ${show(crash)}`);
  const note = b.note ?? '';
  if (typeof note !== 'string') return fail(`note must be text, got ${show(note)}`);
  if (note.length > NOTE_MAX_LENGTH) return fail(`note is ${note.length} characters; the limit is ${NOTE_MAX_LENGTH}`);
  if (typeof b.savedAt !== 'number' || !Number.isFinite(b.savedAt) || b.savedAt < 0)
    return fail(`savedAt must be epoch milliseconds, got ${show(b.savedAt)}`);
  return {
    ok: true,
    value: { date: b.date, period: b.period as CheckInPeriod, ...ratings, crash, note, savedAt: b.savedAt },
  };
}

/** Parses a stored doc and checks that its body belongs under its id. */
export function parseCheckInDoc(id: string, body: unknown): Parsed<CheckIn> {
  const parsed = parseCheckIn(body);
  if (!parsed.ok) return parsed;
  if (checkInId(parsed.value.date, parsed.value.period) !== id)
    return fail(`stored as ${id} but dated ${checkInId(parsed.value.date, parsed.value.period)}`);
  return parsed;
}

/** A check-in with nothing answered yet. */
export function blankCheckIn(date: string, period: CheckInPeriod): CheckIn {
  const ratings = Object.fromEntries(SCALES.map((s) => [s.key, null])) as Record<ScaleKey, null>;
  return { date, period, ...ratings, crash: false, note: '', savedAt: 0 };
}

/** True when a check-in holds nothing but its date (nothing rated, no crash, no note). */
export function isEmptyCheckIn(c: CheckIn): boolean {
  return SCALES.every(({ key }) => c[key] === null) && !c.crash && c.note.trim() === '';
}
