import { chunkSamples, type IntervalKind, type SampleChunk } from '../samples';
import { CSV_LINE_END, csvCell } from './csv';

/** One heart-rate reading as the export writes it: a sample with its source. */
export interface ExportSample {
  t: number;
  sourceId: string;
  demo: boolean;
  bpm: number;
  contact: boolean | null;
  intervalKind: IntervalKind;
  intervalsMs: number[];
}

/** A column of an exported table; `name` is the CSV header. docs/export-format.md describes each. */
export interface ExportColumn {
  name: string;
}

export const HEART_RATE_COLUMNS: readonly ExportColumn[] = [
  { name: 'time_iso' },
  { name: 'time_ms' },
  { name: 'source_id' },
  { name: 'demo' },
  { name: 'bpm' },
  { name: 'contact' },
  { name: 'interval_count' },
];

export const INTERVAL_COLUMNS: readonly ExportColumn[] = [
  { name: 'time_iso' },
  { name: 'time_ms' },
  { name: 'source_id' },
  { name: 'demo' },
  { name: 'kind' },
  { name: 'index' },
  { name: 'interval_ms' },
];

/**
 * The samples of one minute's chunks (every source of that minute), in time order; at the
 * same time, ordered by source id. Chunks hold one source each, so this is a small merge.
 */
export function minuteSamples(chunks: readonly SampleChunk[]): ExportSample[] {
  const samples: ExportSample[] = [];
  for (const chunk of chunks) {
    for (const sample of chunkSamples(chunk)) {
      samples.push({ ...sample, sourceId: chunk.sourceId, demo: chunk.demo, intervalKind: chunk.intervalKind });
    }
  }
  if (chunks.length > 1) samples.sort((a, b) => a.t - b.t || (a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0));
  return samples;
}

/** ISO 8601 in UTC with milliseconds, e.g. `2026-11-30T07:15:02.250Z`. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * heart-rate.csv lines for these samples (one per sample). Written as template strings, not
 * through csvLine: this runs ~600,000 times for a week, and only the source id is text (its
 * cell is encoded once per source).
 */
export function heartRateLines(samples: readonly ExportSample[]): string {
  const sources = new Map<string, string>();
  let out = '';
  for (const s of samples) {
    const source = sourceCell(sources, s.sourceId);
    out += `${isoTime(s.t)},${s.t},${source},${s.demo ? 1 : 0},${csvCell(s.bpm)},${csvCell(s.contact)},${s.intervalsMs.length}${CSV_LINE_END}`;
  }
  return out;
}

/** intervals.csv lines for these samples (one per beat interval). */
export function intervalLines(samples: readonly ExportSample[]): string {
  const sources = new Map<string, string>();
  let out = '';
  for (const s of samples) {
    if (s.intervalsMs.length === 0) continue;
    const prefix = `${isoTime(s.t)},${s.t},${sourceCell(sources, s.sourceId)},${s.demo ? 1 : 0},${s.intervalKind},`;
    s.intervalsMs.forEach((interval, index) => {
      out += `${prefix}${index},${csvCell(interval)}${CSV_LINE_END}`;
    });
  }
  return out;
}

function sourceCell(cache: Map<string, string>, sourceId: string): string {
  let cell = cache.get(sourceId);
  if (cell === undefined) {
    cell = csvCell(sourceId);
    cache.set(sourceId, cell);
  }
  return cell;
}

/** The count of intervals in these samples. */
export function intervalCount(samples: readonly ExportSample[]): number {
  let n = 0;
  for (const s of samples) n += s.intervalsMs.length;
  return n;
}
