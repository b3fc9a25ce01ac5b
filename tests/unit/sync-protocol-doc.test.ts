import { describe, expect, it } from 'vitest';
import { decodeBatch } from '../../src/shared/sync/batch-codec';
import { DecodeError } from '../../src/shared/sync/varint';

// The example of docs/sync-protocol.md ("The STB batch format"), written byte by byte from the
// doc's words, not with encodeBatch: the doc is the contract another client would be built from.
const HEADER = '{"sources":["strap"],"chunkCount":1}';

function fromDoc(columns: { contact: number[]; intervalCounts: number[] }): Uint8Array {
  return Uint8Array.of(
    ...[0x53, 0x54, 0x42, 0x01], // "STB" 0x01
    36, // uint headerLength
    ...new TextEncoder().encode(HEADER),
    ...[0x00, 0x02, 0x00, 0x03, 0x04], // source 0, minute +1 (zigzag 2), flags 0 (rr), 3 samples, 4 intervals
    ...[0x00, 0xd0, 0x0f, 0xd0, 0x0f], // offsets, int delta: 0, +1000, +1000 (zigzag 2000 = D0 0F)
    ...[0x7c, 0x03, 0x02], // bpm, int delta: 62, -2, +1
    ...columns.contact,
    ...columns.intervalCounts,
    ...[0x90, 0x0f, 0x40, 0x13, 0x0b], // intervals, int delta: 968, +32, -10, -6
  );
}

describe('the sync protocol document', () => {
  it('describes bytes the codec decodes to what the doc says they hold', () => {
    const bytes = fromDoc({
      contact: [0x02, 0x02, 0x01], // int, plain: 1, 1, -1
      intervalCounts: [0x01, 0x02, 0x01], // uint, plain: 1, 2, 1
    });
    expect(decodeBatch(bytes)).toEqual({
      header: {},
      docs: [],
      chunks: [
        {
          id: 'strap|60000',
          sourceId: 'strap',
          demo: false,
          minuteStart: 60_000,
          intervalKind: 'rr',
          offsets: [0, 1000, 2000],
          bpm: [62, 60, 61],
          contact: [1, 1, -1],
          intervalCounts: [1, 2, 1],
          intervalsMs: [968, 1000, 990, 984],
        },
      ],
    });
  });

  it('no longer says every column is delta-encoded: those bytes are refused', () => {
    // What the earlier doc ("each value delta-encoded within its chunk") led to: contact
    // 1, 0, -2 and counts 1, +1, -1 as zigzag deltas. The codec reads them as plain values.
    const bytes = fromDoc({ contact: [0x02, 0x00, 0x03], intervalCounts: [0x02, 0x02, 0x01] });
    expect(() => decodeBatch(bytes)).toThrow(DecodeError);
    expect(() => decodeBatch(bytes)).toThrow('chunks[0].contact: must be -1, 0 or 1');
  });
});
