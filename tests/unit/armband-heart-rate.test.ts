import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBatteryLevel } from '../../src/shared/armband/battery-level';
import { decodeDeviceInformationString } from '../../src/shared/armband/device-information';
import {
  encodeHeartRateMeasurement,
  type HeartRateMeasurement,
  parseHeartRateMeasurement,
} from '../../src/shared/armband/heart-rate-measurement';

const view = (bytes: readonly number[] | Uint8Array) => new DataView(Uint8Array.from(bytes).buffer);

// RR-Interval values in 1/1024 s and the whole ms they stand for, worked out by hand (raw × 1000 / 1024, rounded).
const RR_RAW = [1024, 870, 905, 1100, 512, 2048, 768, 1000, 950];
const RR_MS = [1000, 850, 884, 1074, 500, 2000, 750, 977, 928];

// Sensor Contact Status bits 2:1 (GATT Supplement §3.113.1): 0b00 and 0b01 both mean "not supported".
const CONTACT_STATES = [
  { bits: 0b00, contact: null, label: 'not supported' },
  { bits: 0b01, contact: null, label: 'not supported (bit 1 alone)' },
  { bits: 0b10, contact: false, label: 'supported, not detected' },
  { bits: 0b11, contact: true, label: 'detected' },
] as const;

/** Lays a measurement out byte by byte as the spec's table does, independently of the encoder. */
function specLayout(uint16: boolean, contactBits: number, energy: number | undefined, rrRaw: readonly number[]): number[] {
  const bpm = uint16 ? 258 : 72;
  const flags = (uint16 ? 0x01 : 0) | (contactBits << 1) | (energy === undefined ? 0 : 0x08) | (rrRaw.length > 0 ? 0x10 : 0);
  const bytes = [flags];
  if (uint16) bytes.push(bpm & 0xff, bpm >> 8);
  else bytes.push(bpm);
  if (energy !== undefined) bytes.push(energy & 0xff, energy >> 8);
  for (const raw of rrRaw) bytes.push(raw & 0xff, raw >> 8);
  return bytes;
}

const vectors = [false, true].flatMap((uint16) =>
  CONTACT_STATES.flatMap((state) =>
    [undefined, 0x1234].flatMap((energy) =>
      [0, 1, 2, 9].map((count) => ({
        name: `${uint16 ? 'uint16' : 'uint8'}, contact ${state.label}, energy ${energy === undefined ? 'absent' : 'present'}, ${count} RR`,
        uint16,
        state,
        energy,
        count,
        bytes: specLayout(uint16, state.bits, energy, RR_RAW.slice(0, count)),
      })),
    ),
  ),
);

describe('parseHeartRateMeasurement: every flag combination', () => {
  it.each(vectors)('$name', ({ uint16, state, energy, count, bytes }) => {
    const expected: HeartRateMeasurement = { bpm: uint16 ? 258 : 72, contact: state.contact, rrMs: RR_MS.slice(0, count) };
    if (energy !== undefined) expected.energyKJ = 4660;
    expect(parseHeartRateMeasurement(view(bytes))).toEqual({ ok: true, value: expected, warnings: [] });
    // The encoder lays out the same bytes (it never emits the redundant 0b01 contact state).
    if (state.bits !== 0b01) {
      const encoded = encodeHeartRateMeasurement({ ...expected, contact: state.contact, uint16 });
      expect([...encoded]).toEqual(bytes);
    }
  });

  it('covers 2 formats × 4 contact states × 2 energy × 4 RR counts', () => {
    expect(vectors).toHaveLength(64);
  });
});

describe('parseHeartRateMeasurement: hand-written notifications', () => {
  it.each([
    { bytes: [0x00, 0x48], value: { bpm: 72, contact: null, rrMs: [] } },
    { bytes: [0x16, 0x48, 0x00, 0x04], value: { bpm: 72, contact: true, rrMs: [1000] } },
    { bytes: [0x14, 0x41, 0x00, 0x04], value: { bpm: 65, contact: false, rrMs: [1000] } },
    { bytes: [0x10, 0x3c, 0xe6, 0x03], value: { bpm: 60, contact: null, rrMs: [975] } },
    { bytes: [0x06, 0xb4], value: { bpm: 180, contact: true, rrMs: [] } },
    { bytes: [0x01, 0x48, 0x00], value: { bpm: 72, contact: null, rrMs: [] } },
    {
      bytes: [0x19, 0x02, 0x01, 0x34, 0x12, 0x00, 0x04, 0x66, 0x03],
      value: { bpm: 258, contact: null, energyKJ: 4660, rrMs: [1000, 850] },
    },
    { bytes: [0x0e, 0x48, 0xff, 0xff], value: { bpm: 72, contact: true, energyKJ: 65535, rrMs: [] } },
  ])('$bytes', ({ bytes, value }) => {
    expect(parseHeartRateMeasurement(view(bytes))).toEqual({ ok: true, value, warnings: [] });
  });

  it('reads through a DataView that starts inside a larger buffer', () => {
    const buffer = Uint8Array.from([0xaa, 0xbb, 0x16, 0x48, 0x00, 0x04, 0xcc]).buffer;
    expect(parseHeartRateMeasurement(new DataView(buffer, 2, 4))).toEqual({
      ok: true,
      value: { bpm: 72, contact: true, rrMs: [1000] },
      warnings: [],
    });
  });
});

describe('parseHeartRateMeasurement: malformed input is rejected', () => {
  it.each([
    { name: 'empty', bytes: [], code: 'empty' },
    { name: 'flags only', bytes: [0x00], code: 'truncated' },
    { name: 'uint16 value cut short', bytes: [0x01, 0x48], code: 'truncated' },
    { name: 'reserved bit 5', bytes: [0x20, 0x48], code: 'reserved-flags' },
    { name: 'reserved bit 6', bytes: [0x40, 0x48], code: 'reserved-flags' },
    { name: 'reserved bit 7', bytes: [0x80, 0x48], code: 'reserved-flags' },
    { name: 'reserved bits with valid fields', bytes: [0xf6, 0x48, 0x00, 0x04], code: 'reserved-flags' },
    { name: '0 bpm (uint8)', bytes: [0x00, 0x00], code: 'zero-bpm' },
    { name: '0 bpm (uint16)', bytes: [0x01, 0x00, 0x00], code: 'zero-bpm' },
    { name: '0 bpm with RR', bytes: [0x16, 0x00, 0x00, 0x04], code: 'zero-bpm' },
    { name: 'energy cut short', bytes: [0x08, 0x48, 0x34], code: 'truncated' },
    { name: 'energy missing', bytes: [0x08, 0x48], code: 'truncated' },
    { name: 'odd RR byte after one interval', bytes: [0x10, 0x48, 0x00, 0x04, 0x66], code: 'truncated' },
    { name: 'single RR byte', bytes: [0x10, 0x48, 0x00], code: 'truncated' },
    { name: 'odd RR byte after energy', bytes: [0x18, 0x48, 0x34, 0x12, 0x00], code: 'truncated' },
  ])('$name → $code', ({ bytes, code }) => {
    const result = parseHeartRateMeasurement(view(bytes));
    expect(result).toMatchObject({ ok: false, code });
    if (!result.ok) expect(result.reason).not.toBe('');
  });
});

describe('parseHeartRateMeasurement: kept with warnings', () => {
  it('keeps RR intervals outside 250–2500 ms, names them, and keeps the reading', () => {
    // raw 200 → 195 ms, raw 1024 → 1000 ms, raw 3072 → 3000 ms: the HRV maths rejects the outliers itself.
    const result = parseHeartRateMeasurement(view([0x16, 0x48, 0xc8, 0x00, 0x00, 0x04, 0x00, 0x0c]));
    expect(result).toEqual({
      ok: true,
      value: { bpm: 72, contact: true, rrMs: [195, 1000, 3000] },
      warnings: ['kept RR intervals outside 250–2500 ms for the HRV analysis to reject: 195, 3000'],
    });
  });

  it.each([
    { raw: 255, ms: 249, plausible: false },
    { raw: 256, ms: 250, plausible: true },
    { raw: 2560, ms: 2500, plausible: true },
    { raw: 2561, ms: 2501, plausible: false },
    { raw: 0xffff, ms: 63999, plausible: false },
  ])('RR raw $raw is $ms ms, kept; plausible $plausible', ({ raw, ms, plausible }) => {
    const result = parseHeartRateMeasurement(view([0x10, 0x48, raw & 0xff, raw >> 8]));
    expect(result.ok && result.value.rrMs).toEqual([ms]);
    expect(result.ok && result.warnings).toEqual(
      plausible ? [] : [`kept RR intervals outside 250–2500 ms for the HRV analysis to reject: ${ms}`],
    );
  });

  it('drops an RR interval of 0 ms, which spans no time, with a warning', () => {
    expect(parseHeartRateMeasurement(view([0x10, 0x48, 0x00, 0x00, 0x00, 0x04]))).toEqual({
      ok: true,
      value: { bpm: 72, contact: null, rrMs: [1000] },
      warnings: ['dropped 1 RR interval(s) of 0 ms'],
    });
  });

  it('accepts the RR flag with no intervals, with a warning', () => {
    expect(parseHeartRateMeasurement(view([0x10, 0x48]))).toEqual({
      ok: true,
      value: { bpm: 72, contact: null, rrMs: [] },
      warnings: ['RR-interval flag set but no intervals sent'],
    });
  });

  it('ignores bytes the flags do not announce, with a warning', () => {
    expect(parseHeartRateMeasurement(view([0x00, 0x48, 0x99]))).toEqual({
      ok: true,
      value: { bpm: 72, contact: null, rrMs: [] },
      warnings: ['ignored 1 trailing byte(s) the flags do not announce'],
    });
  });
});

describe('parseHeartRateMeasurement: properties', () => {
  it('never throws on random bytes, and what it accepts is sane', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const result = parseHeartRateMeasurement(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        if (!result.ok) return typeof result.reason === 'string' && result.reason.length > 0;
        const { bpm, rrMs } = result.value;
        return bpm > 0 && rrMs.every((ms) => Number.isInteger(ms) && ms >= 1 && ms <= 63_999);
      }),
      { numRuns: 5000 },
    );
  });

  const measurement = fc.record({
    bpm: fc.integer({ min: 1, max: 0xffff }),
    contact: fc.constantFrom(null, true, false),
    energyKJ: fc.option(fc.integer({ min: 0, max: 0xffff }), { nil: undefined }),
    rrMs: fc.array(fc.integer({ min: 250, max: 2500 }), { maxLength: 9 }),
    uint16: fc.boolean(),
  });

  it('round-trips encode → parse', () => {
    fc.assert(
      fc.property(measurement, ({ uint16, energyKJ, ...rest }) => {
        const value: HeartRateMeasurement = energyKJ === undefined ? rest : { ...rest, energyKJ };
        expect(parseHeartRateMeasurement(new DataView(encodeHeartRateMeasurement({ ...value, uint16 }).buffer))).toEqual({
          ok: true,
          value,
          warnings: [],
        });
      }),
    );
  });

  it('keeps every interval of any encodable list but 0 ms, and warns once per kind of outlier', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 63_999 }), { minLength: 1, maxLength: 12 }), (rrMs) => {
        const result = parseHeartRateMeasurement(new DataView(encodeHeartRateMeasurement({ bpm: 70, rrMs }).buffer));
        const nonZero = rrMs.filter((ms) => ms > 0);
        const implausible = nonZero.filter((ms) => ms < 250 || ms > 2500);
        expect(result.ok && result.value.rrMs).toEqual(nonZero);
        expect(result.ok && result.warnings.length).toBe((nonZero.length < rrMs.length ? 1 : 0) + (implausible.length > 0 ? 1 : 0));
      }),
    );
  });
});

describe('encodeHeartRateMeasurement', () => {
  it('switches to uint16 above 255 bpm', () => {
    expect([...encodeHeartRateMeasurement({ bpm: 255, rrMs: [] })]).toEqual([0x00, 0xff]);
    expect([...encodeHeartRateMeasurement({ bpm: 256, rrMs: [] })]).toEqual([0x01, 0x00, 0x01]);
  });

  it.each([
    { bpm: 65_536, rrMs: [] },
    { bpm: -1, rrMs: [] },
    { bpm: 70.5, rrMs: [] },
    { bpm: 70, rrMs: [64_000] },
    { bpm: 70, rrMs: [], energyKJ: 70_000 },
  ])('refuses what the format cannot hold: %o', (input) => {
    expect(() => encodeHeartRateMeasurement(input)).toThrow(RangeError);
  });
});

describe('parseBatteryLevel', () => {
  it.each([
    { bytes: [0], result: { ok: true, value: 0 } },
    { bytes: [57], result: { ok: true, value: 57 } },
    { bytes: [100], result: { ok: true, value: 100 } },
    { bytes: [101], result: { ok: false, code: 'range' } },
    { bytes: [255], result: { ok: false, code: 'range' } },
    { bytes: [], result: { ok: false, code: 'length' } },
    { bytes: [50, 0], result: { ok: false, code: 'length' } },
  ])('$bytes', ({ bytes, result }) => {
    expect(parseBatteryLevel(view(bytes))).toMatchObject(result);
  });
});

describe('decodeDeviceInformationString', () => {
  const utf8 = (text: string) => new DataView(new TextEncoder().encode(text).buffer);
  it.each([
    ['Polar Electro Oy', 'Polar Electro Oy'],
    ['H10\0\0\0', 'H10'],
    ['Café 1.2\0', 'Café 1.2'],
    ['a\0b', 'a\0b'],
    ['', ''],
    ['\0\0', ''],
  ])('%j → %j', (raw, text) => {
    expect(decodeDeviceInformationString(utf8(raw))).toBe(text);
  });

  it('replaces invalid UTF-8 rather than throwing', () => {
    expect(decodeDeviceInformationString(view([0x48, 0xff, 0x31]))).toBe('H\uFFFD1');
  });
});
