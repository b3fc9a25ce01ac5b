import { beforeEach, describe, expect, it } from 'vitest';
import { ArmbandIngest } from '../../src/armband/ingest';
import { liveHistory } from '../../src/armband/live-history';
import { batteryLevel, diagnostics, EMPTY_DIAGNOSTICS, liveReading } from '../../src/armband/live-state';
import type { SourcedSample } from '../../src/recording/chunk-batches';
import { encodeHeartRateMeasurement } from '../../src/shared/armband/heart-rate-measurement';

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const STRAP = { id: 'strap-1', name: 'Strap', demo: false };

/** A PPI frame as polar-ble-sdk's PpiData describes it: header, then 6-byte samples. */
function ppiFrame(samples: { hr?: number; ppMs: number; errorMs?: number; blocker?: boolean; contact?: boolean }[]): DataView {
  const bytes = new Uint8Array(10 + 6 * samples.length);
  const v = new DataView(bytes.buffer);
  v.setUint8(0, 0x03);
  samples.forEach((s, i) => {
    const at = 10 + 6 * i;
    v.setUint8(at, s.hr ?? 0);
    v.setUint16(at + 1, s.ppMs, true);
    v.setUint16(at + 3, s.errorMs ?? 5, true);
    v.setUint8(at + 5, (s.blocker ? 1 : 0) | ((s.contact ?? true) ? 2 : 0) | 4);
  });
  return v;
}

let recorded: SourcedSample[];
let ingest: ArmbandIngest;
let now: number;

beforeEach(() => {
  recorded = [];
  now = 1_700_000_000_000;
  diagnostics.value = EMPTY_DIAGNOSTICS;
  liveReading.value = null;
  batteryLevel.value = null;
  liveHistory.reset(STRAP.id);
  ingest = new ArmbandIngest(STRAP, { record: (entry) => recorded.push(entry) }, () => now++);
});

describe('ingesting armband values', () => {
  it('records a good reading with its RR intervals, the clock time, and shows it live', () => {
    ingest.heartRate(view(encodeHeartRateMeasurement({ bpm: 72, contact: true, rrMs: [833, 820], uint16: true })));
    expect(recorded).toEqual([
      {
        sourceId: 'strap-1',
        demo: false,
        intervalKind: 'rr',
        sample: { t: 1_700_000_000_000, bpm: 72, contact: true, intervalsMs: [833, 820] },
      },
    ]);
    expect(liveReading.value).toMatchObject({ bpm: 72, contact: true, demo: false });
    expect(liveHistory.snapshot(now).points).toEqual([{ t: 1_700_000_000_000, bpm: 72 }]);
    expect(diagnostics.value).toMatchObject({ received: 1, kept: 1, rejected: {} });
  });

  it.each([
    { name: 'empty', bytes: new Uint8Array(0), code: 'empty' },
    { name: 'odd RR bytes', bytes: Uint8Array.of(0x10, 70, 1), code: 'truncated' },
    { name: 'zero bpm', bytes: Uint8Array.of(0x00, 0), code: 'zero-bpm' },
    { name: 'reserved flags', bytes: Uint8Array.of(0x80, 70), code: 'reserved-flags' },
    { name: '12 bpm', bytes: Uint8Array.of(0x00, 12), code: 'implausible-bpm' },
    { name: '400 bpm', bytes: Uint8Array.of(0x01, 0x90, 0x01), code: 'implausible-bpm' },
  ])('refuses $name: counted with its reason, never recorded', ({ bytes, code }) => {
    ingest.heartRate(view(bytes));
    expect(recorded).toEqual([]);
    expect(liveReading.value).toBeNull();
    expect(diagnostics.value.rejected).toEqual({ [code]: 1 });
    expect(diagnostics.value.last?.message).toContain(code);
  });

  it('records an implausible RR interval for the HRV maths to reject, and counts a warning', () => {
    ingest.heartRate(view(encodeHeartRateMeasurement({ bpm: 70, rrMs: [850, 3000] })));
    expect(recorded[0]?.sample.intervalsMs).toEqual([850, 3000]);
    expect(diagnostics.value).toMatchObject({ kept: 1, warnings: 1 });
  });

  it('never throws out of a notification handler, whatever it is given', () => {
    const broken = new ArmbandIngest(STRAP, {
      record: () => {
        throw new Error('disk on fire');
      },
    });
    expect(() => broken.heartRate(view(Uint8Array.of(0x00, 70)))).not.toThrow();
    expect(diagnostics.value.rejected).toEqual({ internal: 1 });
  });

  it('with PPI, records intervalKind ppi with the usable intervals riding on the next heart-rate sample', () => {
    ingest.usePpi(true);
    ingest.ppiFrame(
      ppiFrame([{ ppMs: 900 }, { ppMs: 910, blocker: true }, { ppMs: 905, errorMs: 80 }, { ppMs: 920, contact: false }, { ppMs: 930 }]),
    );
    expect(recorded).toEqual([]);
    ingest.heartRate(view(encodeHeartRateMeasurement({ bpm: 66, contact: null, rrMs: [] })));
    ingest.heartRate(view(encodeHeartRateMeasurement({ bpm: 67, contact: null, rrMs: [] })));
    expect(recorded.map((r) => [r.intervalKind, r.sample.intervalsMs])).toEqual([
      ['ppi', [900, 930]],
      ['ppi', []],
    ]);
    expect(diagnostics.value.ppiDropped).toBe(3);
  });

  it('refuses a PPI frame it cannot read', () => {
    ingest.usePpi(true);
    ingest.ppiFrame(view(Uint8Array.of(0x03, 0, 0)));
    expect(diagnostics.value.rejected).toEqual({ 'ppi-truncated': 1 });
  });

  it('shows battery levels and refuses impossible ones', () => {
    ingest.battery(view(Uint8Array.of(64)));
    expect(batteryLevel.value).toBe(64);
    ingest.battery(view(Uint8Array.of(140)));
    expect(batteryLevel.value).toBe(64);
    expect(diagnostics.value.rejected).toEqual({ 'battery-range': 1 });
  });

  it('labels demo data as demo all the way to the recorder', () => {
    const demo = new ArmbandIngest({ id: 'demo', name: 'Demo armband', demo: true }, { record: (entry) => recorded.push(entry) });
    demo.heartRate(view(encodeHeartRateMeasurement({ bpm: 61, contact: true, rrMs: [984] })));
    expect(recorded[0]).toMatchObject({ sourceId: 'demo', demo: true });
    expect(liveReading.value?.demo).toBe(true);
  });
});
