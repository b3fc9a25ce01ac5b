import type { ArchiveCounts } from './backup';
import { CHUNK_LIMITS, chunkId, chunkWithinLimits, MINUTE_MS, type RecordingGap, type SampleChunk } from './samples';
import { BATCH_LIMITS, DOC_KINDS, type DocKind, type DocRecord } from './sync/batch-codec';

/**
 * The backup archive (docs/backup-format.md): gzip of NDJSON, one record a line, between a
 * header line and an end line that counts what came before it. Written line by line and
 * read line by line, so neither side ever holds more than one page of records.
 */

export const ARCHIVE_FORMAT = 'steady-backup';
export const ARCHIVE_VERSION = 1;
/** Longest line a reader accepts; a minute of samples is a few KB. */
export const MAX_LINE_CHARS = 8 * 1024 * 1024;

export interface ArchiveHeader {
  type: 'header';
  format: typeof ARCHIVE_FORMAT;
  version: typeof ARCHIVE_VERSION;
  createdAt: string;
  /** `device`: a device's IndexedDB; `server`: the account's synced records. */
  source: 'device' | 'server';
  accountId: string | null;
  deviceId: string | null;
}

export type ArchiveRecord = { type: 'chunk'; data: SampleChunk } | { type: 'gap'; data: RecordingGap } | { type: 'doc'; data: DocRecord };
export type ArchiveLine = ArchiveHeader | ArchiveRecord | { type: 'end'; counts: ArchiveCounts };

/** The archive is malformed; `field` names what, `line` where (1-based). */
export class ArchiveError extends Error {
  readonly code = 'BAD_ARCHIVE';
  constructor(
    readonly line: number,
    readonly field: string,
    message: string,
  ) {
    super(`line ${line}: ${field}: ${message}`);
    this.name = 'ArchiveError';
  }
}

/** One line of the archive, newline included. */
export function encodeLine(line: ArchiveLine): string {
  return `${JSON.stringify(line)}\n`;
}

export function archiveHeader(
  source: ArchiveHeader['source'],
  accountId: string | null,
  deviceId: string | null,
  now = new Date(),
): ArchiveHeader {
  return { type: 'header', format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, createdAt: now.toISOString(), source, accountId, deviceId };
}

/** Splits text that arrives in pieces into whole lines. */
export class LineSplitter {
  private rest = '';

  push(text: string): string[] {
    const parts = (this.rest + text).split('\n');
    this.rest = parts.pop() ?? '';
    if (this.rest.length > MAX_LINE_CHARS) throw new ArchiveError(0, 'line', `longer than ${MAX_LINE_CHARS} characters`);
    return parts;
  }

  /** What is left once the input has ended (a last line without its newline). */
  flush(): string[] {
    const last = this.rest;
    this.rest = '';
    return last === '' ? [] : [last];
  }
}

/**
 * Reads an archive's lines in order and hands back its records, validated. Checks that the
 * header comes first, and — in `finish()` — that the end line came and its counts match:
 * a truncated archive fails there, after its complete records were already handed out.
 */
export class ArchiveReader {
  header: ArchiveHeader | null = null;
  readonly counts: ArchiveCounts = { chunks: 0, gaps: 0, docs: 0 };
  private lineNumber = 0;
  private ended = false;

  /** The records among these lines (blank lines are skipped). */
  read(lines: readonly string[]): ArchiveRecord[] {
    const records: ArchiveRecord[] = [];
    for (const text of lines) {
      this.lineNumber++;
      if (text.trim() === '') continue;
      if (this.ended) throw new ArchiveError(this.lineNumber, 'end', 'data after the end line');
      const line = parseLine(text, this.lineNumber);
      if (!this.header) {
        if (line.type !== 'header') throw new ArchiveError(this.lineNumber, 'type', `expected the header first, got ${line.type}`);
        this.header = line;
        continue;
      }
      switch (line.type) {
        case 'header':
          throw new ArchiveError(this.lineNumber, 'type', 'a second header');
        case 'end':
          for (const kind of ['chunks', 'gaps', 'docs'] as const) {
            if (line.counts[kind] !== this.counts[kind]) {
              throw new ArchiveError(
                this.lineNumber,
                `counts.${kind}`,
                `says ${line.counts[kind]}, the archive holds ${this.counts[kind]}`,
              );
            }
          }
          this.ended = true;
          break;
        case 'chunk':
          this.counts.chunks++;
          records.push(line);
          break;
        case 'gap':
          this.counts.gaps++;
          records.push(line);
          break;
        case 'doc':
          this.counts.docs++;
          records.push(line);
          break;
      }
    }
    return records;
  }

  /** Throws unless the whole archive, end line included, was read. */
  finish(): ArchiveCounts {
    if (!this.header) throw new ArchiveError(this.lineNumber, 'header', 'the archive is empty');
    if (!this.ended) throw new ArchiveError(this.lineNumber, 'end', 'the archive is truncated (no end line)');
    return this.counts;
  }
}

/** Parses and validates one line. */
export function parseLine(text: string, lineNumber: number): ArchiveLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ArchiveError(lineNumber, 'json', `not valid JSON (${String(error)})`);
  }
  const fail = (field: string, message: string) => new ArchiveError(lineNumber, field, message);
  if (!isObject(value)) throw fail('line', 'must be a JSON object');
  switch (value.type) {
    case 'header': {
      if (value.format !== ARCHIVE_FORMAT) throw fail('format', `must be "${ARCHIVE_FORMAT}"`);
      if (value.version !== ARCHIVE_VERSION)
        throw fail('version', `version ${String(value.version)} is not supported (expected ${ARCHIVE_VERSION})`);
      if (typeof value.createdAt !== 'string') throw fail('createdAt', 'must be a string');
      if (value.source !== 'device' && value.source !== 'server') throw fail('source', 'must be "device" or "server"');
      return value as unknown as ArchiveHeader;
    }
    case 'chunk':
      return { type: 'chunk', data: validateChunk(value.data, fail) };
    case 'gap':
      return { type: 'gap', data: validateGap(value.data, fail) };
    case 'doc':
      return { type: 'doc', data: validateDoc(value.data, fail) };
    case 'end': {
      const counts = value.counts;
      if (!isObject(counts) || !['chunks', 'gaps', 'docs'].every((k) => isCount(counts[k])))
        throw fail('counts', 'must count chunks, gaps and docs');
      return { type: 'end', counts: counts as unknown as ArchiveCounts };
    }
    default:
      throw fail('type', `unknown record type ${JSON.stringify(value.type)}`);
  }
}

type Fail = (field: string, message: string) => ArchiveError;

function validateChunk(data: unknown, fail: Fail): SampleChunk {
  if (!isObject(data)) throw fail('data', 'must be an object');
  const { sourceId, minuteStart, demo, intervalKind } = data;
  if (!isId(sourceId)) throw fail('data.sourceId', 'must be a non-empty string');
  if (!Number.isSafeInteger(minuteStart) || (minuteStart as number) < 0 || (minuteStart as number) % MINUTE_MS !== 0)
    throw fail('data.minuteStart', 'must be the start of a UTC minute');
  if (data.id !== chunkId(sourceId, minuteStart as number))
    throw fail('data.id', 'must be the source id and the minute start, joined by "|"');
  if (typeof demo !== 'boolean') throw fail('data.demo', 'must be true or false');
  if (intervalKind !== 'rr' && intervalKind !== 'ppi') throw fail('data.intervalKind', 'must be "rr" or "ppi"');
  const column = (name: string, min: number, max: number): number[] => {
    const values = data[name];
    if (!Array.isArray(values)) throw fail(`data.${name}`, 'must be a list');
    const bad = values.findIndex((v) => !Number.isInteger(v) || v < min || v > max);
    if (bad >= 0) throw fail(`data.${name}[${bad}]`, `must be a whole number from ${min} to ${max}`);
    return values as number[];
  };
  const offsets = column('offsets', 0, MINUTE_MS - 1);
  const bpm = column('bpm', 1, 400);
  const contact = column('contact', -1, 1);
  const intervalCounts = column('intervalCounts', 0, BATCH_LIMITS.intervalsPerChunk);
  const intervalsMs = column('intervalsMs', 1, 65_535);
  const n = offsets.length;
  if (bpm.length !== n || contact.length !== n || intervalCounts.length !== n) throw fail('data', 'columns must have one entry per sample');
  if (offsets.some((o, i) => i > 0 && o <= (offsets[i - 1] ?? -1))) throw fail('data.offsets', 'must ascend');
  if (intervalCounts.reduce((a, b) => a + b, 0) !== intervalsMs.length) throw fail('data.intervalCounts', 'must add up to the intervals');
  // Sync refuses more (CHUNK_LIMITS): a chunk imported past them could never go up.
  if (!chunkWithinLimits({ offsets, intervalsMs }))
    throw fail('data', `holds more than ${CHUNK_LIMITS.samples} samples or ${CHUNK_LIMITS.intervals} intervals in one minute`);
  return {
    id: data.id as string,
    sourceId,
    demo,
    minuteStart: minuteStart as number,
    intervalKind,
    offsets,
    bpm,
    contact,
    intervalCounts,
    intervalsMs,
  };
}

function validateGap(data: unknown, fail: Fail): RecordingGap {
  if (!isObject(data)) throw fail('data', 'must be an object');
  const { sourceId, start, end, reason } = data;
  if (!isId(sourceId)) throw fail('data.sourceId', 'must be a non-empty string');
  if (!Number.isSafeInteger(start)) throw fail('data.start', 'must be epoch milliseconds');
  if (data.id !== `${sourceId}|${start}`) throw fail('data.id', 'must be the source id and the start, joined by "|"');
  if (end !== null && !Number.isSafeInteger(end)) throw fail('data.end', 'must be epoch milliseconds or null');
  if (reason !== 'disconnected' && reason !== 'no-contact' && reason !== 'page-closed') throw fail('data.reason', 'unknown reason');
  return { id: data.id as string, sourceId, start: start as number, end: end as number | null, reason };
}

function validateDoc(data: unknown, fail: Fail): DocRecord {
  if (!isObject(data)) throw fail('data', 'must be an object');
  const { kind, id, body } = data;
  if (!DOC_KINDS.includes(kind as DocKind)) throw fail('data.kind', `must be one of ${DOC_KINDS.join(', ')}`);
  if (!isId(id)) throw fail('data.id', 'must be a non-empty string');
  if (!isObject(body)) throw fail('data.body', 'must be an object');
  return { kind: kind as DocKind, id, body };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= BATCH_LIMITS.idLength;
}

function isCount(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
