import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PMD_CONTROL_POINT_UUID,
  PMD_DATA_UUID,
  PMD_SERVICE_UUID,
  type PpiSample,
  parsePmdControlPointResponse,
  parsePpiFrame,
  pmdFeaturesIncludePpi,
  ppiStartCommand,
  ppiStopCommand,
  usablePpiIntervals,
} from '../../src/shared/armband/polar-pmd';

const view = (bytes: readonly number[] | Uint8Array) => new DataView(Uint8Array.from(bytes).buffer);

// PMD data frame header (polar-ble-sdk PmdDataFrame.kt): measurement type, uint64 LE timestamp in ns, frame type.
const PPI_HEADER_NO_TIME = [0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0x00];

/** One 6-byte PPI sample as PpiData.kt reads it: HR, PP ms (u16 LE), error ms (u16 LE), flags. */
function ppiSampleBytes(hr: number, ppMs: number, errorMs: number, flags: number): number[] {
  return [hr, ppMs & 0xff, ppMs >> 8, errorMs & 0xff, errorMs >> 8, flags];
}

describe('PMD constants and commands', () => {
  it('uses the UUIDs of Polar’s SDK', () => {
    expect(PMD_SERVICE_UUID).toBe('fb005c80-02e7-f387-1cad-8acd2d8df0c8');
    expect(PMD_CONTROL_POINT_UUID).toBe('fb005c81-02e7-f387-1cad-8acd2d8df0c8');
    expect(PMD_DATA_UUID).toBe('fb005c82-02e7-f387-1cad-8acd2d8df0c8');
  });

  it('asks for an online PPI start and stop with no settings', () => {
    expect([...ppiStartCommand()]).toEqual([0x02, 0x03]);
    expect([...ppiStopCommand()]).toEqual([0x03, 0x03]);
  });

  it.each([
    { bytes: [0x0f, 0x08, 0x00], ppi: true },
    { bytes: [0x0f, 0x0f, 0x02], ppi: true },
    { bytes: [0x0f, 0x05, 0x00], ppi: false },
    { bytes: [0x0f], ppi: false },
    { bytes: [], ppi: false },
  ])('feature bitmap $bytes lists PPI: $ppi', ({ bytes, ppi }) => {
    expect(pmdFeaturesIncludePpi(view(bytes))).toBe(ppi);
  });
});

describe('parsePmdControlPointResponse', () => {
  it('accepts a successful start answer', () => {
    expect(parsePmdControlPointResponse(view([0xf0, 0x02, 0x03, 0x00]))).toEqual({
      ok: true,
      opCode: 2,
      measurementType: 3,
      more: false,
      parameters: new Uint8Array(),
    });
  });

  it('returns the parameters and the "more" flag', () => {
    const result = parsePmdControlPointResponse(view([0xf0, 0x02, 0x03, 0x00, 0x01, 0x05, 0x01, 0x00, 0x00, 0x80, 0x3f]));
    expect(result).toMatchObject({ ok: true, more: true });
    expect(result.ok && [...result.parameters]).toEqual([0x05, 0x01, 0x00, 0x00, 0x80, 0x3f]);
  });

  it('reads the type bits only, so an offline-flagged type still matches', () => {
    expect(parsePmdControlPointResponse(view([0xf0, 0x02, 0x83, 0x00]))).toMatchObject({ ok: true, measurementType: 3 });
  });

  it('matches other requests when told which', () => {
    expect(parsePmdControlPointResponse(view([0xf0, 0x03, 0x03, 0x00]), 0x03, 0x03)).toMatchObject({ ok: true, opCode: 3 });
  });

  it.each([
    { name: 'already in state', bytes: [0xf0, 0x02, 0x03, 0x06], code: 'device-error', errorCode: 6, reason: /already in state/ },
    { name: 'invalid MTU', bytes: [0xf0, 0x02, 0x03, 0x0a], code: 'device-error', errorCode: 10, reason: /invalid MTU/ },
    { name: 'not supported', bytes: [0xf0, 0x02, 0x03, 0x03, 0x00], code: 'device-error', errorCode: 3, reason: /not supported/ },
    { name: 'unknown error', bytes: [0xf0, 0x02, 0x03, 0x20], code: 'device-error', errorCode: 32, reason: /unknown error/ },
    { name: 'answer to another op', bytes: [0xf0, 0x01, 0x03, 0x00], code: 'unexpected-response', reason: /op 1/ },
    { name: 'answer for ECG', bytes: [0xf0, 0x02, 0x00, 0x00], code: 'unexpected-response', reason: /type 0/ },
    { name: 'device stopped PPI', bytes: [0x01, 0x03], code: 'not-a-response', reason: /stopped measurement type\(s\) 3/ },
    { name: 'not a response', bytes: [0x42, 0x02, 0x03, 0x00], code: 'not-a-response', reason: /0x42/ },
    { name: 'too short', bytes: [0xf0, 0x02, 0x03], code: 'truncated', reason: /3 bytes/ },
    { name: 'empty', bytes: [], code: 'truncated', reason: /no bytes/ },
  ])('$name → $code', ({ bytes, code, errorCode, reason }) => {
    const result = parsePmdControlPointResponse(view(bytes));
    expect(result).toMatchObject({ ok: false, code });
    if (!result.ok) {
      expect(result.reason).toMatch(reason);
      expect(result.errorCode).toBe(errorCode);
    }
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        expect(typeof parsePmdControlPointResponse(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)).ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parsePpiFrame', () => {
  it('reads the vector of Polar’s own PpiDataTest (raw frame type 0)', () => {
    const frame = [...PPI_HEADER_NO_TIME, 0x80, 0x80, 0x80, 0x80, 0x80, 0xff, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00];
    expect(parsePpiFrame(view(frame))).toEqual({
      ok: true,
      timestamp: 0n,
      samples: [
        { hr: 128, ppMs: 32896, errorMs: 32896, blocker: true, skinContact: true, skinContactSupported: true },
        { hr: 0, ppMs: 1, errorMs: 1, blocker: false, skinContact: false, skinContactSupported: false },
      ],
    });
  });

  it('reads the 64-bit little-endian timestamp exactly', () => {
    // 2000000000 ns: 0x77359400, least significant byte first (from Polar's iOS PpiDataTest header).
    const small = [0x03, 0x00, 0x94, 0x35, 0x77, 0x00, 0x00, 0x00, 0x00, 0x00];
    expect(parsePpiFrame(view(small))).toEqual({ ok: true, timestamp: 2_000_000_000n, samples: [] });
    // 724060800000000000 ns = 0x0A0C6176_1BC90000 (the example in Polar's TimeSystemExplained.md), beyond 2^53.
    const large = [0x03, 0x00, 0x00, 0xc9, 0x1b, 0x76, 0x61, 0x0c, 0x0a, 0x00];
    expect(parsePpiFrame(view(large))).toMatchObject({ ok: true, timestamp: 724_060_800_000_000_000n });
  });

  it('reads flag bits one by one: bit 0 blocker, bit 1 skin contact, bit 2 contact supported', () => {
    const frame = [
      ...PPI_HEADER_NO_TIME,
      ...ppiSampleBytes(61, 984, 12, 0x01),
      ...ppiSampleBytes(62, 967, 9, 0x02),
      ...ppiSampleBytes(63, 952, 10, 0x04),
      ...ppiSampleBytes(64, 938, 11, 0x06),
    ];
    const result = parsePpiFrame(view(frame));
    expect(result.ok && result.samples.map((s) => [s.hr, s.ppMs, s.errorMs, s.blocker, s.skinContact, s.skinContactSupported])).toEqual([
      [61, 984, 12, true, false, false],
      [62, 967, 9, false, true, false],
      [63, 952, 10, false, false, true],
      [64, 938, 11, false, true, true],
    ]);
  });

  it.each([
    { name: 'empty', bytes: [], code: 'truncated' },
    { name: 'header cut short', bytes: PPI_HEADER_NO_TIME.slice(0, 9), code: 'truncated' },
    { name: 'half a sample', bytes: [...PPI_HEADER_NO_TIME, 0x40, 0xd8, 0x03], code: 'truncated' },
    { name: 'a sample and a byte', bytes: [...PPI_HEADER_NO_TIME, ...ppiSampleBytes(64, 938, 11, 6), 0x00], code: 'truncated' },
    { name: 'ECG frame', bytes: [0x00, ...PPI_HEADER_NO_TIME.slice(1)], code: 'wrong-type' },
    { name: 'ACC frame', bytes: [0x02, ...PPI_HEADER_NO_TIME.slice(1)], code: 'wrong-type' },
    { name: 'compressed frame', bytes: [...PPI_HEADER_NO_TIME.slice(0, 9), 0x80], code: 'unsupported-frame' },
    { name: 'raw frame type 1', bytes: [...PPI_HEADER_NO_TIME.slice(0, 9), 0x01], code: 'unsupported-frame' },
  ])('rejects $name → $code', ({ bytes, code }) => {
    expect(parsePpiFrame(view(bytes))).toMatchObject({ ok: false, code });
  });

  it('never throws on random bytes, and accepts only whole samples', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const result = parsePpiFrame(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        if (result.ok) expect(result.samples.length * 6 + 10).toBe(bytes.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips any samples laid out by the published layout', () => {
    const sample = fc.record({
      hr: fc.integer({ min: 0, max: 255 }),
      ppMs: fc.integer({ min: 0, max: 0xffff }),
      errorMs: fc.integer({ min: 0, max: 0xffff }),
      blocker: fc.boolean(),
      skinContact: fc.boolean(),
      skinContactSupported: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 20 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (samples, timestamp) => {
        const bytes = new Uint8Array(10 + 6 * samples.length);
        const out = new DataView(bytes.buffer);
        out.setUint8(0, 3);
        out.setBigUint64(1, timestamp, true);
        samples.forEach((s, i) => {
          const flags = (s.blocker ? 1 : 0) | (s.skinContact ? 2 : 0) | (s.skinContactSupported ? 4 : 0);
          bytes.set(ppiSampleBytes(s.hr, s.ppMs, s.errorMs, flags), 10 + 6 * i);
        });
        expect(parsePpiFrame(out)).toEqual({ ok: true, timestamp, samples });
      }),
    );
  });
});

describe('usablePpiIntervals', () => {
  const sample = (ppMs: number, errorMs: number, flags: Partial<PpiSample> = {}): PpiSample => ({
    hr: 0,
    ppMs,
    errorMs,
    blocker: false,
    skinContact: true,
    skinContactSupported: true,
    ...flags,
  });

  it('filters a realistic frame and counts why', () => {
    const frame = [
      ...PPI_HEADER_NO_TIME,
      ...ppiSampleBytes(0, 981, 8, 0x06), // good
      ...ppiSampleBytes(0, 964, 10, 0x07), // blocker: moved
      ...ppiSampleBytes(0, 950, 9, 0x04), // contact supported, not detected
      ...ppiSampleBytes(0, 947, 45, 0x06), // error estimate too large
      ...ppiSampleBytes(0, 200, 5, 0x06), // too short: kept for the HRV maths to reject
      ...ppiSampleBytes(0, 2600, 5, 0x06), // too long: kept, it is time that passed
      ...ppiSampleBytes(0, 0, 5, 0x06), // 0 ms: no interval
      ...ppiSampleBytes(0, 1002, 30, 0x06), // error at the limit: kept
      ...ppiSampleBytes(0, 990, 12, 0x00), // contact not supported: kept
    ];
    const parsed = parsePpiFrame(view(frame));
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(usablePpiIntervals(parsed.samples)).toEqual({
      intervalsMs: [981, 200, 2600, 1002, 990],
      dropped: { blocker: 1, noContact: 1, error: 1, range: 1 },
    });
  });

  it('counts each sample once, under its first reason', () => {
    const bad = sample(100, 500, { blocker: true, skinContact: false });
    expect(usablePpiIntervals([bad]).dropped).toEqual({ blocker: 1, noContact: 0, error: 0, range: 0 });
    expect(usablePpiIntervals([{ ...bad, blocker: false }]).dropped).toEqual({ blocker: 0, noContact: 1, error: 0, range: 0 });
    expect(usablePpiIntervals([{ ...bad, blocker: false, skinContact: true }]).dropped).toEqual({
      blocker: 0,
      noContact: 0,
      error: 1,
      range: 0,
    });
  });

  it('takes the error limit as a parameter', () => {
    const samples = [sample(900, 31), sample(910, 45), sample(920, 51)];
    expect(usablePpiIntervals(samples).intervalsMs).toEqual([]);
    expect(usablePpiIntervals(samples, 50).intervalsMs).toEqual([900, 910]);
  });

  it.each([
    [0, false],
    [1, true],
    [249, true],
    [2500, true],
    [3000, true],
  ])('interval %i ms kept: %s (outliers are the HRV maths to reject)', (ppMs, kept) => {
    expect(usablePpiIntervals([sample(ppMs, 0)]).intervalsMs).toEqual(kept ? [ppMs] : []);
  });

  it('keeps order and accounts for every sample', () => {
    const arbitrary = fc.record({
      hr: fc.constant(0),
      ppMs: fc.integer({ min: 0, max: 4000 }),
      errorMs: fc.integer({ min: 0, max: 100 }),
      blocker: fc.boolean(),
      skinContact: fc.boolean(),
      skinContactSupported: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(arbitrary, { maxLength: 30 }), (samples) => {
        const { intervalsMs, dropped } = usablePpiIntervals(samples);
        const total = intervalsMs.length + dropped.blocker + dropped.noContact + dropped.error + dropped.range;
        expect(total).toBe(samples.length);
        const kept = samples.filter((s) => !s.blocker && (s.skinContact || !s.skinContactSupported) && s.errorMs <= 30 && s.ppMs > 0);
        expect(intervalsMs).toEqual(kept.map((s) => s.ppMs));
      }),
    );
  });
});
