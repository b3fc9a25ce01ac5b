/**
 * Messages between the page and the export worker (src/workers/export-worker.ts), defined once.
 * `B` is the runtime's Blob type: shared code has no Blob of its own.
 */

export type ExportFormat = 'csv' | 'json';

/** The tables of the CSV export, in the order they are offered. */
export const CSV_TABLES = [
  'heart-rate',
  'intervals',
  'check-ins',
  'symptom-ratings',
  'measurements',
  'messages',
  'treatments',
  'gaps',
] as const;
export type CsvTableName = (typeof CSV_TABLES)[number];

/** One finished file. */
export interface ExportFile<B> {
  name: string;
  mediaType: string;
  blob: B;
  /** Data rows (CSV, header not counted) or heart-rate samples (JSON). */
  rows: number;
}

/** `steady-heart-rate-2026-11-30.csv`: the local date of the export. */
export function exportFileName(what: CsvTableName | 'export', now: number, extension: 'csv' | 'json'): string {
  const d = new Date(now);
  const date = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  return `steady-${what}-${date}.${extension}`;
}

export const CSV_MEDIA_TYPE = 'text/csv;charset=utf-8';
export const JSON_MEDIA_TYPE = 'application/json';
