/**
 * When an alert may reach the person, over the detector (alerts.ts): a pure step per usable
 * sample, so it is tested with vectors and its state survives a reload.
 *
 * Quiet hours (a local window, e.g. 22:00–07:00, which may cross midnight): an alert that fires
 * inside them is held, not notified; the day's log still lists it. If the episode is still on
 * (the detector is `alerted`: heart rate above the recovery line) at the first sample after the
 * quiet hours end, the held alert is notified then, once: the person was never told, and it still
 * matters. An episode that ended during the quiet hours stays in the log only.
 *
 * Gentle repeat (off by default): while an episode lasts, the first sample at or above the
 * threshold once `repeatMs` has passed since the last notification notifies again, without
 * vibration. Repeats due inside quiet hours wait for them to end, like the first alert.
 */
import type { AlertEvent, AlertPhase } from './alerts';

/** A daily window in local time, `HH:MM` (24 h); start ≠ end; end before start crosses midnight. */
export interface QuietHours {
  start: string;
  end: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes since local midnight of an `HH:MM` time; null when it is not one. */
export function minuteOfDay(hhmm: string): number | null {
  const match = HHMM.exec(hhmm);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/** Whether `minute` (since local midnight) is inside the window: start included, end excluded. */
export function inQuietHours(quiet: QuietHours | null, minute: number): boolean {
  if (!quiet) return false;
  const start = minuteOfDay(quiet.start);
  const end = minuteOfDay(quiet.end);
  if (start === null || end === null || start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** Minutes since local midnight at epoch ms `t` (the adapter's half of inQuietHours). */
export function localMinuteOf(t: number): number {
  const d = new Date(t);
  return d.getHours() * 60 + d.getMinutes();
}

export interface AlertPolicyConfig {
  threshold: number;
  /** Notify again after this long in one episode; null: never (the default). */
  repeatMs: number | null;
}

/** What the policy remembers about the current episode; plain data, safe to store. */
export interface AlertPolicyState {
  episodeStart: number | null;
  /** The episode's alert came in quiet hours and has not been notified yet. */
  held: boolean;
  lastNotifiedAt: number | null;
}

export const INITIAL_POLICY_STATE: AlertPolicyState = { episodeStart: null, held: false, lastNotifiedAt: null };

/** Why a notification goes out. */
export type NotifyReason = 'episode' | 'quiet-hours-ended' | 'repeat';

/** What the page should do after a sample. */
export type AlertAction =
  | { type: 'notify'; reason: NotifyReason; t: number; bpm: number; episodeStart: number }
  | { type: 'hold'; t: number; bpm: number; episodeStart: number };

/** One usable sample's worth of input: the sample, the detector's phase after it and its events, and whether it is quiet hours. */
export interface PolicyInput {
  t: number;
  bpm: number;
  phase: AlertPhase;
  events: readonly AlertEvent[];
  quiet: boolean;
}

/** One step: the policy state after the sample, and what to do. */
export function stepAlertPolicy(
  config: AlertPolicyConfig,
  state: AlertPolicyState,
  input: PolicyInput,
): { state: AlertPolicyState; actions: AlertAction[] } {
  const { t, bpm, phase, events, quiet } = input;
  const actions: AlertAction[] = [];
  let s = state;
  let alerted = false;
  for (const event of events) {
    if (event.type === 'episode-end') {
      s = INITIAL_POLICY_STATE;
      continue;
    }
    alerted = true;
    if (quiet) {
      actions.push({ type: 'hold', t: event.t, bpm: event.bpm, episodeStart: event.episodeStart });
      s = { episodeStart: event.episodeStart, held: true, lastNotifiedAt: null };
    } else {
      actions.push({ type: 'notify', reason: 'episode', t: event.t, bpm: event.bpm, episodeStart: event.episodeStart });
      s = { episodeStart: event.episodeStart, held: false, lastNotifiedAt: event.t };
    }
  }
  if (alerted || quiet || s.episodeStart === null || phase !== 'alerted') return { state: s, actions };
  if (s.held) {
    actions.push({ type: 'notify', reason: 'quiet-hours-ended', t, bpm, episodeStart: s.episodeStart });
    return { state: { ...s, held: false, lastNotifiedAt: t }, actions };
  }
  const { repeatMs, threshold } = config;
  if (repeatMs !== null && s.lastNotifiedAt !== null && t - s.lastNotifiedAt >= repeatMs && bpm >= threshold) {
    actions.push({ type: 'notify', reason: 'repeat', t, bpm, episodeStart: s.episodeStart });
    s = { ...s, lastNotifiedAt: t };
  }
  return { state: s, actions };
}
