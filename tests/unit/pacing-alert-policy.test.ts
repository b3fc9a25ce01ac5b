import { describe, expect, it } from 'vitest';
import { PacingSession } from '../../src/pacing/pacing-session';
import {
  type AlertAction,
  type AlertPolicyConfig,
  INITIAL_POLICY_STATE,
  inQuietHours,
  minuteOfDay,
  stepAlertPolicy,
} from '../../src/shared/pacing/alert-policy';
import { type AlertEvent, type AlertSample, createAlertDetector, suppressionOf } from '../../src/shared/pacing/alerts';
import { DEFAULT_PACING_SETTINGS } from '../../src/shared/pacing/settings';

const THRESHOLD = 100; // recovery line 95
const DWELL_MS = 5_000;

/** One sample a second from `fromS`: [bpm, quiet] pairs. */
type Step = [bpm: number, quiet: boolean];
const hold = (bpm: number, seconds: number, quiet = false): Step[] => Array.from({ length: seconds }, () => [bpm, quiet]);

/** The detector and the policy together, as the pacing session runs them; every action. */
function run(steps: readonly Step[], repeatMs: number | null = null): AlertAction[] {
  const detector = createAlertDetector({ threshold: THRESHOLD, dwellMs: DWELL_MS });
  const config: AlertPolicyConfig = { threshold: THRESHOLD, repeatMs };
  let state = INITIAL_POLICY_STATE;
  const actions: AlertAction[] = [];
  steps.forEach(([bpm, quiet], i) => {
    const t = i * 1000;
    const events: AlertEvent[] = detector.push({ t, bpm });
    const step = stepAlertPolicy(config, state, { t, bpm, phase: detector.state.phase, events, quiet });
    state = step.state;
    actions.push(...step.actions);
  });
  return actions;
}
const summary = (actions: AlertAction[]) => actions.map((a) => (a.type === 'hold' ? `hold@${a.t}` : `${a.reason}@${a.t}`));

describe('quiet hours as a window', () => {
  it.each([
    ['21:59', false],
    ['22:00', true],
    ['23:59', true],
    ['00:00', true],
    ['06:59', true],
    ['07:00', false],
    ['12:00', false],
  ])('22:00–07:00 (across midnight) at %s: %s', (at, quiet) => {
    expect(inQuietHours({ start: '22:00', end: '07:00' }, minuteOfDay(at)!)).toBe(quiet);
  });

  it.each([
    ['12:59', false],
    ['13:00', true],
    ['14:59', true],
    ['15:00', false],
  ])('13:00–15:00 (same day) at %s: %s', (at, quiet) => {
    expect(inQuietHours({ start: '13:00', end: '15:00' }, minuteOfDay(at)!)).toBe(quiet);
  });

  it('is never quiet without a window, or with an empty one', () => {
    expect(inQuietHours(null, 0)).toBe(false);
    expect(inQuietHours({ start: '22:00', end: '22:00' }, minuteOfDay('22:00')!)).toBe(false);
  });

  it('reads HH:MM and nothing else', () => {
    expect(minuteOfDay('07:05')).toBe(425);
    expect(minuteOfDay('23:59')).toBe(1439);
    for (const bad of ['24:00', '7:00', '07:60', '0700', '']) expect(minuteOfDay(bad)).toBeNull();
  });
});

describe('alerts in quiet hours', () => {
  it('are held, then notified at the first sample after quiet hours if the episode is still on', () => {
    // Rising from 0 s, the 5 s dwell completes at 5 s (quiet: held); quiet ends at 10 s, still 120.
    expect(summary(run([...hold(120, 10, true), ...hold(120, 20)]))).toEqual(['hold@5000', 'quiet-hours-ended@10000']);
  });

  it('are only held when the episode ended during quiet hours', () => {
    // Below the recovery line from 10 s, for the 10 s recovery dwell: the episode ends at 20 s, still quiet.
    expect(summary(run([...hold(120, 10, true), ...hold(80, 12, true), ...hold(80, 20)]))).toEqual(['hold@5000']);
  });

  it('are notified after quiet hours while HR sits in the hysteresis band (the episode is still on)', () => {
    expect(summary(run([...hold(120, 10, true), ...hold(97, 5)]))).toEqual(['hold@5000', 'quiet-hours-ended@10000']);
  });

  it('are notified at once outside them', () => {
    expect(summary(run(hold(120, 30)))).toEqual(['episode@5000']);
  });
});

describe('the gentle repeat', () => {
  it('is off by default: one notification however long the episode', () => {
    expect(summary(run(hold(120, 300)))).toEqual(['episode@5000']);
  });

  it('notifies again every repeatMs while HR stays at or above the threshold', () => {
    expect(summary(run(hold(120, 130), 60_000))).toEqual(['episode@5000', 'repeat@65000', 'repeat@125000']);
  });

  it('waits for a sample at or above the threshold once due', () => {
    // Due at 65 s, but 97 bpm (inside the band, the episode goes on) until 70 s: the repeat comes at 71 s, the next at 131 s.
    const steps = [...hold(120, 60), ...hold(97, 11), ...hold(120, 70)];
    expect(summary(run(steps, 60_000))).toEqual(['episode@5000', 'repeat@71000', 'repeat@131000']);
  });

  it('waits for quiet hours to end', () => {
    // Notified at 5 s; quiet from 30 s to 100 s, when the 65 s repeat was due: it comes at 100 s, the next at 160 s.
    const steps = [...hold(120, 30), ...hold(120, 70, true), ...hold(120, 70)];
    expect(summary(run(steps, 60_000))).toEqual(['episode@5000', 'repeat@100000', 'repeat@160000']);
  });

  it('stops with the episode', () => {
    const steps = [...hold(120, 30), ...hold(80, 12), ...hold(120, 70)];
    // Episode 1 notified at 5 s and ends at 40 s (no repeat: 60 s never passed); episode 2 rises at 42 s, alerts at 47 s, repeats at 107 s.
    expect(summary(run(steps, 60_000))).toEqual(['episode@5000', 'episode@47000', 'repeat@107000']);
  });
});

describe('no alert without skin contact or from an implausible reading', () => {
  const detect = (samples: AlertSample[]) => {
    const detector = createAlertDetector({ threshold: THRESHOLD, dwellMs: DWELL_MS });
    return samples.flatMap((sample) => detector.push(sample));
  };
  const at = (fromS: number, seconds: number, sample: Omit<AlertSample, 't'>): AlertSample[] =>
    Array.from({ length: seconds }, (_, i) => ({ ...sample, t: (fromS + i) * 1000 }));

  it('says why a sample is suppressed (30–230 bpm plausible, inclusive)', () => {
    expect(suppressionOf({ t: 0, bpm: 120, contact: false })).toBe('no-contact');
    expect(suppressionOf({ t: 0, bpm: 0, contact: false })).toBe('no-contact');
    expect(suppressionOf({ t: 0, bpm: 29 })).toBe('implausible');
    expect(suppressionOf({ t: 0, bpm: 231, contact: true })).toBe('implausible');
    expect(suppressionOf({ t: 0, bpm: 30 })).toBeNull();
    expect(suppressionOf({ t: 0, bpm: 230, contact: null })).toBeNull();
  });

  it('never alerts on no-contact samples however high and long', () => {
    expect(detect(at(0, 60, { bpm: 140, contact: false }))).toEqual([]);
    expect(detect(at(0, 60, { bpm: 140, contact: true }))).toHaveLength(1);
  });

  it('never alerts on readings above 230 bpm', () => {
    expect(detect(at(0, 60, { bpm: 231 }))).toEqual([]);
    expect(detect(at(0, 60, { bpm: 230 }))).toHaveLength(1);
  });

  it('does not let suppressed samples carry a dwell: contact lost for over 10 s starts it again', () => {
    // Rising at 0–2 s; no contact 3–22 s (ignored, a 21 s gap); back at 23 s: the dwell restarts there and completes at 28 s.
    const samples = [
      ...at(0, 3, { bpm: 120, contact: true }),
      ...at(3, 20, { bpm: 120, contact: false }),
      ...at(23, 10, { bpm: 120, contact: true }),
    ];
    expect(detect(samples)).toEqual([{ type: 'alert', t: 28_000, bpm: 120, episodeStart: 23_000 }]);
  });

  it('counts samples whose contact is not reported', () => {
    expect(detect(at(0, 6, { bpm: 120, contact: null }))).toHaveLength(1);
  });
});

describe('the pacing session with quiet hours and suppression', () => {
  const DAY = 86_400_000;
  const utcDay = (t: number) => Math.floor(t / DAY) * DAY;
  const clock = { dayStartOf: utcDay, minuteOfDay: (t: number) => Math.floor((t - utcDay(t)) / 60_000) };
  const T2230 = 20_000 * DAY + 22.5 * 3_600_000;
  const session = (quietHours: { start: string; end: string } | null, repeatMinutes: number | null = null) =>
    new PacingSession(
      { settings: { ...DEFAULT_PACING_SETTINGS, threshold: THRESHOLD, dwellSeconds: 5, quietHours, repeatMinutes }, measuredRestingHr: 60 },
      T2230,
      { clock },
    );

  it('holds an alert at 22:30 in 22:00–07:00 quiet hours, and notifies it in 21:00–22:00 ones', () => {
    const feed = (s: PacingSession) => Array.from({ length: 10 }, (_, i) => s.push({ t: T2230 + i * 1000, bpm: 120 }).actions).flat();
    expect(feed(session({ start: '22:00', end: '07:00' })).map((a) => a.type)).toEqual(['hold']);
    expect(feed(session({ start: '21:00', end: '22:00' })).map((a) => a.type)).toEqual(['notify']);
    expect(feed(session(null)).map((a) => a.type)).toEqual(['notify']);
  });

  it('reports a suppressed sample, and neither alerts on nor counts one without contact', () => {
    const s = session(null);
    const results = Array.from({ length: 30 }, (_, i) => s.push({ t: T2230 + i * 1000, bpm: 120, contact: false }));
    expect(results.every((r) => r.suppressed === 'no-contact' && r.actions.length === 0)).toBe(true);
    expect(s.load.recordedMs).toBe(0);
    expect(s.push({ t: T2230 + 31_000, bpm: 250 }).suppressed).toBe('implausible');
  });
});
