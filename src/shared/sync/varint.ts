/**
 * LEB128 unsigned varints and zigzag signed varints
 * (https://protobuf.dev/programming-guides/encoding/#varints): small numbers take one byte,
 * which is what delta-encoded heart-rate columns are made of.
 */

/** Growable byte buffer for writing varints. */
export class ByteWriter {
  private bytes = new Uint8Array(1024);
  private length = 0;

  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  /** Unsigned integer up to 2^53 − 1. */
  uint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not an unsigned integer: ${value}`);
    this.reserve(8);
    let v = value;
    while (v >= 0x80) {
      this.bytes[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.bytes[this.length++] = v;
  }

  /** Signed integer, zigzag-encoded so that small negatives stay small. */
  int(value: number): void {
    this.uint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  raw(data: Uint8Array): void {
    this.reserve(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  /** The bytes written so far (a view, not a copy). */
  finish(): Uint8Array<ArrayBuffer> {
    return this.bytes.subarray(0, this.length);
  }
}

/** Thrown for bytes that are not a valid encoding; `field` says which part. */
export class DecodeError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'DecodeError';
  }
}

/** Reads what ByteWriter wrote, checking bounds at every step. */
export class ByteReader {
  private position = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.position;
  }

  uint(field: string): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      if (this.position >= this.bytes.length) throw new DecodeError(field, 'truncated');
      const byte = this.bytes[this.position++] ?? 0;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (!Number.isSafeInteger(result)) throw new DecodeError(field, 'number too large');
        return result;
      }
      scale *= 0x80;
    }
    throw new DecodeError(field, 'varint longer than 8 bytes');
  }

  int(field: string): number {
    const zigzag = this.uint(field);
    return zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
  }

  raw(length: number, field: string): Uint8Array {
    if (length > this.remaining) throw new DecodeError(field, 'truncated');
    const slice = this.bytes.subarray(this.position, this.position + length);
    this.position += length;
    return slice;
  }
}
