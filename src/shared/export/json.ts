import type { CheckIn } from '../checkin';
import type { Measurement } from '../measurement';
import type { RecordingGap } from '../samples';
import type { StandTestDoc } from '../stand-test/document';
import type { ExportDocuments, ExportMessage, ExportSymptom, UnreadableDoc } from './documents';
import { type ExportSample, isoTime } from './samples';

/** The `format` and `version` of the JSON export; a reader checks both (docs/export-format.md). */
export const EXPORT_FORMAT = 'steady-export';
export const EXPORT_VERSION = 1;

/** A paired armband, as exported. */
export interface ExportArmband {
  id: string;
  name: string;
  pairedAt: string;
  lastConnectedAt: string | null;
}

/** One heart-rate reading in the JSON export: an export sample with its time as ISO text and ms. */
export type JsonSample = { time: string; timeMs: number } & Omit<ExportSample, 't'>;

/** The whole JSON export, version 1, as a reader parses it. Keys appear in this order. */
export interface SteadyExportV1 {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  appVersion: string;
  /** The account and device the data was exported from; null before this device had an account. */
  account: { accountId: string; deviceId: string } | null;
  armbands: ExportArmband[];
  checkIns: CheckIn[];
  /** Every symptom the account knows, for the ids in checkIns' `symptoms` maps. */
  symptoms: ExportSymptom[];
  measurements: Measurement[];
  standTests: StandTestDoc[];
  messages: ExportMessage[];
  settings: ExportDocuments['settings'];
  treatments: ExportDocuments['treatments'];
  unreadableDocuments: UnreadableDoc[];
  gaps: (RecordingGap & { startIso: string; endIso: string | null })[];
  heartRate: JsonSample[];
  counts: ExportCounts;
}

/** What the export holds, written last (the heart rate is counted while it streams). */
export interface ExportCounts {
  heartRateSamples: number;
  intervals: number;
  checkIns: number;
  measurements: number;
  standTests: number;
  messages: number;
  treatments: number;
  gaps: number;
}

/** Everything except the heart rate, which streams after it. */
export interface ExportHead {
  exportedAt: number;
  appVersion: string;
  account: SteadyExportV1['account'];
  armbands: ExportArmband[];
  documents: ExportDocuments;
  gaps: RecordingGap[];
}

/**
 * The JSON export is written in three kinds of pieces, so a large recording never has to be
 * one string: the opening (everything but the heart rate, ending inside `"heartRate":[`), the
 * samples in slices, and the closing with the counts. Concatenated they are one JSON document.
 */
export function jsonOpening(head: ExportHead): string {
  const opening = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: isoTime(head.exportedAt),
    appVersion: head.appVersion,
    account: head.account,
    armbands: head.armbands,
    checkIns: head.documents.checkIns,
    symptoms: head.documents.symptoms,
    measurements: head.documents.measurements,
    standTests: head.documents.standTests,
    messages: head.documents.messages,
    settings: head.documents.settings,
    treatments: head.documents.treatments,
    unreadableDocuments: head.documents.unreadable,
    gaps: head.gaps.map((g) => ({ ...g, startIso: isoTime(g.start), endIso: g.end === null ? null : isoTime(g.end) })),
  };
  const text = JSON.stringify(opening, null, 1);
  // Reopen the object to append the streamed array: `…"gaps": []\n}` → `…"gaps": [],\n"heartRate": [`.
  return `${text.slice(0, text.lastIndexOf('}')).trimEnd()},\n "heartRate": [`;
}

/** A slice of the heart-rate array; `first` is true for the slice that starts the array. One sample per line. */
export function jsonSamples(samples: readonly ExportSample[], first: boolean): string {
  let out = '';
  samples.forEach((s, i) => {
    const sample: JsonSample = {
      time: isoTime(s.t),
      timeMs: s.t,
      sourceId: s.sourceId,
      demo: s.demo,
      bpm: s.bpm,
      contact: s.contact,
      intervalKind: s.intervalKind,
      intervalsMs: s.intervalsMs,
    };
    out += `${first && i === 0 ? '' : ','}\n  ${JSON.stringify(sample)}`;
  });
  return out;
}

/** Ends the heart-rate array and the document. */
export function jsonClosing(counts: ExportCounts, anySamples: boolean): string {
  return `${anySamples ? '\n ' : ''}],\n "counts": ${JSON.stringify(counts)}\n}\n`;
}
