/**
 * The pacing alert as a pure state machine: samples in, events out, no timers, so it runs the same
 * in the page, a worker or a test, and its state can be stored and resumed.
 *
 *   calm ──HR ≥ threshold──▶ rising ──still ≥ threshold after dwellMs──▶ alerted   (emits `alert`)
 *   rising ──any sample below threshold──▶ calm                         (a short rise is no episode)
 *   alerted ──HR < threshold − hysteresis──▶ recovering ──for recoveryDwellMs──▶ calm  (emits `episode-end`)
 *   recovering ──HR back ≥ threshold − hysteresis──▶ alerted             (same episode, no new alert)
 *
 * One alert per episode: re-alerting needs a recovery below threshold − hysteresis held for the
 * recovery dwell, so HR wobbling ±1 bpm around the threshold cannot flap.
 *
 * Gaps (no usable sample for more than maxGapMs): a dwell in progress, towards the alert or
 * towards recovery, starts again at the next sample, since nothing was seen in between. An open
 * episode survives a gap, so a Bluetooth dropout mid-effort does not buzz a second time; a gap
 * longer than episodeTimeoutMs ends it (`episode-end`, reason `gap`), as by then the reading is
 * about a different moment. Out-of-order samples are ignored.
 *
 * Suppressed samples never alert and never count towards a dwell: they are ignored as if not
 * sent, so the gap rules above apply to them. A sample is suppressed when the armband reports no
 * skin contact (its number is not a heart rate), or when the heart rate is outside
 * PLAUSIBLE_BPM (30–230 bpm: a slipping strap or noise). There is no sudden-jump rule: the dwell
 * already ignores a spike shorter than itself, and a jump rule would hide real orthostatic rises
 * (+30 bpm within seconds of standing up is what POTS is).
 */
import { type BpmSample, isPlausibleHeartRate, MAX_SAMPLE_GAP_MS } from './zones';

/** A sample as the detector takes it: with skin contact when the armband reports it. */
export interface AlertSample extends BpmSample {
  /** false: the armband reports no skin contact; null or absent: not reported. */
  contact?: boolean | null;
}

/** Why a sample cannot alert, or null when it can. */
export type Suppression = 'no-contact' | 'implausible';

/** Whether the sample is suppressed (see above), and why. */
export function suppressionOf(sample: AlertSample): Suppression | null {
  if (sample.contact === false) return 'no-contact';
  return isPlausibleHeartRate(sample.bpm) ? null : 'implausible';
}

/** What the detector watches for; everything but the threshold has a default. */
export interface AlertConfig {
  threshold: number;
  /** How long HR must stay at or above the threshold before the alert (15 s). */
  dwellMs?: number;
  /** How far below the threshold HR must fall to start recovering (5 bpm). */
  hysteresisBpm?: number;
  /** How long HR must stay below the recovery line to end the episode (10 s). */
  recoveryDwellMs?: number;
  maxGapMs?: number;
  /** A gap this long ends an open episode (5 min). */
  episodeTimeoutMs?: number;
}

/** Where the detector is in the diagram above. */
export type AlertPhase = 'calm' | 'rising' | 'alerted' | 'recovering';

/** Everything the detector remembers; plain data, safe to store. */
export interface AlertState {
  phase: AlertPhase;
  /** Time of the last usable sample. */
  lastT: number | null;
  /** Rising: first sample at or above the threshold; recovering: first sample below the recovery line. */
  since: number | null;
  /** Alerted or recovering: when HR first reached the threshold in this episode. */
  episodeStart: number | null;
}

/** What a sample can cause. */
export type AlertEvent =
  | { type: 'alert'; t: number; bpm: number; episodeStart: number }
  | { type: 'episode-end'; t: number; episodeStart: number; reason: 'recovered' | 'gap' };

/** A detector that has seen nothing yet. */
export const INITIAL_ALERT_STATE: AlertState = { phase: 'calm', lastT: null, since: null, episodeStart: null };

/** The detector for a long-running feed: `push` each sample, act on the events. */
export interface AlertDetector {
  push(sample: AlertSample): AlertEvent[];
  readonly state: AlertState;
}

/** One step of the state machine: the state after `sample`, and the events it caused. */
export function stepAlert(config: AlertConfig, state: AlertState, sample: AlertSample): { state: AlertState; events: AlertEvent[] } {
  const { threshold, dwellMs = 15_000, hysteresisBpm = 5, recoveryDwellMs = 10_000 } = config;
  const { maxGapMs = MAX_SAMPLE_GAP_MS, episodeTimeoutMs = 300_000 } = config;
  const { t, bpm } = sample;
  if (suppressionOf(sample) !== null || !Number.isFinite(t) || (state.lastT !== null && t <= state.lastT)) return { state, events: [] };

  const events: AlertEvent[] = [];
  let s: AlertState = { ...state, lastT: t };
  const gap = state.lastT === null ? 0 : t - state.lastT;
  if (gap > episodeTimeoutMs && s.episodeStart !== null && state.lastT !== null) {
    events.push({ type: 'episode-end', t: state.lastT, episodeStart: s.episodeStart, reason: 'gap' });
    s = { ...INITIAL_ALERT_STATE, lastT: t };
  } else if (gap > maxGapMs) {
    if (s.phase === 'rising') s = { ...s, phase: 'calm', since: null };
    if (s.phase === 'recovering') s = { ...s, phase: 'alerted', since: null };
  }

  const recoveryLine = threshold - hysteresisBpm;
  if (s.phase === 'calm' && bpm >= threshold) s = { ...s, phase: 'rising', since: t };
  else if (s.phase === 'rising' && bpm < threshold) s = { ...s, phase: 'calm', since: null };
  else if (s.phase === 'alerted' && bpm < recoveryLine) s = { ...s, phase: 'recovering', since: t };
  else if (s.phase === 'recovering' && bpm >= recoveryLine) s = { ...s, phase: 'alerted', since: null };

  if (s.phase === 'rising' && s.since !== null && t - s.since >= dwellMs) {
    events.push({ type: 'alert', t, bpm, episodeStart: s.since });
    s = { ...s, phase: 'alerted', episodeStart: s.since, since: null };
  } else if (s.phase === 'recovering' && s.since !== null && s.episodeStart !== null && t - s.since >= recoveryDwellMs) {
    events.push({ type: 'episode-end', t, episodeStart: s.episodeStart, reason: 'recovered' });
    s = { ...INITIAL_ALERT_STATE, lastT: t };
  }
  return { state: s, events };
}

/** A detector over stepAlert; pass a stored `state` to resume (e.g. after the threshold changed). */
export function createAlertDetector(config: AlertConfig, state: AlertState = INITIAL_ALERT_STATE): AlertDetector {
  if (!Number.isFinite(config.threshold)) throw new RangeError('threshold must be a number of bpm');
  if ((config.dwellMs ?? 0) < 0 || (config.hysteresisBpm ?? 0) < 0 || (config.recoveryDwellMs ?? 0) < 0) {
    throw new RangeError('dwellMs, hysteresisBpm and recoveryDwellMs cannot be negative');
  }
  let current = state;
  return {
    push(sample) {
      const next = stepAlert(config, current, sample);
      current = next.state;
      return next.events;
    },
    get state() {
      return current;
    },
  };
}
