import { describe, expect, it } from 'vitest';
import { PacingSession } from '../../src/pacing/pacing-session';
import type { AlertEvent } from '../../src/shared/pacing/alerts';
import { DEFAULT_PACING_SETTINGS, type PacingSettings } from '../../src/shared/pacing/settings';

const DAY = 86_400_000;
/** Days start at multiples of 24 h here, so the tests do not depend on the machine's time zone. */
const utcDay = (t: number) => Math.floor(t / DAY) * DAY;
const clock = { dayStartOf: utcDay, minuteOfDay: (t: number) => Math.floor((t - utcDay(t)) / 60_000) };
const T0 = 20_000 * DAY + 9 * 3_600_000; // 09:00 on some day

const settings = (change: Partial<PacingSettings> = {}): PacingSettings => ({
  ...DEFAULT_PACING_SETTINGS,
  threshold: 100,
  dwellSeconds: 5,
  ...change,
});
const session = (change: Partial<PacingSettings> = {}, measured: number | null = 60) =>
  new PacingSession({ settings: settings(change), measuredRestingHr: measured }, T0, { clock });

/** Feeds one sample a second from `fromS` and returns every event. */
function feed(s: PacingSession, bpm: readonly number[], fromS: number): AlertEvent[] {
  return bpm.flatMap((b, i) => s.push({ t: T0 + (fromS + i) * 1000, bpm: b }).events);
}
const hold = (bpm: number, seconds: number) => Array<number>(seconds).fill(bpm);
const flap = (seconds: number) => Array.from({ length: seconds }, (_, i) => (i % 2 === 0 ? 101 : 99));
const alertsIn = (events: AlertEvent[]) => events.filter((e) => e.type === 'alert');

describe('the pacing session alerts', () => {
  it('once per episode over the scripted rise the browser test uses: 80 → 120 → flapping ±1 around 100 → 80', () => {
    const s = session();
    const script = [...hold(80, 5), ...hold(120, 8), ...flap(20), ...hold(80, 15)];
    const events = feed(s, script, 0);
    expect(alertsIn(events)).toEqual([{ type: 'alert', t: T0 + 10_000, bpm: 120, episodeStart: T0 + 5_000 }]);
    expect(events.map((e) => e.type)).toEqual(['alert', 'episode-end']);
    expect(s.alertState.phase).toBe('calm');
  });

  it('not again after a reload mid-episode that carries the detector state over', () => {
    const before = session();
    expect(alertsIn(feed(before, hold(120, 10), 0))).toHaveLength(1);
    const carried = before.episode;
    expect(carried.alert.phase).toBe('alerted');
    // The reloaded page: samples resume two seconds later, still high.
    const after = new PacingSession({ settings: settings(), measuredRestingHr: 60 }, T0 + 12_000, { clock, carried });
    expect(alertsIn(feed(after, hold(120, 10), 12))).toEqual([]);
    // Without the carried state the same samples alert: the test can tell the difference.
    expect(alertsIn(feed(session(), hold(120, 10), 12))).toHaveLength(1);
  });

  it('again for a second rise after recovery', () => {
    const s = session();
    const first = feed(s, [...hold(80, 5), ...hold(120, 8), ...hold(80, 15)], 0);
    const second = feed(s, hold(120, 8), 28);
    expect(alertsIn(first)).toHaveLength(1);
    expect(alertsIn(second)).toEqual([{ type: 'alert', t: T0 + 33_000, bpm: 120, episodeStart: T0 + 28_000 }]);
  });

  it('uses the dwell from the settings', () => {
    expect(alertsIn(feed(session({ dwellSeconds: 30 }), hold(120, 30), 0))).toEqual([]);
    expect(alertsIn(feed(session({ dwellSeconds: 30 }), hold(120, 31), 0))).toHaveLength(1);
  });

  it('uses resting + 15 when the threshold is automatic', () => {
    const s = session({ threshold: null }, 62);
    expect(s.zoneBounds).toEqual({ restBelow: 67, threshold: 77 });
    expect(alertsIn(feed(s, hold(77, 6), 0))).toHaveLength(1);
  });

  it('does not alert again when the threshold changes mid-episode', () => {
    const s = session();
    expect(alertsIn(feed(s, hold(120, 10), 0))).toHaveLength(1);
    s.configure({ settings: settings({ threshold: 110 }), measuredRestingHr: 60 });
    expect(alertsIn(feed(s, hold(120, 30), 10))).toEqual([]);
  });

  it('ignores samples not after the last one', () => {
    const s = session();
    feed(s, hold(120, 4), 0);
    expect(s.push({ t: T0 + 1_000, bpm: 120 })).toEqual({ events: [], actions: [], suppressed: null });
    expect(s.load.recordedMs).toBe(3_000);
  });
});

describe("the pacing session's day load", () => {
  it('adds up live samples per span, the same as dayLoad over them all', () => {
    const s = session();
    // 60 s rest (<65), 60 s activity, 60 s exertion: 0 + 1 + 3 points.
    feed(s, [...hold(60, 60), ...hold(80, 60), ...hold(120, 61)], 0);
    expect(s.load.ms).toEqual({ rest: 60_000, activity: 60_000, exertion: 60_000 });
    expect(s.load.points).toBeCloseTo(4, 9);
    expect(s.load.aboveThresholdMs).toBe(60_000);
    expect(s.load.remaining).toBeCloseTo(DEFAULT_PACING_SETTINGS.dailyPoints - 4, 9);
  });

  it('merges stored samples with live ones without doubling the overlap', () => {
    const s = session();
    feed(s, hold(80, 31), 30); // live: 09:00:30–09:01:00
    const stored = hold(80, 46).map((bpm, i) => ({ t: T0 + i * 1000, bpm })); // stored: 09:00:00–09:00:45, overlapping
    s.addStored(stored, utcDay(T0));
    expect(s.load.ms.activity).toBe(60_000);
    expect(s.load.points).toBeCloseTo(1, 9);
  });

  it("ignores stored samples read for another day, and samples before today's start", () => {
    const s = session();
    s.addStored(
      [
        { t: T0, bpm: 80 },
        { t: T0 + 1_000, bpm: 80 },
      ],
      utcDay(T0) - DAY,
    );
    expect(s.load.recordedMs).toBe(0);
    s.addStored(
      [
        { t: utcDay(T0) - 1_000, bpm: 80 },
        { t: utcDay(T0) + 1_000, bpm: 80 },
      ],
      utcDay(T0),
    );
    expect(s.load.recordedMs).toBe(0);
  });

  it('recomputes against new bounds and a new limit when the settings change', () => {
    const s = session();
    feed(s, hold(90, 61), 0);
    expect(s.load.ms.activity).toBe(60_000);
    s.configure({ settings: settings({ threshold: 85, dailyPoints: 2 }), measuredRestingHr: 60 });
    expect(s.load.ms.exertion).toBe(60_000);
    expect(s.load.points).toBeCloseTo(3, 9);
    expect(s.load.over).toBeCloseTo(1, 9);
  });

  it('starts a new budget at midnight, counting the span across it from 00:00', () => {
    const start = utcDay(T0) + DAY - 30_000; // 23:59:30
    const s = new PacingSession({ settings: settings(), measuredRestingHr: 60 }, start, { clock });
    for (let i = 0; i <= 60; i += 5) s.push({ t: start + i * 1000, bpm: 80 });
    expect(s.day).toBe(utcDay(T0) + DAY);
    expect(s.load.ms.activity).toBe(30_000);
    expect(s.rollDay(start + 60_000)).toBe(false);
    expect(s.rollDay(start + DAY)).toBe(false); // 23:59:30 the next day
    expect(s.rollDay(start + DAY + 30_000)).toBe(true);
    expect(s.load.recordedMs).toBe(0);
  });
});
