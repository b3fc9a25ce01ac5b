import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNK_LIMITS, MINUTE_MS, type SampleChunk } from '../../src/shared/samples';
import { BATCH_LIMITS, decodeBatch, encodeBatch, type SyncBatch } from '../../src/shared/sync/batch-codec';
import { DecodeError } from '../../src/shared/sync/varint';
import { chunkHeads, rawBatch } from '../helpers/raw-batch';
import { syntheticSamples, toChunks } from '../helpers/sync-client';

const T0 = Date.UTC(2026, 10, 2, 7, 0, 0);

/** A valid batch: three minutes of a 1 Hz strap and a check-in. */
function validBatch(): SyncBatch {
  return {
    header: { note: 'x' },
    chunks: toChunks(syntheticSamples(T0, 150)),
    docs: [{ kind: 'checkin', id: 'c1', body: { fatigue: 2 } }],
  };
}

function decodeError(bytes: Uint8Array): DecodeError {
  try {
    decodeBatch(bytes);
  } catch (error) {
    if (error instanceof DecodeError) return error;
    throw error;
  }
  throw new Error('decoded without an error');
}

/** Numbers a decoded batch holds: what its memory grows with. */
function decodedValues(batch: SyncBatch): number {
  return batch.chunks.reduce((n, c) => n + c.offsets.length * 4 + c.intervalsMs.length, 0);
}

describe('decodeBatch bounds', () => {
  it('refuses a tiny batch that declares the most chunks at the most samples, before allocating them', () => {
    // The reported attack: under 500 bytes that once made the server allocate 20,000 × 60,000 slots.
    const bytes = rawBatch({ sources: ['a'], chunkCount: 50 }, chunkHeads(50, 29_000_000, CHUNK_LIMITS.samples, CHUNK_LIMITS.intervals));
    expect(bytes.length).toBeLessThan(500);
    expect(decodeError(bytes).message).toMatch(/^body: the chunks declare \d+ values but only 0 bytes follow/);
  });

  it('refuses more chunks than the bytes that follow could hold', () => {
    const bytes = rawBatch({ sources: ['a'], chunkCount: BATCH_LIMITS.chunks });
    expect(decodeError(bytes).field).toBe('header.chunkCount');
  });

  it('refuses a minute of more samples than any armband sends, naming the chunk', () => {
    const bytes = rawBatch({ sources: ['a'], chunkCount: 1 }, chunkHeads(1, 29_000_000, MINUTE_MS, 0));
    expect(decodeError(bytes).message).toBe(`chunks[0].samples: ${MINUTE_MS} samples in a minute; at most ${CHUNK_LIMITS.samples}`);
  });

  it('refuses a batch whose chunks add up to more samples than a batch may carry', () => {
    const chunks = Math.ceil(BATCH_LIMITS.samples / CHUNK_LIMITS.samples) + 1;
    const bytes = rawBatch({ sources: ['a'], chunkCount: chunks }, chunkHeads(chunks, 29_000_000, CHUNK_LIMITS.samples, 0));
    expect(decodeError(bytes).message).toMatch(
      new RegExp(`^chunks\\[\\d+\\]\\.samples: more than ${BATCH_LIMITS.samples} samples in one batch`),
    );
  });

  it('refuses a header nested deeper than the limit, without overflowing the stack', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const bytes = rawBatch(`{"sources":[],"chunkCount":0,"docs":[{"kind":"checkin","id":"a","body":{"x":${deep}}}]}`);
    expect(decodeError(bytes).message).toBe(`header: JSON nested deeper than ${BATCH_LIMITS.jsonDepth} levels`);
  });

  it('counts brackets inside strings as text, not nesting', () => {
    const body = { note: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["\\{' };
    const batch = decodeBatch(encodeBatch({ header: {}, chunks: [], docs: [{ kind: 'checkin', id: 'a', body }] }));
    expect(batch.docs[0]?.body).toEqual(body);
  });

  it('round-trips a minute at the limits', () => {
    const chunk: SampleChunk = {
      ...toChunks(syntheticSamples(T0, 1))[0]!,
      offsets: Array.from({ length: CHUNK_LIMITS.samples }, (_, i) => i * 100),
      bpm: Array.from({ length: CHUNK_LIMITS.samples }, () => 70),
      contact: Array.from({ length: CHUNK_LIMITS.samples }, () => 1),
      intervalCounts: Array.from({ length: CHUNK_LIMITS.samples }, () => 2),
      intervalsMs: Array.from({ length: CHUNK_LIMITS.intervals }, () => 850),
    };
    expect(decodeBatch(encodeBatch({ header: {}, chunks: [chunk], docs: [] })).chunks).toEqual([chunk]);
  });
});

describe('decodeBatch fuzzing', () => {
  // Each value costs at least one input byte, so a decode never holds more numbers than that.
  const expectBounded = (bytes: Uint8Array) => {
    try {
      expect(decodedValues(decodeBatch(bytes))).toBeLessThanOrEqual(bytes.length);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
    }
  };

  it('throws only DecodeError on random bytes, and decodes nothing larger than its input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2_000 }), (bytes) => expectBounded(bytes)),
      { numRuns: 2_000 },
    );
  });

  it('throws only DecodeError on random bytes after a valid magic and header', () => {
    fc.assert(
      fc.property(fc.nat({ max: 60 }), fc.uint8Array({ maxLength: 2_000 }), (chunkCount, tail) => {
        const head = rawBatch({ sources: ['a', 'b'], chunkCount });
        const bytes = new Uint8Array(head.length + tail.length);
        bytes.set(head);
        bytes.set(tail, head.length);
        expectBounded(bytes);
      }),
      { numRuns: 2_000 },
    );
  });

  it('throws only DecodeError on mutated valid batches', () => {
    const valid = encodeBatch(validBatch());
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat({ max: valid.length - 1 }), byte: fc.integer({ min: 0, max: 255 }) }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.nat({ max: valid.length }),
        (edits, cut) => {
          const bytes = valid.slice(0, Math.max(cut, 4));
          for (const { at, byte } of edits) if (at < bytes.length) bytes[at] = byte;
          expectBounded(bytes);
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('keeps the heap flat while decoding hostile inputs', () => {
    // Measured, not only counted: 200 hostile inputs of under 1 KB each must not grow the heap
    // by more than a few MB (the old decoder allocated gigabytes for one of them).
    const inputs = fc.sample(
      fc.tuple(fc.nat({ max: BATCH_LIMITS.chunks }), fc.uint8Array({ maxLength: 500 })).map(([n, tail]) => {
        const head = rawBatch(
          { sources: ['a'], chunkCount: n },
          chunkHeads(Math.min(n, 20), 1, CHUNK_LIMITS.samples, CHUNK_LIMITS.intervals),
        );
        const bytes = new Uint8Array(head.length + tail.length);
        bytes.set(head);
        bytes.set(tail, head.length);
        return bytes;
      }),
      200,
    );
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    for (const bytes of inputs) {
      expectBounded(bytes);
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
  });
});
