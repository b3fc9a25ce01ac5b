import zlib from 'node:zlib';
import { chunkSamples } from '../../src/shared/samples';
import { decodeBatch, encodeBatch, SERVER_DOC_KINDS } from '../../src/shared/sync/batch-codec';
import type { PullHeader, Reading } from '../../src/shared/sync/protocol';
import { DecodeError } from '../../src/shared/sync/varint';
import type { StoredPage } from './pull';
import { bodyToChunk, chunkToBody, docToBody, sha256 } from './record-codec';

/** Largest batch once decompressed: bounds memory whatever a gzip bomb claims. */
export const MAX_DECOMPRESSED = 128 * 1024 * 1024;

/** One record of an upload, as the database stores it. */
export interface PreparedRecord {
  kind: string;
  recordId: string;
  t: number | null;
  body: string;
  hash: string;
  /** Where it sits in the batch (`chunks[3]`, `docs[0]`), for error messages. */
  field: string;
}

/** An upload made ready to store, or why it cannot be: plain data, so it crosses a worker boundary. */
export type PreparedBatch =
  | { ok: true; contentHash: string; records: PreparedRecord[] }
  | { ok: false; status: 400 | 413; code: 'MALFORMED_BATCH' | 'BATCH_TOO_LARGE'; message: string };

/**
 * The CPU-heavy half of an upload: inflate, decode and validate, re-encode each chunk as the
 * database keeps it, hash. Runs in a worker thread (batch-pool.ts), never on the event loop.
 * Answers every failure as a value: nothing thrown here may become a 500.
 */
export function prepareBatch(gzipped: Uint8Array): PreparedBatch {
  let raw: Buffer;
  try {
    raw = zlib.gunzipSync(gzipped, { maxOutputLength: MAX_DECOMPRESSED });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      return {
        ok: false,
        status: 413,
        code: 'BATCH_TOO_LARGE',
        message: `batch is larger than ${MAX_DECOMPRESSED} bytes once decompressed`,
      };
    return { ok: false, status: 400, code: 'MALFORMED_BATCH', message: `batch is not valid gzip (${(error as Error).message})` };
  }
  try {
    const batch = decodeBatch(raw);
    const serverOnly = batch.docs.findIndex((doc) => SERVER_DOC_KINDS.includes(doc.kind));
    if (serverOnly >= 0) {
      const kind = batch.docs[serverOnly]?.kind;
      return malformed(`docs[${serverOnly}].kind: ${kind} records are written by the server only`);
    }
    const records = batch.chunks.map((chunk, i): PreparedRecord => {
      const body = chunkToBody(chunk);
      return { kind: 'chunk', recordId: chunk.id, t: chunk.minuteStart, body, hash: sha256(body), field: `chunks[${i}]` };
    });
    batch.docs.forEach((doc, i) => {
      const body = docToBody(doc);
      records.push({ kind: doc.kind, recordId: doc.id, t: null, body, hash: sha256(body), field: `docs[${i}]` });
    });
    return { ok: true, contentHash: sha256(raw), records };
  } catch (error) {
    // The codec's own errors name the field; anything else is still the batch's fault, never the server's.
    return malformed(error instanceof DecodeError ? error.message : `could not be read (${String(error)})`);
  }
}

function malformed(message: string): PreparedBatch {
  return { ok: false, status: 400, code: 'MALFORMED_BATCH', message: `batch rejected: ${message}` };
}

/** A pull page in the wire format, gzip-compressed, from the bodies the database holds. */
export function encodePage(page: StoredPage): Uint8Array {
  const header: PullHeader = { cursor: page.cursor, more: page.more };
  const chunks = page.chunkBodies.map(bodyToChunk);
  const docs = page.docs.map((doc) => ({ kind: doc.kind, id: doc.id, body: JSON.parse(doc.body) as Record<string, unknown> }));
  return zlib.gzipSync(encodeBatch({ header, chunks, docs }));
}

/** What a readings page needs: its chunks in (minute, record id) order and the range asked for. */
export interface ReadingsTask {
  bodies: string[];
  from: number;
  to: number;
}

/** The readings of a page as the JSON of a list's items, oldest first (samples of one minute sorted together). */
export function readingsJson({ bodies, from, to }: ReadingsTask): string {
  const parts: string[] = [];
  let minute: Reading[] = [];
  let minuteStart: number | null = null;
  const flush = () => {
    minute.sort((a, b) => a.t.localeCompare(b.t));
    if (minute.length > 0) parts.push(minute.map((r) => JSON.stringify(r)).join(','));
    minute = [];
  };
  for (const body of bodies) {
    const chunk = bodyToChunk(body);
    if (chunk.minuteStart !== minuteStart) flush();
    minuteStart = chunk.minuteStart;
    for (const sample of chunkSamples(chunk)) {
      if (sample.t < from || sample.t >= to) continue;
      minute.push({
        t: new Date(sample.t).toISOString(),
        bpm: sample.bpm,
        contact: sample.contact,
        intervalsMs: sample.intervalsMs,
        intervalKind: chunk.intervalKind,
        sourceId: chunk.sourceId,
        demo: chunk.demo,
      });
    }
  }
  flush();
  return parts.join(',');
}
