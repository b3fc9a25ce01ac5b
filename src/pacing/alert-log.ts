import type { NotifyReason } from '../shared/pacing/alert-policy';
import type { AlertDelivery } from './pacing-state';

/**
 * Today's alerts on this device, newest last: every alert the policy raised, including those
 * held during quiet hours (not notified, still listed). Kept in localStorage so the list
 * survives the app being closed; a new day starts an empty list. Not synced: it says what this
 * device told the person, which another device cannot know.
 */

/** One alert of the day and what became of it. */
export interface AlertLogEntry {
  t: number;
  bpm: number;
  threshold: number;
  episodeStart: number;
  /** Why it was raised; 'held': in quiet hours, not notified. */
  reason: NotifyReason | 'held';
  delivery: AlertDelivery;
  demo: boolean;
}

const LOG_KEY = 'steady-pacing-log';
/** More than a day can reasonably hold; the oldest go first beyond it, so storage stays small. */
const MAX_ENTRIES = 200;

/** The log of the day starting at `day` (local midnight, epoch ms); empty for any other day. */
export function loadAlertLog(day: number): AlertLogEntry[] {
  try {
    const stored = JSON.parse(localStorage.getItem(LOG_KEY) ?? 'null') as { day?: unknown; entries?: unknown } | null;
    return stored?.day === day && Array.isArray(stored.entries) ? (stored.entries as AlertLogEntry[]) : [];
  } catch {
    // Unreadable (another version's shape, storage refused): the day's list starts afresh.
    return [];
  }
}

/** Stores the day's log (replacing any other day's). */
export function saveAlertLog(day: number, entries: readonly AlertLogEntry[]): void {
  try {
    localStorage.setItem(LOG_KEY, JSON.stringify({ day, entries: entries.slice(-MAX_ENTRIES) }));
  } catch {
    // Storage refused (private mode quota): the list still shows until the page closes.
  }
}
