/**
 * The pacing settings document's shape and defaults, apart from its parser (settings.ts), so
 * the first screen can start from the defaults without loading the validation.
 */
import type { QuietHours } from './alert-policy';
import { DEFAULT_DAILY_POINTS } from './budget';
import type { ZoneMethod } from './zone-methods';

/** What the person set; `null` means "work it out" where the field allows it. */
export interface PacingSettings {
  /** Resting HR typed by hand; null: from the latest morning measurement (DEFAULT_RESTING_HR until one exists). */
  restingHr: number | null;
  /** Threshold set by hand; null: automatic, resting HR + 15 bpm. */
  threshold: number | null;
  /** How long HR must stay at or above the threshold before the alert. */
  dwellSeconds: number;
  /** Pace points available per day. */
  dailyPoints: number;
  /** Alert when the threshold is crossed for the dwell time. */
  alerts: boolean;
  /** Vibrate with the alert, where the device can. */
  vibrate: boolean;
  /** How the threshold is worked out while none is set by hand (zone-methods.ts). */
  zoneMethod: ZoneMethod;
  /** Year of birth, for the percentage of the age-predicted maximum; null when not given. */
  birthYear: number | null;
  /** Takes a heart-rate-lowering medication (e.g. a beta-blocker): lowers margins and the predicted maximum. */
  rateLoweringMedication: boolean;
  /** The learned zones the person agreed to; null until they apply a proposal. */
  learned: LearnedZones | null;
  /** Alerts in this local window are held, not notified (alert-policy.ts); null: no quiet hours. */
  quietHours: QuietHours | null;
  /** Notify again after this many minutes still above the threshold; null: off. */
  repeatMinutes: number | null;
}

/** A learned proposal (learned-zones.ts) as applied: its figures, so every device uses and shows the same. */
export interface LearnedZones {
  restingHr: number;
  dailyHigh: number;
  threshold: number;
  /** Days of wear it was learned from, and the first and last of them (`YYYY-MM-DD`). */
  days: number;
  from: string;
  to: string;
  /** Whether the medication option was on when it was worked out. */
  medication: boolean;
}

/** The id of the one pacing settings document per account. */
export const PACING_SETTINGS_DOC_ID = 'pacing';

/** Resting HR assumed until a morning measurement exists or one is typed: a typical adult's. */
export const DEFAULT_RESTING_HR = 60;

export const DEFAULT_PACING_SETTINGS: Readonly<PacingSettings> = {
  restingHr: null,
  threshold: null,
  dwellSeconds: 15,
  dailyPoints: DEFAULT_DAILY_POINTS,
  alerts: true,
  vibrate: true,
  zoneMethod: 'resting-plus',
  birthYear: null,
  rateLoweringMedication: false,
  learned: null,
  quietHours: null,
  repeatMinutes: null,
};
