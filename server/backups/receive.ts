import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError } from '../errors';

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
 * socket buffer whatever the size. Past `limit.bytes` it stops reading and fails (413);
 * a body that is not gzip fails with 400; a dropped connection fails too, and so does `signal`
 * (with its reason). On any failure the file is removed. The request itself is never destroyed, so the error can still be answered.
 */
export function receiveArchive(source: IncomingMessage, target: string, limit: ReceiveLimit, signal?: AbortSignal): Promise<Received> {
  const tooLarge = limit.error ?? (() => new ApiError(413, 'BACKUP_TOO_LARGE', `archive is larger than ${limit.bytes} bytes`));
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    let settled = false;
    const file = fs.createWriteStream(target, { flags: 'wx' });
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
      fs.rm(target, { force: true }, () => reject(error));
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
      if (bytes === 0) return fs.rm(target, { force: true }, () => reject(new ApiError(400, 'NOT_AN_ARCHIVE', 'body is empty')));
      resolve({ bytes, sha256: hash.digest('hex') });
    });
    source.pipe(meter).pipe(file);
  });
}

/** Whether a file starts as a gzip member does (RFC 1952 §2.3.1: ID1 ID2). */
export async function isGzipFile(file: string): Promise<boolean> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const head = Buffer.alloc(GZIP_MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return bytesRead === GZIP_MAGIC.length && GZIP_MAGIC.every((byte, i) => head[i] === byte);
  } finally {
    await handle.close();
  }
}

/** SHA-256 (hex) and size of a file, read as a stream. */
export async function hashFile(file: string): Promise<Received> {
  const hash = createHash('sha256');
  let bytes = 0;
  await pipeline(fs.createReadStream(file), async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      hash.update(chunk);
    }
  });
  return { bytes, sha256: hash.digest('hex') };
}
