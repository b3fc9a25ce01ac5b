/** A byte range to send, inclusive at both ends (RFC 9110 §14.1.2). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Reads a `Range` header against a representation of `size` bytes. Only one range of
 * `bytes` is served; anything else (another unit, several ranges, bad syntax) is ignored and
 * the whole representation sent, as RFC 9110 §14.2 allows. `unsatisfiable` answers 416.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'whole' | 'unsatisfiable' {
  if (!header) return 'whole';
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return 'whole';
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return 'whole';
  // RFC 9110 §14.1.1: no range of an empty representation is satisfiable, a suffix range included
  // (bytes=-1 of 0 bytes would otherwise ask for bytes 0 to -1).
  if (size <= 0) return 'unsatisfiable';
  if (first === '') {
    // suffix range: the last N bytes
    const length = Number(last);
    if (length === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return 'whole';
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}
