import type { SteadyDb } from '../db/schema';
import { CSV_BOM, csvHeader } from '../shared/export/csv';
import {
  CHECK_IN_TABLE,
  type CsvTable,
  GAP_TABLE,
  MEASUREMENT_TABLE,
  MESSAGE_TABLE,
  SYMPTOM_RATING_TABLE,
  sortDocuments,
  TREATMENT_TABLE,
  tableCsv,
} from '../shared/export/documents';
import { type ExportCounts, type ExportHead, jsonClosing, jsonOpening, jsonSamples } from '../shared/export/json';
import { CSV_MEDIA_TYPE, type CsvTableName, type ExportFile, exportFileName, JSON_MEDIA_TYPE } from '../shared/export/protocol';
import {
  type ExportSample,
  HEART_RATE_COLUMNS,
  heartRateLines,
  INTERVAL_COLUMNS,
  intervalCount,
  intervalLines,
  minuteSamples,
} from '../shared/export/samples';
import type { SampleChunk } from '../shared/samples';
import { APP_VERSION } from '../shared/version';

/** The chunks are read this many minutes at a time: one `getAll` per window, a few hundred records. */
const WINDOW_MS = 6 * 3600 * 1000;
/** Text is turned into a Blob part every ~1 MiB, so no string ever grows with the recording. */
const PART_CHARS = 1 << 20;

/** Collects text piecewise into one Blob; only the current ~1 MiB is held as a string. */
class BlobSink {
  private readonly parts: Blob[] = [];
  private pending: string[] = [];
  private pendingChars = 0;
  rows = 0;

  write(text: string): void {
    if (text === '') return;
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= PART_CHARS) this.flush();
  }

  finish(type: string): Blob {
    this.flush();
    return new Blob(this.parts, { type });
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.parts.push(new Blob(this.pending));
    this.pending = [];
    this.pendingChars = 0;
  }
}

export interface BuildOptions {
  now: number;
  signal: AbortSignal;
  onProgress(done: number, total: number): void;
}

/** Everything but the heart rate, read at once (documents, gaps and armbands are small). */
async function readHead(db: SteadyDb, now: number): Promise<ExportHead> {
  const [credentials, armbands, docs, gaps] = await Promise.all([
    db.get('meta', 'credentials'),
    db.getAll('armbands'),
    db.getAll('docs'),
    db.getAllFromIndex('gaps', 'byStart'),
  ]);
  return {
    exportedAt: now,
    appVersion: APP_VERSION,
    // Never the device token: an export is meant to be shared.
    account: credentials ? { accountId: credentials.accountId, deviceId: credentials.deviceId } : null,
    armbands: armbands.map((a) => ({
      id: a.id,
      name: a.name,
      pairedAt: new Date(a.pairedAt).toISOString(),
      lastConnectedAt: a.lastConnectedAt === null ? null : new Date(a.lastConnectedAt).toISOString(),
    })),
    documents: sortDocuments(docs),
    gaps,
  };
}

/**
 * Calls `onMinute` with every minute's chunks, oldest first, reading the byMinute index one
 * window at a time (one short read transaction each: a recording that goes on meanwhile is
 * never blocked). Reports progress in windows.
 */
async function forEachMinute(db: SteadyDb, options: BuildOptions, onMinute: (chunks: SampleChunk[]) => void): Promise<void> {
  const index = db.transaction('chunks').store.index('byMinute');
  const [first, last] = await Promise.all([index.openCursor(), index.openCursor(null, 'prev')]);
  if (!first || !last) return options.onProgress(1, 1);
  const from = first.value.minuteStart;
  const to = last.value.minuteStart;
  const total = Math.floor((to - from) / WINDOW_MS) + 1;
  for (let w = 0; w < total; w++) {
    options.signal.throwIfAborted();
    const start = from + w * WINDOW_MS;
    const chunks = await db.getAllFromIndex('chunks', 'byMinute', IDBKeyRange.bound(start, start + WINDOW_MS, false, true));
    // getAll on an index returns records by minute, then by id: group consecutive equal minutes.
    let group: SampleChunk[] = [];
    for (const chunk of chunks) {
      if (group.length > 0 && group[0]?.minuteStart !== chunk.minuteStart) {
        onMinute(group);
        group = [];
      }
      group.push(chunk);
    }
    if (group.length > 0) onMinute(group);
    options.onProgress(w + 1, total);
  }
}

/** The CSV export: one file per table, each with a header line even when it has no rows. */
export async function buildCsv(db: SteadyDb, options: BuildOptions): Promise<ExportFile<Blob>[]> {
  const head = await readHead(db, options.now);
  const heartRate = new BlobSink();
  const intervals = new BlobSink();
  heartRate.write(CSV_BOM + csvHeader(HEART_RATE_COLUMNS));
  intervals.write(CSV_BOM + csvHeader(INTERVAL_COLUMNS));
  await forEachMinute(db, options, (chunks) => {
    const samples = minuteSamples(chunks);
    heartRate.write(heartRateLines(samples));
    heartRate.rows += samples.length;
    intervals.write(intervalLines(samples));
    intervals.rows += intervalCount(samples);
  });
  const file = (table: CsvTableName, blob: Blob, rows: number): ExportFile<Blob> => ({
    name: exportFileName(table, options.now, 'csv'),
    mediaType: CSV_MEDIA_TYPE,
    blob,
    rows,
  });
  const small = <T>(table: CsvTableName, spec: CsvTable<T>, items: readonly T[]) =>
    file(table, new Blob([CSV_BOM + tableCsv(spec, items)], { type: CSV_MEDIA_TYPE }), items.length);
  return [
    file('heart-rate', heartRate.finish(CSV_MEDIA_TYPE), heartRate.rows),
    file('intervals', intervals.finish(CSV_MEDIA_TYPE), intervals.rows),
    small('check-ins', CHECK_IN_TABLE, head.documents.checkIns),
    small('symptom-ratings', SYMPTOM_RATING_TABLE, head.documents.symptomRatings),
    small('measurements', MEASUREMENT_TABLE, head.documents.measurements),
    small('messages', MESSAGE_TABLE, head.documents.messages),
    small('treatments', TREATMENT_TABLE, head.documents.treatments),
    small('gaps', GAP_TABLE, head.gaps),
  ];
}

/** The JSON export: one document with everything (src/shared/export/json.ts). */
export async function buildJson(db: SteadyDb, options: BuildOptions): Promise<ExportFile<Blob>[]> {
  const head = await readHead(db, options.now);
  const sink = new BlobSink();
  sink.write(jsonOpening(head));
  let samples = 0;
  let intervals = 0;
  await forEachMinute(db, options, (chunks) => {
    const minute: ExportSample[] = minuteSamples(chunks);
    sink.write(jsonSamples(minute, samples === 0));
    samples += minute.length;
    intervals += intervalCount(minute);
  });
  const counts: ExportCounts = {
    heartRateSamples: samples,
    intervals,
    checkIns: head.documents.checkIns.length,
    measurements: head.documents.measurements.length,
    standTests: head.documents.standTests.length,
    messages: head.documents.messages.length,
    treatments: head.documents.treatments.length,
    gaps: head.gaps.length,
  };
  sink.write(jsonClosing(counts, samples > 0));
  return [
    { name: exportFileName('export', options.now, 'json'), mediaType: JSON_MEDIA_TYPE, blob: sink.finish(JSON_MEDIA_TYPE), rows: samples },
  ];
}
