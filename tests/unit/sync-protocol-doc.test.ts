import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBatch } from '../../src/shared/sync/batch-codec';
import { DecodeError } from '../../src/shared/sync/varint';

// docs/sync-protocol.md ("The STB batch format") is the contract another client would be built
// from. These tests read its column list and its worked example from the doc itself, encode the
// example by hand following the doc's words (not with encodeBatch), and decode with the codec:
// a doc that drifts from the codec fails here.
const DOC = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/sync-protocol.md'), 'utf8');
const FORMAT = DOC.slice(DOC.indexOf('## The `STB` batch format'), DOC.indexOf('### Limits'));

type Kind = 'uint' | 'int';
type Encoding = 'delta' | 'plain';
const COLUMNS = ['offsets', 'bpm', 'contact', 'intervalCounts', 'intervals'] as const;
type Column = (typeof COLUMNS)[number];

/** The doc's column list, `name  kind, encoding  notes`, in the order it gives them. */
function docColumns(): { name: string; kind: Kind; encoding: Encoding }[] {
  const start = FORMAT.indexOf('columns, each for all chunks in chunk order:');
  expect(start, 'the doc lists the columns').toBeGreaterThan(0);
  return FORMAT.slice(start)
    .split('\n')
    .slice(1)
    .map((line) => /^\s+(\w+)\s+(uint|int), (delta|plain)\b/.exec(line))
    .filter((match) => match !== null)
    .map(([, name, kind, encoding]) => ({ name: name!, kind: kind as Kind, encoding: encoding as Encoding }));
}

/** The doc's words: "`uint` is an unsigned LEB128 varint, `int` a zigzag varint". */
function varint(kind: Kind, value: number): number[] {
  if (kind === 'uint' && value < 0) throw new Error(`uint ${value}: a uint is never negative`);
  let rest = kind === 'int' ? (value < 0 ? -2 * value - 1 : 2 * value) : value;
  const bytes: number[] = [];
  do {
    const low = rest % 128;
    rest = Math.floor(rest / 128);
    bytes.push(rest > 0 ? low | 0x80 : low);
  } while (rest > 0);
  return bytes;
}

/** The doc's words: a delta column holds the first value as is, then each value minus the one before it. */
const encodeColumn = (kind: Kind, encoding: Encoding, values: number[]) =>
  values.flatMap((value, i) => varint(kind, encoding === 'delta' && i > 0 ? value - values[i - 1]! : value));

/** The example's groups of hex bytes in the doc, in its order: chunk fields, then each column. */
function docExampleBytes(): number[][] {
  const example = FORMAT.slice(FORMAT.indexOf('Example, one chunk'));
  return [...example.matchAll(/`((?:[0-9A-F]{2} ?)+)`/g)].map(([, hex]) =>
    hex!
      .trim()
      .split(' ')
      .map((byte) => Number.parseInt(byte, 16)),
  );
}

// The example's chunk, as the doc describes it in words.
const HEADER = '{"sources":["strap"],"chunkCount":1}';
const EXAMPLE: Record<Column, number[]> = {
  offsets: [0, 1000, 2000],
  bpm: [62, 60, 61],
  contact: [1, 1, -1],
  intervalCounts: [1, 2, 1],
  intervals: [968, 1000, 990, 984],
};

function batch(chunkFields: number[], columns: number[][]): Uint8Array {
  const header = new TextEncoder().encode(HEADER);
  return Uint8Array.of(...[0x53, 0x54, 0x42, 0x01], ...varint('uint', header.length), ...header, ...chunkFields, ...columns.flat());
}

describe('the sync protocol document', () => {
  it('lists each column with the varint kind and encoding the codec uses', () => {
    expect(docColumns()).toEqual([
      { name: 'offsets', kind: 'int', encoding: 'delta' },
      { name: 'bpm', kind: 'int', encoding: 'delta' },
      { name: 'contact', kind: 'int', encoding: 'plain' },
      { name: 'intervalCounts', kind: 'uint', encoding: 'plain' },
      { name: 'intervals', kind: 'int', encoding: 'delta' },
    ]);
  });

  it("encodes its example by its own rules into the bytes it shows, which the codec decodes to the example's values", () => {
    // Source 0; minute 1 since 1970 (int); flags 0: not demo, RR; 3 samples; 4 intervals.
    const chunkFields = [...varint('uint', 0), ...varint('int', 1), ...varint('uint', 0), ...varint('uint', 3), ...varint('uint', 4)];
    const columns = docColumns().map(({ name, kind, encoding }) => encodeColumn(kind, encoding, EXAMPLE[name as Column]));
    expect([chunkFields, ...columns]).toEqual(docExampleBytes());

    expect(decodeBatch(batch(chunkFields, columns))).toEqual({
      header: {},
      docs: [],
      chunks: [
        {
          id: 'strap|60000',
          sourceId: 'strap',
          demo: false,
          minuteStart: 60_000,
          intervalKind: 'rr',
          offsets: EXAMPLE.offsets,
          bpm: EXAMPLE.bpm,
          contact: EXAMPLE.contact,
          intervalCounts: EXAMPLE.intervalCounts,
          intervalsMs: EXAMPLE.intervals,
        },
      ],
    });
  });

  it('would be refused as the earlier doc read ("each value delta-encoded within its chunk")', () => {
    const [chunkFields = [], ...docColumnBytes] = docExampleBytes();
    const allDeltas = COLUMNS.map((name) => encodeColumn('int', 'delta', EXAMPLE[name]));
    expect(allDeltas).not.toEqual(docColumnBytes);
    // Contact 1, 0, -2 as deltas: the codec reads plain values and finds -2 out of range.
    expect(() => decodeBatch(batch(chunkFields, allDeltas))).toThrow(DecodeError);
    expect(() => decodeBatch(batch(chunkFields, allDeltas))).toThrow('chunks[0].contact: must be -1, 0 or 1');
  });
});
