import { signal } from '@preact/signals';
import type { AlertPhase } from '../shared/pacing/alerts';
import type { DayLoad } from '../shared/pacing/budget';
import { DEFAULT_PACING_SETTINGS, type PacingSettings } from '../shared/pacing/settings';
import type { Zone, ZoneBounds } from '../shared/pacing/zones';

/**
 * What the pacing monitor (pacing-monitor.ts) publishes and the cards read. Kept small and free
 * of IndexedDB so Today's first render does not wait for the monitor's code.
 */

/** The latest morning measurement's resting HR, if any (not demo readings). */
export interface MeasuredRestingHr {
  bpm: number;
  /** Local date of the reading, `YYYY-MM-DD`. */
  date: string;
}

/** Settings and the measurement they may depend on; `loaded` false until read from IndexedDB. */
export interface PacingInputs {
  loaded: boolean;
  settings: PacingSettings;
  measured: MeasuredRestingHr | null;
}

/** How the last alert reached the person. */
export type AlertDelivery = 'notification' | 'in-page' | 'off';

/** The most recent alert of this page. */
export interface PacingAlert {
  t: number;
  bpm: number;
  episodeStart: number;
  threshold: number;
  delivery: AlertDelivery;
  /** Why a notification could not be shown, when it could not. */
  problem: string | null;
}

/** The live picture for Today. */
export interface PacingStatus {
  bounds: ZoneBounds;
  /** Latest heart rate and its zone; null before the first reading. */
  bpm: number | null;
  zone: Zone | null;
  phase: AlertPhase;
  /** When the current rise or recovery started (rising/recovering), else null. */
  phaseSince: number | null;
  /** Time of the latest reading. */
  t: number | null;
  /** Today's load; null until today's stored samples are read. */
  load: DayLoad | null;
  /** True when the samples are the demo armband's. */
  demo: boolean;
  /** The alert of the current episode, if one fired; cleared when the episode ends. */
  alert: PacingAlert | null;
}

export const pacingInputs = signal<PacingInputs>({ loaded: false, settings: { ...DEFAULT_PACING_SETTINGS }, measured: null });
export const pacingStatus = signal<PacingStatus | null>(null);
/** The page's notification permission, kept current by the monitor ('unsupported' without the API). */
export const notificationPermission = signal<NotificationPermission | 'unsupported'>(
  typeof Notification === 'undefined' ? 'unsupported' : Notification.permission,
);
