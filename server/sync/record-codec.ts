import { createHash } from 'node:crypto';
import type { SampleChunk } from '../../src/shared/samples';
import { type DocRecord, decodeBatch, encodeBatch } from '../../src/shared/sync/batch-codec';
import { ByteReader } from '../../src/shared/sync/varint';

/** How a chunk is kept in `sync_records.body`: the wire format of a one-chunk batch, base64. */
export function chunkToBody(chunk: SampleChunk): string {
  return Buffer.from(encodeBatch({ header: {}, chunks: [chunk], docs: [] })).toString('base64');
}

export function bodyToChunk(body: string): SampleChunk {
  const chunk = decodeBatch(Buffer.from(body, 'base64')).chunks[0];
  if (!chunk) throw new Error('stored chunk body holds no chunk');
  return chunk;
}

/** How many samples and intervals a stored chunk holds, read from its fixed fields only. */
export function chunkBodyCounts(body: string): { samples: number; intervals: number } {
  const input = new ByteReader(Buffer.from(body, 'base64'));
  input.raw(4, 'magic');
  input.raw(input.uint('header.length'), 'header');
  for (const field of ['source', 'minuteStart', 'flags']) input.uint(field);
  return { samples: input.uint('samples'), intervals: input.uint('intervals') };
}

export function docToBody(doc: DocRecord): string {
  return JSON.stringify(doc.body);
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('base64url');
}

/** Cursors are opaque to clients: a version tag and a position in the account's server order. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`v1:${seq}`).toString('base64url');
}

/** The position a cursor stands for, or null when it is not one of ours. */
export function decodeCursor(cursor: string): number | null {
  const match = /^v1:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match?.[1] ? Number(match[1]) : null;
}

/** A readings page's continuation: the last chunk it held, by minute and record id. */
export function encodeReadingsCursor(position: { t: number; recordId: string }): string {
  return Buffer.from(`r1:${position.t}:${position.recordId}`).toString('base64url');
}

/** The position a readings cursor stands for, or null when it is not one of ours. */
export function decodeReadingsCursor(cursor: string): { t: number; recordId: string } | null {
  const match = /^r1:(\d{1,15}):(.{1,260})$/s.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match?.[1] && match[2] ? { t: Number(match[1]), recordId: match[2] } : null;
}
