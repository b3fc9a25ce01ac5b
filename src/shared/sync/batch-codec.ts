import type { IntervalKind, SampleChunk } from '../samples';
import { CHUNK_LIMITS, chunkId, MINUTE_MS } from '../samples';
import { ByteReader, ByteWriter, DecodeError } from './varint';

/**
 * The sync wire format, used both ways (upload batches and pull pages). Documented in
 * docs/sync-protocol.md. Heart-rate chunks travel as varint columns (offsets, bpm and
 * intervals delta-encoded within their chunk; contact and interval counts plain), grouped
 * column by column across all chunks so that gzip finds the repetition; everything else
 * (check-ins, measurements, …) travels as JSON documents in the header.
 *
 *   "STB" 0x01 | uint headerLength | header JSON (UTF-8) | chunk columns
 */

/** Kinds of small JSON records that sync besides heart-rate chunks. */
export type DocKind = 'checkin' | 'measurement' | 'message' | 'message-read' | 'settings' | 'treatment' | 'stand-test';
export const DOC_KINDS: readonly DocKind[] = ['checkin', 'measurement', 'message', 'message-read', 'settings', 'treatment', 'stand-test'];
/** Kinds only the server writes (messages from a care team or the service). */
export const SERVER_DOC_KINDS: readonly DocKind[] = ['message'];

/** A small record synced as JSON; later edits replace earlier ones in server order. */
export interface DocRecord {
  kind: DocKind;
  /** Client-generated, unique per kind within the account. */
  id: string;
  body: Record<string, unknown>;
}

export interface SyncBatch<H extends Record<string, unknown> = Record<string, unknown>> {
  header: H;
  chunks: SampleChunk[];
  docs: DocRecord[];
}

const MAGIC = [0x53, 0x54, 0x42, 0x01]; // "STB" v1
/**
 * What one batch may hold, in both directions (docs/sync-protocol.md, "Limits"). The client
 * splits its uploads to fit (engine.ts) and the server its pull pages (server/sync/pull.ts).
 * 150,000 samples is ~2,500 minutes of a 1 Hz strap: a batch decodes into at most ~900,000
 * numbers however its bytes are crafted.
 */
export const BATCH_LIMITS = {
  chunks: 5_000,
  samples: 150_000,
  intervals: 300_000,
  samplesPerChunk: CHUNK_LIMITS.samples,
  intervalsPerChunk: CHUNK_LIMITS.intervals,
  docs: 5_000,
  docBytes: 16 * 1024,
  idLength: 128,
  headerBytes: 8 * 1024 * 1024,
  /** Nesting of the header JSON, documents' bodies included: deeper would overflow recursive code (JSON.stringify). */
  jsonDepth: 32,
} as const;

/** The bytes a chunk's fixed fields take at the least (five one-byte varints). */
const MIN_CHUNK_HEAD_BYTES = 5;

const KIND_CODES: Record<IntervalKind, number> = { rr: 0, ppi: 1 };
const KINDS_BY_CODE: IntervalKind[] = ['rr', 'ppi'];

/** Encodes a batch; the result is then gzip-compressed for the wire. */
export function encodeBatch(batch: SyncBatch): Uint8Array<ArrayBuffer> {
  const sources = [...new Set(batch.chunks.map((c) => c.sourceId))];
  const sourceIndex = new Map(sources.map((s, i) => [s, i]));
  const header = JSON.stringify({ ...batch.header, sources, chunkCount: batch.chunks.length, docs: batch.docs });
  const headerBytes = new TextEncoder().encode(header);
  const out = new ByteWriter();
  out.raw(new Uint8Array(MAGIC));
  out.uint(headerBytes.length);
  out.raw(headerBytes);

  let previousMinute = 0;
  for (const chunk of batch.chunks) {
    out.uint(sourceIndex.get(chunk.sourceId) ?? 0);
    out.int((chunk.minuteStart - previousMinute) / MINUTE_MS);
    previousMinute = chunk.minuteStart;
    out.uint((chunk.demo ? 1 : 0) | (KIND_CODES[chunk.intervalKind] << 1));
    out.uint(chunk.offsets.length);
    out.uint(chunk.intervalsMs.length);
  }
  // Columns. Offsets, bpm and intervals are delta-encoded within their chunk (zigzag, as a
  // delta may be negative), so the common case is one byte a value; contact (zigzag, as it
  // holds -1) and interval counts (unsigned) are plain values, already one byte each.
  for (const chunk of batch.chunks) writeDeltas(out, chunk.offsets);
  for (const chunk of batch.chunks) writeDeltas(out, chunk.bpm);
  for (const chunk of batch.chunks) for (const c of chunk.contact) out.int(c);
  for (const chunk of batch.chunks) for (const n of chunk.intervalCounts) out.uint(n);
  for (const chunk of batch.chunks) writeDeltas(out, chunk.intervalsMs);
  return out.finish();
}

function writeDeltas(out: ByteWriter, values: readonly number[]): void {
  let previous = 0;
  for (const value of values) {
    out.int(value - previous);
    previous = value;
  }
}

function readDeltas(input: ByteReader, count: number, field: string): number[] {
  const values: number[] = [];
  let previous = 0;
  for (let i = 0; i < count; i++) {
    previous += input.int(field);
    values.push(previous);
  }
  return values;
}

/**
 * Decodes and validates a batch. Throws DecodeError naming the first bad field, and nothing
 * else, whatever the bytes. Every count is checked against the limits and against the bytes
 * left (each value takes at least one) before anything is allocated for it, so the memory a
 * decode takes is bounded by a small multiple of the input's length.
 */
export function decodeBatch(bytes: Uint8Array): SyncBatch {
  const input = new ByteReader(bytes);
  const magic = input.raw(4, 'magic');
  if (MAGIC.some((b, i) => magic[i] !== b)) throw new DecodeError('magic', 'not a Steady sync batch (expected "STB" version 1)');
  const headerLength = input.uint('header.length');
  if (headerLength > BATCH_LIMITS.headerBytes) throw new DecodeError('header', `larger than ${BATCH_LIMITS.headerBytes} bytes`);
  const header = parseHeader(input.raw(headerLength, 'header'));
  const { sources, chunkCount, docs, ...rest } = header;
  if (!Array.isArray(sources) || !sources.every((s) => typeof s === 'string' && s.length > 0 && s.length <= BATCH_LIMITS.idLength)) {
    throw new DecodeError('header.sources', 'must be a list of non-empty source ids');
  }
  if (!Number.isSafeInteger(chunkCount) || (chunkCount as number) < 0 || (chunkCount as number) > BATCH_LIMITS.chunks) {
    throw new DecodeError('header.chunkCount', `must be a whole number from 0 to ${BATCH_LIMITS.chunks}`);
  }
  if ((chunkCount as number) * MIN_CHUNK_HEAD_BYTES > input.remaining)
    throw new DecodeError('header.chunkCount', `${chunkCount} chunks cannot fit in the ${input.remaining} bytes that follow`);
  const validDocs = validateDocs(docs);
  const chunks = decodeChunks(input, sources as string[], chunkCount as number);
  if (input.remaining !== 0) throw new DecodeError('body', `${input.remaining} unexpected bytes after the last column`);
  return { header: rest, chunks, docs: validDocs };
}

function parseHeader(bytes: Uint8Array): Record<string, unknown> {
  checkJsonDepth(bytes, BATCH_LIMITS.jsonDepth);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new DecodeError('header', `not valid UTF-8 JSON (${String(error)})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new DecodeError('header', 'must be a JSON object');
  return header as Record<string, unknown>;
}

/**
 * Refuses JSON nested deeper than `limit`, from its bytes, before it is parsed: code that walks
 * a document recursively (JSON.stringify, a database driver) would overflow the stack on it.
 * Brackets inside strings do not count; UTF-8 never puts these ASCII bytes inside another character.
 */
function checkJsonDepth(bytes: Uint8Array, limit: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === 0x5c)
        i++; // backslash: the next byte is escaped
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > limit) throw new DecodeError('header', `JSON nested deeper than ${limit} levels`);
    } else if (byte === 0x7d || byte === 0x5d) depth--;
  }
}

interface ChunkHead extends Omit<SampleChunk, 'offsets' | 'bpm' | 'contact' | 'intervalCounts' | 'intervalsMs'> {
  samples: number;
  intervals: number;
}

function decodeChunks(input: ByteReader, sources: string[], count: number): SampleChunk[] {
  const heads: ChunkHead[] = [];
  let minuteStart = 0;
  let totalSamples = 0;
  let totalIntervals = 0;
  for (let i = 0; i < count; i++) {
    const field = `chunks[${i}]`;
    const sourceId = sources[input.uint(`${field}.source`)];
    if (sourceId === undefined) throw new DecodeError(`${field}.source`, 'unknown source index');
    minuteStart += input.int(`${field}.minuteStart`) * MINUTE_MS;
    if (!Number.isSafeInteger(minuteStart) || minuteStart < 0) throw new DecodeError(`${field}.minuteStart`, 'out of range');
    const flags = input.uint(`${field}.flags`);
    const intervalKind = KINDS_BY_CODE[flags >> 1];
    if (flags > 3 || intervalKind === undefined) throw new DecodeError(`${field}.flags`, `unknown flags ${flags}`);
    const samples = input.uint(`${field}.samples`);
    const intervals = input.uint(`${field}.intervals`);
    if (samples > BATCH_LIMITS.samplesPerChunk)
      throw new DecodeError(`${field}.samples`, `${samples} samples in a minute; at most ${BATCH_LIMITS.samplesPerChunk}`);
    if (intervals > BATCH_LIMITS.intervalsPerChunk)
      throw new DecodeError(`${field}.intervals`, `${intervals} intervals in a minute; at most ${BATCH_LIMITS.intervalsPerChunk}`);
    totalSamples += samples;
    totalIntervals += intervals;
    if (totalSamples > BATCH_LIMITS.samples)
      throw new DecodeError(`${field}.samples`, `more than ${BATCH_LIMITS.samples} samples in one batch`);
    if (totalIntervals > BATCH_LIMITS.intervals)
      throw new DecodeError(`${field}.intervals`, `more than ${BATCH_LIMITS.intervals} intervals in one batch`);
    heads.push({ id: chunkId(sourceId, minuteStart), sourceId, demo: (flags & 1) === 1, minuteStart, intervalKind, samples, intervals });
  }
  // Four columns of one value a sample, one of one value an interval; each value is at least a byte.
  const values = totalSamples * 4 + totalIntervals;
  if (values > input.remaining)
    throw new DecodeError('body', `the chunks declare ${values} values but only ${input.remaining} bytes follow`);

  const offsets = heads.map((h, i) => readDeltas(input, h.samples, `chunks[${i}].offsets`));
  offsets.forEach((column, i) => {
    const bad = column.findIndex((offset, j) => offset <= (j === 0 ? -1 : (column[j - 1] ?? -1)) || offset >= MINUTE_MS);
    if (bad >= 0) throw new DecodeError(`chunks[${i}].offsets[${bad}]`, 'must ascend within the minute');
  });
  const bpm = heads.map((h, i) => readDeltas(input, h.samples, `chunks[${i}].bpm`));
  bpm.forEach((column, i) => {
    const bad = column.findIndex((b) => b < 1 || b > 400);
    if (bad >= 0) throw new DecodeError(`chunks[${i}].bpm[${bad}]`, `heart rate ${column[bad]} is outside 1–400`);
  });
  const contact = heads.map((h, i) => readPlain(h.samples, `chunks[${i}].contact`, (field) => input.int(field)));
  contact.forEach((column, i) => {
    if (column.some((v) => v < -1 || v > 1)) throw new DecodeError(`chunks[${i}].contact`, 'must be -1, 0 or 1');
  });
  const intervalCounts = heads.map((h, i) => readPlain(h.samples, `chunks[${i}].intervalCounts`, (field) => input.uint(field)));
  intervalCounts.forEach((column, i) => {
    const declared = heads[i]?.intervals ?? 0;
    let total = 0;
    for (const n of column) total += n; // at most 600 values below 2^53: no overflow past the check
    if (total !== declared) throw new DecodeError(`chunks[${i}].intervalCounts`, `add up to ${total}, header says ${declared}`);
  });
  const intervalsMs = heads.map((h, i) => readDeltas(input, h.intervals, `chunks[${i}].intervalsMs`));
  intervalsMs.forEach((column, i) => {
    const bad = column.findIndex((v) => v < 1 || v > 65_535);
    if (bad >= 0) throw new DecodeError(`chunks[${i}].intervalsMs[${bad}]`, `interval ${column[bad]} ms is out of range`);
  });

  const ids = new Set<string>();
  return heads.map(({ samples: _s, intervals: _n, ...head }, i) => {
    if (ids.has(head.id)) throw new DecodeError(`chunks[${i}]`, `duplicate chunk ${head.id}`);
    ids.add(head.id);
    return {
      ...head,
      offsets: offsets[i] ?? [],
      bpm: bpm[i] ?? [],
      contact: contact[i] ?? [],
      intervalCounts: intervalCounts[i] ?? [],
      intervalsMs: intervalsMs[i] ?? [],
    };
  });
}

function readPlain(count: number, field: string, read: (field: string) => number): number[] {
  const values: number[] = [];
  for (let i = 0; i < count; i++) values.push(read(field));
  return values;
}

function validateDocs(docs: unknown): DocRecord[] {
  if (docs === undefined) return [];
  if (!Array.isArray(docs)) throw new DecodeError('header.docs', 'must be a list');
  if (docs.length > BATCH_LIMITS.docs) throw new DecodeError('header.docs', `more than ${BATCH_LIMITS.docs} documents`);
  const seen = new Set<string>();
  return docs.map((doc: unknown, i) => {
    const field = `docs[${i}]`;
    if (typeof doc !== 'object' || doc === null) throw new DecodeError(field, 'must be an object');
    const { kind, id, body } = doc as Record<string, unknown>;
    if (!DOC_KINDS.includes(kind as DocKind)) throw new DecodeError(`${field}.kind`, `must be one of ${DOC_KINDS.join(', ')}`);
    if (typeof id !== 'string' || id.length === 0 || id.length > BATCH_LIMITS.idLength)
      throw new DecodeError(`${field}.id`, 'must be a non-empty string');
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new DecodeError(`${field}.body`, 'must be an object');
    if (JSON.stringify(body).length > BATCH_LIMITS.docBytes)
      throw new DecodeError(`${field}.body`, `larger than ${BATCH_LIMITS.docBytes} bytes`);
    const key = `${kind}|${id}`;
    if (seen.has(key)) throw new DecodeError(`${field}.id`, `duplicate ${key}`);
    seen.add(key);
    return { kind: kind as DocKind, id, body: body as Record<string, unknown> };
  });
}
