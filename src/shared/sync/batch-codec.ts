import type { IntervalKind, SampleChunk } from '../samples';
import { chunkId, MINUTE_MS } from '../samples';
import { ByteReader, ByteWriter, DecodeError } from './varint';

/**
 * The sync wire format, used both ways (upload batches and pull pages). Documented in
 * docs/sync-protocol.md. Heart-rate chunks travel as delta-encoded varint columns, grouped
 * column by column across all chunks so that gzip finds the repetition; everything else
 * (check-ins, measurements, …) travels as JSON documents in the header.
 *
 *   "STB" 0x01 | uint headerLength | header JSON (UTF-8) | chunk columns
 */

/** Kinds of small JSON records that sync besides heart-rate chunks. */
export type DocKind = 'checkin' | 'measurement' | 'message' | 'message-read' | 'settings';
export const DOC_KINDS: readonly DocKind[] = ['checkin', 'measurement', 'message', 'message-read', 'settings'];
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
export const BATCH_LIMITS = {
  chunks: 20_000,
  samplesPerChunk: MINUTE_MS,
  intervalsPerChunk: 4 * MINUTE_MS,
  docs: 5_000,
  docBytes: 16 * 1024,
  idLength: 128,
  headerBytes: 8 * 1024 * 1024,
} as const;

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
  // Columns: each is delta-encoded within its chunk, so the common case is one byte a value.
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
  const values = new Array<number>(count);
  let previous = 0;
  for (let i = 0; i < count; i++) {
    previous += input.int(field);
    values[i] = previous;
  }
  return values;
}

/** Decodes and validates a batch. Throws DecodeError naming the first bad field. */
export function decodeBatch(bytes: Uint8Array): SyncBatch {
  const input = new ByteReader(bytes);
  const magic = input.raw(4, 'magic');
  if (MAGIC.some((b, i) => magic[i] !== b)) throw new DecodeError('magic', 'not a Steady sync batch (expected "STB" version 1)');
  const headerLength = input.uint('header.length');
  if (headerLength > BATCH_LIMITS.headerBytes) throw new DecodeError('header', `larger than ${BATCH_LIMITS.headerBytes} bytes`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(input.raw(headerLength, 'header')));
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    throw new DecodeError('header', `not valid UTF-8 JSON (${String(error)})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new DecodeError('header', 'must be a JSON object');
  const { sources, chunkCount, docs, ...rest } = header;
  if (!Array.isArray(sources) || !sources.every((s) => typeof s === 'string' && s.length > 0 && s.length <= BATCH_LIMITS.idLength)) {
    throw new DecodeError('header.sources', 'must be a list of non-empty source ids');
  }
  if (!Number.isSafeInteger(chunkCount) || (chunkCount as number) < 0 || (chunkCount as number) > BATCH_LIMITS.chunks) {
    throw new DecodeError('header.chunkCount', `must be a whole number from 0 to ${BATCH_LIMITS.chunks}`);
  }
  const chunks = decodeChunks(input, sources as string[], chunkCount as number);
  if (input.remaining !== 0) throw new DecodeError('body', `${input.remaining} unexpected bytes after the last column`);
  return { header: rest, chunks, docs: validateDocs(docs) };
}

function decodeChunks(input: ByteReader, sources: string[], count: number): SampleChunk[] {
  const chunks: SampleChunk[] = [];
  let minuteStart = 0;
  for (let i = 0; i < count; i++) {
    const field = `chunks[${i}]`;
    const sourceId = sources[input.uint(`${field}.source`)];
    if (sourceId === undefined) throw new DecodeError(`${field}.source`, 'unknown source index');
    minuteStart += input.int(`${field}.minuteStart`) * MINUTE_MS;
    const flags = input.uint(`${field}.flags`);
    const intervalKind = KINDS_BY_CODE[flags >> 1];
    if (flags > 3 || intervalKind === undefined) throw new DecodeError(`${field}.flags`, `unknown flags ${flags}`);
    const samples = input.uint(`${field}.samples`);
    const intervals = input.uint(`${field}.intervals`);
    if (samples > BATCH_LIMITS.samplesPerChunk) throw new DecodeError(`${field}.samples`, 'more samples than milliseconds in a minute');
    if (intervals > BATCH_LIMITS.intervalsPerChunk) throw new DecodeError(`${field}.intervals`, 'too many intervals');
    if (!Number.isSafeInteger(minuteStart) || minuteStart < 0) throw new DecodeError(`${field}.minuteStart`, 'out of range');
    chunks.push({
      id: chunkId(sourceId, minuteStart),
      sourceId,
      demo: (flags & 1) === 1,
      minuteStart,
      intervalKind,
      offsets: new Array(samples),
      bpm: [],
      contact: [],
      intervalCounts: [],
      intervalsMs: new Array(intervals),
    });
  }
  for (const [i, c] of chunks.entries()) {
    c.offsets = readDeltas(input, c.offsets.length, `chunks[${i}].offsets`);
    c.offsets.forEach((offset, j) => {
      const previous = j === 0 ? -1 : (c.offsets[j - 1] ?? -1);
      if (offset <= previous || offset >= MINUTE_MS) throw new DecodeError(`chunks[${i}].offsets[${j}]`, 'must ascend within the minute');
    });
  }
  for (const [i, c] of chunks.entries()) {
    c.bpm = readDeltas(input, c.offsets.length, `chunks[${i}].bpm`);
    const bad = c.bpm.findIndex((b) => b < 1 || b > 400);
    if (bad >= 0) throw new DecodeError(`chunks[${i}].bpm[${bad}]`, `heart rate ${c.bpm[bad]} is outside 1–400`);
  }
  for (const [i, c] of chunks.entries()) {
    c.contact = Array.from({ length: c.offsets.length }, () => input.int(`chunks[${i}].contact`));
    if (c.contact.some((v) => v < -1 || v > 1)) throw new DecodeError(`chunks[${i}].contact`, 'must be -1, 0 or 1');
  }
  for (const [i, c] of chunks.entries()) {
    c.intervalCounts = Array.from({ length: c.offsets.length }, () => input.uint(`chunks[${i}].intervalCounts`));
    const total = c.intervalCounts.reduce((a, b) => a + b, 0);
    if (total !== c.intervalsMs.length)
      throw new DecodeError(`chunks[${i}].intervalCounts`, `add up to ${total}, header says ${c.intervalsMs.length}`);
  }
  for (const [i, c] of chunks.entries()) {
    c.intervalsMs = readDeltas(input, c.intervalsMs.length, `chunks[${i}].intervalsMs`);
    const bad = c.intervalsMs.findIndex((v) => v < 1 || v > 65_535);
    if (bad >= 0) throw new DecodeError(`chunks[${i}].intervalsMs[${bad}]`, `interval ${c.intervalsMs[bad]} ms is out of range`);
  }
  const ids = new Set<string>();
  for (const [i, c] of chunks.entries()) {
    if (ids.has(c.id)) throw new DecodeError(`chunks[${i}]`, `duplicate chunk ${c.id}`);
    ids.add(c.id);
  }
  return chunks;
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
