import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError } from '../errors';
import type { StagedArchive } from './archive-store';

/** What arrived: its size and SHA-256 (hex). */
export interface Received {
  bytes: number;
  sha256: string;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** What stops a body: past `bytes`, the upload fails with `error()` (413 BACKUP_TOO_LARGE unless the quota is nearer). */
export interface ReceiveLimit {
  bytes: number;
  error?: () => ApiError;
}

/**
 * Streams a request body into `target`, hashing and counting as it goes: memory stays at one
 * socket buffer (and one stored part, in Postgres) whatever the size. Past `limit.bytes` it stops reading and fails (413);
 * a body that is not gzip fails with 400; a dropped connection fails too, and so does `signal`
 * (with its reason). On any failure the file is removed. The request itself is never destroyed, so the error can still be answered.
 */
export function receiveArchive(
  source: IncomingMessage,
  target: StagedArchive,
  limit: ReceiveLimit,
  signal?: AbortSignal,
): Promise<Received> {
  const tooLarge = limit.error ?? (() => new ApiError(413, 'BACKUP_TOO_LARGE', `archive is larger than ${limit.bytes} bytes`));
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    let settled = false;
    const file = target.writable();
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        const start = bytes;
        bytes += chunk.length;
        if (bytes > limit.bytes) return callback(tooLarge());
        for (let i = start; i < Math.min(bytes, GZIP_MAGIC.length); i++) {
          if (chunk[i - start] !== GZIP_MAGIC[i]) return callback(new ApiError(400, 'NOT_AN_ARCHIVE', 'body is not a gzip archive'));
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      source.unpipe(meter);
      meter.destroy();
      file.destroy();
      target.discard().then(
        () => reject(error),
        () => reject(error),
      );
    };
    signal?.addEventListener('abort', () => fail(signal.reason), { once: true });
    source.on('error', fail);
    source.on('close', () => {
      if (!source.complete) fail(new ApiError(400, 'UPLOAD_INTERRUPTED', `connection closed after ${bytes} bytes`));
    });
    meter.on('error', fail);
    file.on('error', fail);
    file.on('finish', () => {
      if (settled) return;
      settled = true;
      if (bytes === 0) {
        const empty = new ApiError(400, 'NOT_AN_ARCHIVE', 'body is empty');
        return void target.discard().then(
          () => reject(empty),
          () => reject(empty),
        );
      }
      resolve({ bytes, sha256: hash.digest('hex') });
    });
    source.pipe(meter).pipe(file);
  });
}

/** A pass-through that counts and hashes what goes through it; `result()` once it has ended. */
export function hashing(): { meter: Transform; result(): Received } {
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  return { meter, result: () => ({ bytes, sha256: hash.digest('hex') }) };
}

/** What an archive read back holds: its size and SHA-256, and whether it starts as a gzip member does (RFC 1952 §2.3.1: ID1 ID2). */
export interface Inspected extends Received {
  gzip: boolean;
}

/** Reads an archive through once, as a stream. */
export async function inspectArchive(source: Readable): Promise<Inspected> {
  const hash = createHash('sha256');
  let bytes = 0;
  const head: number[] = [];
  await pipeline(source, async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) {
      for (let i = 0; head.length < GZIP_MAGIC.length && i < chunk.length; i++) head.push(chunk[i] ?? 0);
      bytes += chunk.length;
      hash.update(chunk);
    }
  });
  return { bytes, sha256: hash.digest('hex'), gzip: head.length === GZIP_MAGIC.length && GZIP_MAGIC.every((byte, i) => head[i] === byte) };
}
