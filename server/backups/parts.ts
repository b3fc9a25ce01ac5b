import { Writable } from 'node:stream';

/** Bytes per stored part: large enough that a 100 MiB archive is 100 rows, small enough to hold one in memory per stream. */
export const PART_BYTES = 1024 * 1024;

/**
 * Cuts a stream of chunks of any size into parts of exactly `partBytes` (the last one shorter),
 * holding at most one part's worth of bytes.
 */
export class PartCutter {
  private chunks: Buffer[] = [];
  private length = 0;

  constructor(readonly partBytes = PART_BYTES) {}

  /** Adds `chunk`; returns the parts it completed, in order. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.length += chunk.length;
    const parts: Buffer[] = [];
    if (this.length < this.partBytes) return parts;
    let all = Buffer.concat(this.chunks, this.length);
    while (all.length >= this.partBytes) {
      parts.push(all.subarray(0, this.partBytes));
      all = all.subarray(this.partBytes);
    }
    this.chunks = all.length > 0 ? [all] : [];
    this.length = all.length;
    return parts;
  }

  /** What is left, shorter than a part (empty when nothing is). */
  rest(): Buffer {
    const rest = Buffer.concat(this.chunks, this.length);
    this.chunks = [];
    this.length = 0;
    return rest;
  }
}

/**
 * The piece of a stored part (first byte at `partStart`) that falls in `[from, end]`
 * (inclusive), or undefined when they do not overlap.
 */
export function overlap(partStart: number, part: Buffer, from: number, end: number): Buffer | undefined {
  const first = Math.max(from, partStart);
  const last = Math.min(end, partStart + part.length - 1);
  return first > last ? undefined : part.subarray(first - partStart, last - partStart + 1);
}

/**
 * A Writable that stores its bytes as parts through `store(start, bytes)`, one at a time:
 * a part is written before more is accepted, so memory holds one part and the stream's buffer.
 */
export function partWriter(store: (start: number, bytes: Buffer) => Promise<void>, partBytes = PART_BYTES): Writable {
  const cutter = new PartCutter(partBytes);
  let written = 0;
  const storeAll = async (parts: Buffer[]) => {
    for (const part of parts) {
      await store(written, part);
      written += part.length;
    }
  };
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      storeAll(cutter.push(chunk)).then(() => callback(), callback);
    },
    final(callback) {
      const rest = cutter.rest();
      storeAll(rest.length > 0 ? [rest] : []).then(() => callback(), callback);
    },
  });
}
