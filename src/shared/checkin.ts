/**
 * The daily check-in: the contract between the check-in screen, sync, trends and the stability
 * score. One document per local date and period (`2026-11-30-morning`), stored and synced as a
 * `checkin` doc; later edits replace earlier ones in server order (docs/sync-protocol.md).
 * Runtime-neutral, and the parser is used on every doc read back, synced ones included.
 *
 * Older check-ins (before issue 15) lack `symptoms`, the exertion ratings, `sleepMinutes`,
 * `unwell` and `periodDay`: each reads as not given. The six original ratings stay top-level
 * fields, so an older app still reads what a newer one wrote.
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

/** Exertion rated in the evening, each 0 none … 3 a lot (issue 15: physical, cognitive and emotional load differ). */
export type ExertionKey = 'physicalExertion' | 'cognitiveExertion' | 'emotionalExertion';

/** How each kind of exertion is asked. */
export const EXERTION_SCALES: readonly (Omit<Scale, 'key'> & { key: ExertionKey })[] = [
  {
    key: 'physicalExertion',
    label: 'Physical',
    name: 'physical exertion',
    levels: ['None', 'Light', 'Moderate', 'A lot'],
    higherIsBetter: false,
  },
  {
    key: 'cognitiveExertion',
    label: 'Cognitive',
    name: 'cognitive exertion',
    levels: ['None', 'Light', 'Moderate', 'A lot'],
    higherIsBetter: false,
  },
  {
    key: 'emotionalExertion',
    label: 'Emotional or social',
    name: 'emotional or social exertion',
    levels: ['None', 'Light', 'Moderate', 'A lot'],
    higherIsBetter: false,
  },
];

/** The longest sleep a check-in records, in minutes (a whole day). */
export const SLEEP_MINUTES_MAX = 24 * 60;

/** Ratings of symptoms beyond the six fields: at most this many per check-in (the doc stays small). */
export const SYMPTOM_RATINGS_MAX = 60;

/**
 * Keys of the `symptoms` map: a built-in id (`headache`) or a custom one (`c-k3x9q2ab`). Any such
 * key is accepted, so a symptom a newer version adds still parses here.
 */
const SYMPTOM_KEY = /^[A-Za-z][A-Za-z0-9-]{0,31}$/;

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
  /** Every other symptom rated, by symptom id (src/shared/symptoms.ts); unrated ones are absent. */
  symptoms: Readonly<Record<string, Rating>>;
  physicalExertion: Rating | null;
  cognitiveExertion: Rating | null;
  emotionalExertion: Rating | null;
  /** Last night's sleep in whole minutes (asked in the morning); null when not given. */
  sleepMinutes: number | null;
  /** A crash (post-exertional malaise) today. */
  crash: boolean;
  /** An infection or feeling unwell otherwise (a cold, a fever): kept apart from a crash. */
  unwell: boolean;
  /** A period day. */
  periodDay: boolean;
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
  const ratings = {} as Record<ScaleKey | ExertionKey, Rating | null>;
  for (const { key } of [...SCALES, ...EXERTION_SCALES]) {
    const v = b[key] ?? null;
    if (v !== null && !isRating(v)) return fail(`${key} must be 0, 1, 2, 3 or null, got ${show(v)}`);
    ratings[key] = v;
  }
  const symptoms = parseSymptomRatings(b.symptoms ?? {});
  if (!symptoms.ok) return symptoms;
  const sleepMinutes = b.sleepMinutes ?? null;
  if (
    sleepMinutes !== null &&
    !(Number.isInteger(sleepMinutes) && (sleepMinutes as number) >= 0 && (sleepMinutes as number) <= SLEEP_MINUTES_MAX)
  )
    return fail(`sleepMinutes must be whole minutes from 0 to ${SLEEP_MINUTES_MAX} or null, got ${show(sleepMinutes)}`);
  const flags = { crash: false, unwell: false, periodDay: false };
  for (const key of ['crash', 'unwell', 'periodDay'] as const) {
    const v = b[key] ?? false;
    if (typeof v !== 'boolean') return fail(`${key} must be true or false, got ${show(v)}`);
    flags[key] = v;
  }
  const note = b.note ?? '';
  if (typeof note !== 'string') return fail(`note must be text, got ${show(note)}`);
  if (note.length > NOTE_MAX_LENGTH) return fail(`note is ${note.length} characters; the limit is ${NOTE_MAX_LENGTH}`);
  if (typeof b.savedAt !== 'number' || !Number.isFinite(b.savedAt) || b.savedAt < 0)
    return fail(`savedAt must be epoch milliseconds, got ${show(b.savedAt)}`);
  return {
    ok: true,
    value: {
      date: b.date,
      period: b.period as CheckInPeriod,
      ...ratings,
      symptoms: symptoms.value,
      sleepMinutes: sleepMinutes as number | null,
      ...flags,
      note,
      savedAt: b.savedAt,
    },
  };
}

const isRating = (v: unknown): v is Rating => v === 0 || v === 1 || v === 2 || v === 3;

/** The `symptoms` map: symptom id → 0–3. The six original scales keep their own fields and may not appear here. */
function parseSymptomRatings(value: unknown): Parsed<Record<string, Rating>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(`symptoms must be an object, got ${show(value)}`);
  const entries = Object.entries(value);
  if (entries.length > SYMPTOM_RATINGS_MAX) return fail(`symptoms holds ${entries.length} ratings; the limit is ${SYMPTOM_RATINGS_MAX}`);
  const out: Record<string, Rating> = {};
  for (const [id, v] of entries) {
    if (!SYMPTOM_KEY.test(id) || SCALES.some((s) => s.key === id)) return fail(`symptoms has a key that is not a symptom id: ${show(id)}`);
    if (!isRating(v)) return fail(`symptoms.${id} must be 0, 1, 2 or 3, got ${show(v)}`);
    out[id] = v;
  }
  return { ok: true, value: out };
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
  const ratings = Object.fromEntries([...SCALES, ...EXERTION_SCALES].map((s) => [s.key, null])) as Record<ScaleKey | ExertionKey, null>;
  return {
    date,
    period,
    ...ratings,
    symptoms: {},
    sleepMinutes: null,
    crash: false,
    unwell: false,
    periodDay: false,
    note: '',
    savedAt: 0,
  };
}

/** True when a check-in holds nothing but its date (nothing rated or flagged, no sleep, no note). */
export function isEmptyCheckIn(c: CheckIn): boolean {
  return (
    [...SCALES, ...EXERTION_SCALES].every(({ key }) => c[key] === null) &&
    Object.keys(c.symptoms).length === 0 &&
    c.sleepMinutes === null &&
    !c.crash &&
    !c.unwell &&
    !c.periodDay &&
    c.note.trim() === ''
  );
}

/** "7 h 30 min" for a sleep duration in minutes. */
export function formatSleep(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/**
 * Reads the sleep duration fields (hours and minutes as typed) into minutes: both empty is null
 * (not given); otherwise whole hours 0–24 and minutes 0–59, at most 24 h in all.
 */
export function sleepFromInput(hours: string, minutes: string): Parsed<number | null> {
  const h = hours.trim();
  const m = minutes.trim();
  if (h === '' && m === '') return { ok: true, value: null };
  const hn = h === '' ? 0 : Number(h);
  const mn = m === '' ? 0 : Number(m);
  if (!Number.isInteger(hn) || hn < 0 || hn > 24) return fail('Hours of sleep must be a whole number from 0 to 24.');
  if (!Number.isInteger(mn) || mn < 0 || mn > 59) return fail('Minutes of sleep must be a whole number from 0 to 59.');
  if (hn * 60 + mn > SLEEP_MINUTES_MAX) return fail('Sleep cannot be longer than 24 hours.');
  return { ok: true, value: hn * 60 + mn };
}
