import { signal } from '@preact/signals';
import type { ActiveZones } from '../shared/pacing/active-zones';
import type { AlertPhase, Suppression } from '../shared/pacing/alerts';
import type { DayLoad } from '../shared/pacing/budget';
import { DEFAULT_PACING_SETTINGS, type PacingSettings } from '../shared/pacing/settings-document';
import type { Zone, ZoneBounds } from '../shared/pacing/zones';
import type { AlertLogEntry } from './alert-log';

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

/** How the last alert reached the person; 'held': raised in quiet hours, not notified. */
export type AlertDelivery = 'notification' | 'in-page' | 'off' | 'held';

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
  /** The bounds with how they were worked out (method and figures). */
  zones: ActiveZones;
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
  /** Why the latest reading cannot alert (no skin contact, implausible), or null. */
  suppressed: Suppression | null;
  /** The latest reading fell in quiet hours. */
  quietNow: boolean;
  /** Today's alerts, held ones included. */
  log: AlertLogEntry[];
  /** Enough days of wear for a learned-zone proposal, while the default threshold is in use (learned-offer.ts). */
  learnedReady: boolean;
}

export const pacingInputs = signal<PacingInputs>({ loaded: false, settings: { ...DEFAULT_PACING_SETTINGS }, measured: null });
export const pacingStatus = signal<PacingStatus | null>(null);
/** The page's notification permission, kept current by the monitor ('unsupported' without the API). */
export const notificationPermission = signal<NotificationPermission | 'unsupported'>(
  typeof Notification === 'undefined' ? 'unsupported' : Notification.permission,
);
