import { ByteWriter } from '../../src/shared/sync/varint';

/** The fixed fields of one chunk, written as the format says (docs/sync-protocol.md). */
export interface RawChunkHead {
  source: number;
  minuteDelta: number;
  flags: number;
  samples: number;
  intervals: number;
}

/**
 * An `STB` batch written byte by byte, not with encodeBatch: "STB" 0x01, the header's length
 * and JSON, the chunks' fixed fields, then whatever `body` writes. For hostile and hand-made inputs.
 */
export function rawBatch(header: unknown, heads: readonly RawChunkHead[] = [], body: (out: ByteWriter) => void = () => {}) {
  const out = new ByteWriter();
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  out.raw(Uint8Array.of(0x53, 0x54, 0x42, 0x01));
  out.uint(json.length);
  out.raw(json);
  for (const head of heads) {
    out.uint(head.source);
    out.int(head.minuteDelta);
    out.uint(head.flags);
    out.uint(head.samples);
    out.uint(head.intervals);
  }
  body(out);
  return out.finish();
}

/** `count` chunk heads of one source, one minute apart from `firstMinute` (minutes since 1970). */
export function chunkHeads(count: number, firstMinute: number, samples: number, intervals: number): RawChunkHead[] {
  return Array.from({ length: count }, (_, i) => ({ source: 0, minuteDelta: i === 0 ? firstMinute : 1, flags: 0, samples, intervals }));
}
