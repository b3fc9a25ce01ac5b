import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNK_LIMITS, MINUTE_MS, type SampleChunk } from '../../src/shared/samples';
import { BATCH_LIMITS, DOC_KINDS, decodeBatch, encodeBatch, type SyncBatch } from '../../src/shared/sync/batch-codec';
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

/** One valid sample: its offset in the minute, heart rate, contact and intervals. */
const sampleArb = fc.record({
  bpm: fc.integer({ min: 1, max: 400 }),
  contact: fc.integer({ min: -1, max: 1 }),
  intervals: fc.array(fc.integer({ min: 1, max: 65_535 }), { maxLength: 3 }),
});

/** A valid chunk of a few sources and minutes, with any samples the format allows. */
const chunkArb = fc
  .record({
    sourceId: fc.constantFrom('strap', 'verity', 'demo'),
    minute: fc.integer({ min: 29_000_000, max: 29_000_005 }),
    demo: fc.boolean(),
    intervalKind: fc.constantFrom('rr' as const, 'ppi' as const),
    offsets: fc.uniqueArray(fc.nat({ max: MINUTE_MS - 1 }), { maxLength: 30 }),
    samples: fc.array(sampleArb, { minLength: 30, maxLength: 30 }),
  })
  .map(({ sourceId, minute, demo, intervalKind, offsets, samples }): SampleChunk => {
    const sorted = [...offsets].sort((a, b) => a - b);
    const used = samples.slice(0, sorted.length);
    return {
      id: `${sourceId}|${minute * MINUTE_MS}`,
      sourceId,
      demo,
      minuteStart: minute * MINUTE_MS,
      intervalKind,
      offsets: sorted,
      bpm: used.map((s) => s.bpm),
      contact: used.map((s) => s.contact),
      intervalCounts: used.map((s) => s.intervals.length),
      intervalsMs: used.flatMap((s) => s.intervals),
    };
  });

/** A valid batch: chunks with distinct ids, documents with distinct kind and id, any JSON in their bodies. */
const batchArb = fc
  .record({
    note: fc.string({ maxLength: 20 }),
    chunks: fc.uniqueArray(chunkArb, { maxLength: 6, selector: (c) => c.id }),
    docs: fc.uniqueArray(
      fc.record({
        kind: fc.constantFrom(...DOC_KINDS),
        id: fc.string({ minLength: 1, maxLength: 12 }),
        body: fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
      }),
      { maxLength: 4, selector: (d) => `${d.kind}|${d.id}` },
    ),
  })
  // As it travels: JSON has no -0, so the expected batch is what JSON makes of it.
  .map(({ note, chunks, docs }): SyncBatch => JSON.parse(JSON.stringify({ header: { note }, chunks, docs })) as SyncBatch);

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

  it('decodes every random valid batch as it was encoded, within one number per input byte', () => {
    fc.assert(
      fc.property(batchArb, (batch) => {
        const bytes = encodeBatch(batch);
        const decoded = decodeBatch(bytes);
        expect(decoded).toEqual(batch);
        expect(decodedValues(decoded)).toBeLessThanOrEqual(bytes.length);
      }),
      { numRuns: 500 },
    );
  });

  it('throws only DecodeError on random valid batches, mutated, cut or extended', () => {
    fc.assert(
      fc.property(
        batchArb,
        fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.uint8Array({ maxLength: 64 }),
        (batch, edits, cut, tail) => {
          const valid = encodeBatch(batch);
          const kept = valid.slice(0, Math.max(4, cut % (valid.length + 1)));
          const bytes = new Uint8Array(kept.length + (cut % 2 === 0 ? tail.length : 0));
          bytes.set(kept);
          if (cut % 2 === 0) bytes.set(tail, kept.length);
          for (const { at, byte } of edits) bytes[at % bytes.length] = byte;
          expectBounded(bytes);
        },
      ),
      { numRuns: 2_000 },
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
