import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AlertConfig, type AlertEvent, createAlertDetector, INITIAL_ALERT_STATE, stepAlert } from '../../src/shared/pacing/alerts';
import type { BpmSample } from '../../src/shared/pacing/zones';

const THRESHOLD = 100; // recovery line 95 with the default 5 bpm hysteresis
/** `seconds` of samples at 1 Hz, all at `bpm`. */
const hold = (bpm: number, seconds: number) => Array<number>(seconds).fill(bpm);
/** Feeds one sample a second from `startS` and returns every event. */
function run(bpm: readonly number[], config: AlertConfig = { threshold: THRESHOLD }, startS = 0): AlertEvent[] {
  const detector = createAlertDetector(config);
  return bpm.flatMap((b, i) => detector.push({ t: (startS + i) * 1000, bpm: b }));
}
const alerts = (events: AlertEvent[]) => events.filter((e) => e.type === 'alert');
const wobble = (seconds: number, around: number) => Array.from({ length: seconds }, (_, i) => around + (i % 2 === 0 ? 1 : -1));

describe('alert dwell', () => {
  it('alerts once HR has stayed at or above the threshold for 15 s', () => {
    expect(run([...hold(90, 10), ...hold(100, 16)])).toEqual([{ type: 'alert', t: 25_000, bpm: 100, episodeStart: 10_000 }]);
  });

  it('does not alert for a rise shorter than the dwell', () => {
    expect(run([...hold(90, 10), ...hold(120, 15), ...hold(90, 30)])).toEqual([]);
  });

  it('restarts the dwell when HR dips below the threshold', () => {
    expect(run([...hold(105, 10), 99, ...hold(105, 14)])).toEqual([]);
    expect(alerts(run([...hold(105, 10), 99, ...hold(105, 16)]))).toHaveLength(1);
  });

  it('alerts on the first sample with no dwell', () => {
    expect(run([90, 101], { threshold: THRESHOLD, dwellMs: 0 })).toEqual([{ type: 'alert', t: 1000, bpm: 101, episodeStart: 1000 }]);
  });
});

describe('one alert per episode', () => {
  it('alerts exactly once over a long episode', () => {
    expect(alerts(run([...hold(90, 10), ...hold(120, 600)]))).toHaveLength(1);
  });

  it('does not flap while HR oscillates ±1 bpm around the threshold, before or after an alert', () => {
    expect(run(wobble(300, THRESHOLD))).toEqual([]);
    expect(run([...hold(110, 20), ...wobble(300, THRESHOLD)])).toEqual([{ type: 'alert', t: 15_000, bpm: 110, episodeStart: 0 }]);
  });

  it('stays in the episode while HR sits inside the hysteresis band', () => {
    expect(alerts(run([...hold(110, 20), ...hold(96, 120), ...hold(110, 60)]))).toHaveLength(1);
  });

  it('needs the recovery held for 10 s: a shorter dip does not end the episode', () => {
    expect(run([...hold(110, 20), ...hold(90, 9), ...hold(110, 60)])).toHaveLength(1);
  });

  it('alerts again after a real recovery', () => {
    const events = run([...hold(110, 20), ...hold(90, 12), ...hold(110, 20)]);
    expect(events).toEqual([
      { type: 'alert', t: 15_000, bpm: 110, episodeStart: 0 },
      { type: 'episode-end', t: 30_000, episodeStart: 0, reason: 'recovered' },
      { type: 'alert', t: 47_000, bpm: 110, episodeStart: 32_000 },
    ]);
  });

  it('never alerts twice without an end in between, and never flaps inside the hysteresis band (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 60, max: 140 }), { maxLength: 400 }), (bpm) => {
        const events = run(bpm);
        events.forEach((e, i) => {
          expect(e.type).toBe(i % 2 === 0 ? 'alert' : 'episode-end');
        });
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: THRESHOLD - 5, max: THRESHOLD + 5 }), { maxLength: 400 }), (bpm) => {
        expect(alerts(run(bpm)).length).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('gaps', () => {
  it('restarts the dwell after more than 10 s without samples', () => {
    const detector = createAlertDetector({ threshold: THRESHOLD });
    const feed = (fromS: number, seconds: number, bpm: number) =>
      Array.from({ length: seconds }, (_, i) => detector.push({ t: (fromS + i) * 1000, bpm })).flat();
    expect(feed(0, 10, 110)).toEqual([]);
    expect(feed(21, 15, 110)).toEqual([]); // 11 s gap: the 10 s before it no longer count
    expect(feed(36, 1, 110)).toEqual([{ type: 'alert', t: 36_000, bpm: 110, episodeStart: 21_000 }]);
  });

  it('keeps an episode open across a short dropout, so it does not buzz again', () => {
    const detector = createAlertDetector({ threshold: THRESHOLD });
    const events: AlertEvent[] = [];
    for (let s = 0; s < 20; s++) events.push(...detector.push({ t: s * 1000, bpm: 110 }));
    for (let s = 60; s < 120; s++) events.push(...detector.push({ t: s * 1000, bpm: 110 }));
    expect(events).toEqual([{ type: 'alert', t: 15_000, bpm: 110, episodeStart: 0 }]);
  });

  it('does not count a recovery across a gap', () => {
    const detector = createAlertDetector({ threshold: THRESHOLD });
    const events: AlertEvent[] = [];
    for (let s = 0; s < 20; s++) events.push(...detector.push({ t: s * 1000, bpm: 110 }));
    for (const s of [20, 21, 22, 23, 24, 35, 36]) events.push(...detector.push({ t: s * 1000, bpm: 90 }));
    expect(events.filter((e) => e.type === 'episode-end')).toEqual([]);
    for (let s = 37; s < 46; s++) events.push(...detector.push({ t: s * 1000, bpm: 90 }));
    expect(events.filter((e) => e.type === 'episode-end')).toEqual([
      { type: 'episode-end', t: 45_000, episodeStart: 0, reason: 'recovered' },
    ]);
  });

  it('ends an episode after 5 minutes without data, then can alert anew', () => {
    const detector = createAlertDetector({ threshold: THRESHOLD });
    const events: AlertEvent[] = [];
    for (let s = 0; s < 20; s++) events.push(...detector.push({ t: s * 1000, bpm: 110 }));
    for (let s = 400; s < 416; s++) events.push(...detector.push({ t: s * 1000, bpm: 110 }));
    expect(events).toEqual([
      { type: 'alert', t: 15_000, bpm: 110, episodeStart: 0 },
      { type: 'episode-end', t: 19_000, episodeStart: 0, reason: 'gap' },
      { type: 'alert', t: 415_000, bpm: 110, episodeStart: 400_000 },
    ]);
  });
});

describe('inputs and state', () => {
  it('ignores samples without a heart rate and samples out of order', () => {
    const detector = createAlertDetector({ threshold: THRESHOLD });
    expect(detector.push({ t: 1000, bpm: 110 })).toEqual([]);
    const before = detector.state;
    expect(detector.push({ t: 500, bpm: 110 })).toEqual([]);
    expect(detector.push({ t: 1000, bpm: 110 })).toEqual([]);
    expect(detector.push({ t: 2000, bpm: 0 })).toEqual([]);
    expect(detector.push({ t: 3000, bpm: Number.NaN })).toEqual([]);
    expect(detector.state).toBe(before);
  });

  it('is pure: state in, state out, resumable from stored state', () => {
    const samples: BpmSample[] = [...hold(110, 12), ...hold(110, 10)].map((bpm, i) => ({ t: i * 1000, bpm }));
    const frozen = Object.freeze({ ...INITIAL_ALERT_STATE });
    expect(stepAlert({ threshold: THRESHOLD }, frozen, samples[0]!).state).toEqual({
      phase: 'rising',
      lastT: 0,
      since: 0,
      episodeStart: null,
    });
    const first = createAlertDetector({ threshold: THRESHOLD });
    const early = samples.slice(0, 12).flatMap((s) => first.push(s));
    const stored = JSON.parse(JSON.stringify(first.state));
    const resumed = createAlertDetector({ threshold: THRESHOLD }, stored);
    const late = samples.slice(12).flatMap((s) => resumed.push(s));
    expect([...early, ...late]).toEqual(run(hold(110, 22)));
  });

  it('refuses a configuration that cannot work', () => {
    expect(() => createAlertDetector({ threshold: Number.NaN })).toThrow(RangeError);
    expect(() => createAlertDetector({ threshold: 100, dwellMs: -1 })).toThrow(RangeError);
  });
});
