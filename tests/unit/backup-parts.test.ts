import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { overlap, PartCutter, partWriter } from '../../server/backups/parts';
import { type Part, readParts } from '../../server/backups/postgres-parts';

const bytes = (...values: number[]) => Buffer.from(values);

describe('PartCutter', () => {
  it('cuts chunks of any size into parts of exactly the part size, the rest kept for the end', () => {
    const cutter = new PartCutter(4);
    expect(cutter.push(bytes(0, 1, 2))).toEqual([]);
    expect(cutter.push(bytes(3, 4))).toEqual([bytes(0, 1, 2, 3)]);
    expect(cutter.push(bytes(5, 6, 7, 8, 9, 10, 11, 12, 13))).toEqual([bytes(4, 5, 6, 7), bytes(8, 9, 10, 11)]);
    expect(cutter.rest()).toEqual(bytes(12, 13));
    expect(cutter.rest()).toEqual(bytes());
  });
});

describe('overlap', () => {
  // A part of 4 bytes (10..13) holding 100..103.
  const part = bytes(100, 101, 102, 103);
  it.each([
    [10, 13, [100, 101, 102, 103]], // the whole part
    [11, 12, [101, 102]], // inside
    [8, 10, [100]], // ends on its first byte
    [13, 20, [103]], // starts on its last byte
    [0, 100, [100, 101, 102, 103]], // covers it
  ])('bytes %i-%i of a part at 10', (from, end, expected) => {
    expect(overlap(10, part, from, end)).toEqual(bytes(...expected));
  });
  it.each([
    [0, 9],
    [14, 20],
  ])('nothing of bytes %i-%i', (from, end) => {
    expect(overlap(10, part, from, end)).toBeUndefined();
  });
});

/** A FindPart over parts held in memory, counting the lookups. */
function partsInMemory(parts: Part[]) {
  const lookups: string[] = [];
  const find = async (start: number, exact: boolean) => {
    lookups.push(`${exact ? '=' : '<='}${start}`);
    const candidates = parts.filter((part) => (exact ? part.start === start : part.start <= start));
    return candidates[candidates.length - 1];
  };
  return { find, lookups };
}

const collect = async (chunks: AsyncIterable<Buffer>) => {
  const all: Buffer[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all;
};

describe('readParts', () => {
  // Bytes 0..9 in parts of 4: [0..3] [4..7] [8..9].
  const parts: Part[] = [
    { start: 0, bytes: bytes(0, 1, 2, 3) },
    { start: 4, bytes: bytes(4, 5, 6, 7) },
    { start: 8, bytes: bytes(8, 9) },
  ];

  it('reads only the parts a range overlaps, the first by position and the rest by start', async () => {
    const memory = partsInMemory(parts);
    expect(Buffer.concat(await collect(readParts(memory.find, { start: 3, end: 8 })))).toEqual(bytes(3, 4, 5, 6, 7, 8));
    expect(memory.lookups).toEqual(['<=3', '=4', '=8']);
  });

  it('reads one byte from one part, and a suffix from the last', async () => {
    const one = partsInMemory(parts);
    expect(await collect(readParts(one.find, { start: 5, end: 5 }))).toEqual([bytes(5)]);
    expect(one.lookups).toEqual(['<=5']);
    expect(Buffer.concat(await collect(readParts(partsInMemory(parts).find, { start: 7, end: 9 })))).toEqual(bytes(7, 8, 9));
  });

  it('fails, rather than send a short archive, when a part is missing', async () => {
    const gap = partsInMemory([parts[0] as Part, parts[2] as Part]);
    await expect(collect(readParts(gap.find, { start: 0, end: 9 }))).rejects.toThrow(/part holding byte 4 is missing/);
  });
});

describe('partWriter', () => {
  it('stores parts in order, each at the offset of its first byte, the short tail last', async () => {
    const stored: [number, number[]][] = [];
    const writer = partWriter(async (start, part) => {
      stored.push([start, [...part]]);
    }, 3);
    await pipeline(Readable.from([bytes(0, 1), bytes(2, 3, 4, 5, 6), bytes(7)]), writer);
    expect(stored).toEqual([
      [0, [0, 1, 2]],
      [3, [3, 4, 5]],
      [6, [6, 7]],
    ]);
  });

  it('fails the stream when a part cannot be stored', async () => {
    const writer = partWriter(async () => {
      throw new Error('disk full');
    }, 2);
    await expect(pipeline(Readable.from([bytes(0, 1, 2)]), writer)).rejects.toThrow('disk full');
  });
});
