import { describe, expect, it } from 'vitest';
import { createDemoArmband, type DemoReading, demoReadings, encodeHeartRateMeasurement } from '../../src/shared/armband/demo-armband';
import { parseHeartRateMeasurement } from '../../src/shared/armband/heart-rate-measurement';

const HOUR = 3600;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const intervals = (readings: readonly DemoReading[]) => readings.flatMap((r) => r.rrMs);

/** Indexes of premature beats: much shorter than the beat before, followed by a much longer one. */
function ectopicIndexes(rr: readonly number[]): number[] {
  const found: number[] = [];
  for (let i = 1; i + 1 < rr.length; i++) {
    const before = rr[i - 1]!;
    if (rr[i]! < 0.8 * before && rr[i + 1]! > 1.2 * before) found.push(i);
  }
  return found;
}

/** The frequency (Hz) in 0.15–0.45 where an RR series, taken at its beat times, oscillates most, and that oscillation's amplitude. */
function dominantOscillation(rr: readonly number[]): { hz: number; amplitudeMs: number } {
  const m = mean(rr);
  const times: number[] = [];
  let t = 0;
  for (const ms of rr) {
    t += ms / 1000;
    times.push(t);
  }
  let best = { hz: 0, amplitudeMs: 0 };
  for (let hz = 0.15; hz <= 0.45; hz += 0.005) {
    let re = 0;
    let im = 0;
    rr.forEach((ms, i) => {
      re += (ms - m) * Math.cos(2 * Math.PI * hz * times[i]!);
      im += (ms - m) * Math.sin(2 * Math.PI * hz * times[i]!);
    });
    const amplitudeMs = (2 * Math.hypot(re, im)) / rr.length;
    if (amplitudeMs > best.amplitudeMs) best = { hz, amplitudeMs };
  }
  return best;
}

describe('demo armband: determinism and shape', () => {
  it('gives the same readings for the same seed, and different ones for another', () => {
    expect(demoReadings({ seed: 7 }, 600)).toEqual(demoReadings({ seed: 7 }, 600));
    expect(demoReadings({ seed: 7 }, 600)).not.toEqual(demoReadings({ seed: 8 }, 600));
  });

  it('sends one reading per interval, stamped from the start time', () => {
    const readings = demoReadings({ seed: 1, startMs: 1_700_000_000_000 }, 120);
    expect(readings.map((r) => r.t)).toEqual(readings.map((_, i) => 1_700_000_000_000 + (i + 1) * 1000));
    expect(demoReadings({ seed: 1, intervalMs: 2000 }, 3).map((r) => r.t)).toEqual([2000, 4000, 6000]);
  });

  it('gives whole-ms intervals inside 250–2500 ms, a few per reading, with contact', () => {
    const readings = demoReadings({ seed: 3 }, HOUR);
    for (const r of readings) {
      expect(r.contact).toBe(true);
      expect(Number.isInteger(r.bpm)).toBe(true);
      expect(r.rrMs.length).toBeLessThanOrEqual(3);
      for (const ms of r.rrMs) expect(Number.isInteger(ms) && ms >= 250 && ms <= 2500).toBe(true);
    }
  });

  it('parses back from the bytes a strap would send', () => {
    for (const { t: _t, ...value } of demoReadings({ seed: 4 }, 300)) {
      expect(parseHeartRateMeasurement(new DataView(encodeHeartRateMeasurement(value).buffer))).toEqual({ ok: true, value, warnings: [] });
    }
  });

  it('refuses options outside their ranges', () => {
    expect(() => createDemoArmband({ seed: 1, meanBpm: 10 })).toThrow(RangeError);
    expect(() => createDemoArmband({ seed: 1.5 })).toThrow(RangeError);
    expect(() => createDemoArmband({ seed: 1, intervalMs: 0 })).toThrow(RangeError);
    expect(() => createDemoArmband({ seed: 1, ectopicProbability: 0.9 })).toThrow(RangeError);
    expect(() => createDemoArmband({ seed: 1 }).setMeanBpm(500)).toThrow(RangeError);
  });
});

describe('demo armband: physiology', () => {
  it.each([1, 2, 3, 4, 5])('seed %i: mean heart rate over an hour is within 3 bpm of 65', (seed) => {
    expect(Math.abs(mean(demoReadings({ seed }, HOUR).map((r) => r.bpm)) - 65)).toBeLessThan(3);
  });

  it.each([50, 90])('follows another mean (%i bpm)', (meanBpm) => {
    expect(Math.abs(mean(demoReadings({ seed: 11, meanBpm }, HOUR).map((r) => r.bpm)) - meanBpm)).toBeLessThan(3);
  });

  it('reports bpm consistent with its RR intervals, and the beats fill the time', () => {
    const readings = demoReadings({ seed: 6 }, HOUR);
    const rr = intervals(readings);
    expect(Math.abs(60_000 / mean(rr) - mean(readings.map((r) => r.bpm)))).toBeLessThan(1.5);
    const total = rr.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(HOUR * 1000);
    expect(total).toBeGreaterThan(HOUR * 1000 - 2500);
    const withBeats = readings.filter((r) => r.rrMs.length > 0);
    const close = withBeats.filter((r) => Math.abs(60_000 / mean(r.rrMs) - r.bpm) < 10);
    expect(close.length / withBeats.length).toBeGreaterThan(0.95);
  });

  it('varies beat to beat like a resting heart (RMSSD 20–100 ms)', () => {
    const rr = intervals(demoReadings({ seed: 9 }, HOUR));
    const rmssd = Math.sqrt(mean(rr.slice(1).map((ms, i) => (ms - rr[i]!) ** 2)));
    expect(rmssd).toBeGreaterThan(20);
    expect(rmssd).toBeLessThan(100);
  });

  it('shows respiratory sinus arrhythmia near 0.25 Hz in most minutes', () => {
    const readings = demoReadings({ seed: 12 }, 20 * 60);
    const minutes = Array.from({ length: 20 }, (_, m) => dominantOscillation(intervals(readings.slice(m * 60, m * 60 + 60))));
    const nearBreathing = minutes.filter((o) => o.hz >= 0.2 && o.hz <= 0.3 && o.amplitudeMs > 20 && o.amplitudeMs < 80);
    expect(nearBreathing.length).toBeGreaterThanOrEqual(16);
  });

  it('has premature beats with compensatory pauses, present but rare', () => {
    for (const seed of [1, 2, 3]) {
      const rr = intervals(demoReadings({ seed }, HOUR));
      const ectopic = ectopicIndexes(rr);
      expect(ectopic.length).toBeGreaterThanOrEqual(3);
      expect(ectopic.length / rr.length).toBeLessThan(0.01);
      // Full compensatory pause: the premature beat and the pause after it take about two normal beats.
      for (const i of ectopic) expect(Math.abs(rr[i]! + rr[i + 1]! - 2 * rr[i - 1]!)).toBeLessThan(0.2 * rr[i - 1]!);
    }
  });

  it('has no premature beats when their probability is 0', () => {
    expect(ectopicIndexes(intervals(demoReadings({ seed: 1, ectopicProbability: 0 }, HOUR)))).toEqual([]);
  });

  it('moves to a new mean within a minute or two of setMeanBpm', () => {
    const armband = createDemoArmband({ seed: 5 });
    const before = Array.from({ length: 300 }, () => armband.next());
    armband.setMeanBpm(100);
    const after = Array.from({ length: 300 }, () => armband.next());
    expect(Math.abs(mean(before.slice(120).map((r) => r.bpm)) - 65)).toBeLessThan(4);
    expect(Math.abs(mean(after.slice(120).map((r) => r.bpm)) - 100)).toBeLessThan(4);
  });
});
