import { type CheckIn, EXERTION_SCALES, parseCheckInDoc, SCALES } from '../checkin';
import { type Measurement, parseMeasurementDoc } from '../measurement';
import type { RecordingGap } from '../samples';
import { parseStandTestDoc, type StandTestDoc } from '../stand-test/document';
import { allSymptoms, DEFAULT_SYMPTOM_LIST, parseSymptomList, SYMPTOM_LIST_DOC_ID, type SymptomList, symptomById } from '../symptoms';
import type { DocRecord } from '../sync/batch-codec';
import { parseTreatmentEntry, sortEntries, type TreatmentEntry } from '../treatments';
import { type CsvValue, csvHeader, csvLine } from './csv';
import { type ExportColumn, isoTime } from './samples';

/** A synced document as stored on the device. */
export type ExportDoc = DocRecord & { updatedAt: number };

/** A message from the care team or the service, with its read state from `message-read` docs. */
export interface ExportMessage {
  id: string;
  createdAt: string;
  from: string;
  text: string;
  readAt: string | null;
}

/** A document the export could not read as its kind: kept whole, with the reason. */
export interface UnreadableDoc {
  kind: string;
  id: string;
  reason: string;
  body: Record<string, unknown>;
}

/** One rating of a symptom beyond the six check-in columns (symptom-ratings.csv). */
export interface SymptomRating {
  date: string;
  period: CheckIn['period'];
  symptomId: string;
  /** Its name now (a renamed symptom keeps its id). */
  symptomName: string;
  rating: number;
  /** Whether the check-in asks it now. */
  tracked: boolean;
}

/** A symptom as the JSON export lists it: every one the account knows, tracked or not. */
export interface ExportSymptom {
  id: string;
  label: string;
  custom: boolean;
  tracked: boolean;
}

/** The device's documents, sorted into what each table exports. */
export interface ExportDocuments {
  /** By date, morning before evening. */
  checkIns: CheckIn[];
  /** The ratings in check-ins' `symptoms` maps, in check-in order, then by the list's order. */
  symptomRatings: SymptomRating[];
  /** From the `settings/symptoms` document (the default list before one was saved). */
  symptoms: ExportSymptom[];
  /** By date. */
  measurements: Measurement[];
  /** By start time. */
  standTests: StandTestDoc[];
  /** Oldest first. */
  messages: ExportMessage[];
  settings: { id: string; updatedAt: string; body: Record<string, unknown> }[];
  /** Treatments and events, newest first. */
  treatments: ExportTreatment[];
  unreadable: UnreadableDoc[];
}

/** A treatment or event with its document id. */
export type ExportTreatment = TreatmentEntry & { id: string };

/** Sorts documents by kind, parsing each with its kind's own parser; nothing is dropped. */
export function sortDocuments(docs: readonly ExportDoc[]): ExportDocuments {
  const out: ExportDocuments = {
    checkIns: [],
    symptomRatings: [],
    symptoms: [],
    measurements: [],
    standTests: [],
    messages: [],
    settings: [],
    treatments: [],
    unreadable: [],
  };
  let symptomList: SymptomList = DEFAULT_SYMPTOM_LIST;
  const readAt = new Map<string, string>();
  for (const doc of docs) if (doc.kind === 'message-read' && typeof doc.body.readAt === 'string') readAt.set(doc.id, doc.body.readAt);
  const unreadable = (doc: ExportDoc, reason: string) => out.unreadable.push({ kind: doc.kind, id: doc.id, reason, body: doc.body });
  for (const doc of docs) {
    switch (doc.kind) {
      case 'checkin': {
        const parsed = parseCheckInDoc(doc.id, doc.body);
        if (parsed.ok) out.checkIns.push(parsed.value);
        else unreadable(doc, parsed.reason);
        break;
      }
      case 'measurement': {
        const parsed = parseMeasurementDoc(doc.id, doc.body);
        if (parsed.ok) out.measurements.push(parsed.value);
        else unreadable(doc, parsed.reason);
        break;
      }
      case 'stand-test': {
        const parsed = parseStandTestDoc(doc.id, doc.body);
        if (parsed.ok) out.standTests.push(parsed.value);
        else unreadable(doc, parsed.reason);
        break;
      }
      case 'message': {
        const { text, from, createdAt } = doc.body;
        if (typeof text !== 'string') unreadable(doc, 'text must be text');
        else
          out.messages.push({
            id: doc.id,
            createdAt: typeof createdAt === 'string' ? createdAt : isoTime(doc.updatedAt),
            from: typeof from === 'string' ? from : 'Steady',
            text,
            readAt: readAt.get(doc.id) ?? null,
          });
        break;
      }
      case 'message-read':
        if (typeof doc.body.readAt !== 'string') unreadable(doc, 'readAt must be text');
        break; // folded into its message
      case 'settings':
        if (doc.id === SYMPTOM_LIST_DOC_ID) {
          const parsed = parseSymptomList(doc.body);
          if (parsed.ok) symptomList = parsed.value;
          else unreadable(doc, parsed.reason);
        }
        out.settings.push({ id: doc.id, updatedAt: isoTime(doc.updatedAt), body: doc.body });
        break;
      case 'treatment': {
        const parsed = parseTreatmentEntry(doc.body);
        if (parsed.ok) out.treatments.push({ id: doc.id, ...parsed.value });
        else unreadable(doc, parsed.reason);
        break;
      }
      default:
        unreadable(doc, `unknown kind ${String((doc as { kind: unknown }).kind)}`);
    }
  }
  const periodOrder = (c: CheckIn) => (c.period === 'morning' ? 0 : 1);
  out.checkIns.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : periodOrder(a) - periodOrder(b)));
  out.symptoms = allSymptoms(symptomList).map((s) => ({
    id: s.id,
    label: s.label,
    custom: s.custom,
    tracked: symptomList.tracked.includes(s.id),
  }));
  const order = (id: string) => {
    const at = out.symptoms.findIndex((s) => s.id === id);
    return at === -1 ? out.symptoms.length : at;
  };
  for (const c of out.checkIns) {
    const ids = Object.keys(c.symptoms).sort((a, b) => order(a) - order(b) || (a < b ? -1 : 1));
    for (const id of ids)
      out.symptomRatings.push({
        date: c.date,
        period: c.period,
        symptomId: id,
        symptomName: symptomById(id, symptomList).label,
        rating: c.symptoms[id]!,
        tracked: symptomList.tracked.includes(id),
      });
  }
  out.measurements.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  out.treatments = sortEntries(out.treatments);
  out.standTests.sort((a, b) => a.startedAt - b.startedAt);
  out.messages.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  return out;
}

/** A small table whose rows all fit in memory: its file, its columns, and how an item becomes a row. */
export interface CsvTable<T> {
  columns: readonly ExportColumn[];
  row(item: T): CsvValue[];
}

/** Snake-case column names of the rated check-in items, in SCALES order. */
const scaleColumn = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export const CHECK_IN_TABLE: CsvTable<CheckIn> = {
  columns: [
    { name: 'date' },
    { name: 'period' },
    ...SCALES.map((scale) => ({ name: scaleColumn(scale.key) })),
    { name: 'crash' },
    { name: 'note' },
    { name: 'saved_at_iso' },
    { name: 'saved_at_ms' },
    // Added with issue 15, after the original columns so that they keep their positions.
    { name: 'unwell' },
    { name: 'period_day' },
    { name: 'sleep_minutes' },
    ...EXERTION_SCALES.map((scale) => ({ name: scaleColumn(scale.key) })),
  ],
  row: (c) => [
    c.date,
    c.period,
    ...SCALES.map((scale) => c[scale.key]),
    c.crash,
    c.note,
    isoTime(c.savedAt),
    c.savedAt,
    c.unwell,
    c.periodDay,
    c.sleepMinutes,
    ...EXERTION_SCALES.map((scale) => c[scale.key]),
  ],
};

export const SYMPTOM_RATING_TABLE: CsvTable<SymptomRating> = {
  columns: [
    { name: 'date' },
    { name: 'period' },
    { name: 'symptom_id' },
    { name: 'symptom_name' },
    { name: 'rating' },
    { name: 'tracked' },
  ],
  row: (r) => [r.date, r.period, r.symptomId, r.symptomName, r.rating, r.tracked],
};

export const MEASUREMENT_TABLE: CsvTable<Measurement> = {
  columns: [
    { name: 'date' },
    { name: 'taken_at_iso' },
    { name: 'taken_at_ms' },
    { name: 'rmssd_ms' },
    { name: 'ln_rmssd' },
    { name: 'sdnn_ms' },
    { name: 'resting_hr_bpm' },
    { name: 'beats' },
    { name: 'corrected_share' },
    { name: 'duration_s' },
    { name: 'source_id' },
    { name: 'source_name' },
    { name: 'interval_kind' },
    { name: 'demo' },
  ],
  row: (m) => [
    m.date,
    isoTime(m.takenAt),
    m.takenAt,
    m.rmssd,
    m.lnRmssd,
    m.sdnn,
    m.restingHr,
    m.beats,
    m.correctedShare,
    m.durationS,
    m.source.id,
    m.source.name,
    m.source.intervalKind,
    m.source.demo,
  ],
};

export const MESSAGE_TABLE: CsvTable<ExportMessage> = {
  columns: [{ name: 'id' }, { name: 'created_at' }, { name: 'from' }, { name: 'text' }, { name: 'read_at' }],
  row: (m) => [m.id, m.createdAt, m.from, m.text, m.readAt],
};

export const TREATMENT_TABLE: CsvTable<ExportTreatment> = {
  columns: [
    { name: 'id' },
    { name: 'type' },
    { name: 'category' },
    { name: 'name' },
    { name: 'dose' },
    { name: 'start' },
    { name: 'stop' },
    { name: 'note' },
    { name: 'saved_at_iso' },
  ],
  row: (t) =>
    t.type === 'treatment'
      ? [t.id, t.type, t.category, t.name, t.dose, t.start, t.stop, t.note, isoTime(t.savedAt)]
      : [t.id, t.type, t.category, t.name, null, t.date, t.date, t.note, isoTime(t.savedAt)],
};

export const GAP_TABLE: CsvTable<RecordingGap> = {
  columns: [
    { name: 'source_id' },
    { name: 'start_iso' },
    { name: 'start_ms' },
    { name: 'end_iso' },
    { name: 'end_ms' },
    { name: 'reason' },
  ],
  row: (g) => [g.sourceId, isoTime(g.start), g.start, g.end === null ? null : isoTime(g.end), g.end, g.reason],
};

/** A whole small table as CSV text: the header, then one line per item. */
export function tableCsv<T>(table: CsvTable<T>, items: readonly T[]): string {
  let out = csvHeader(table.columns);
  for (const item of items) out += csvLine(table.row(item));
  return out;
}
