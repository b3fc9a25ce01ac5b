import { dayKeyOf } from '../shared/days';
import { LEARN_WINDOW_DAYS, proposeLearnedZones } from '../shared/pacing/learned-zones';
import type { PacingSettings } from '../shared/pacing/settings-document';
import { requestWearDays } from '../trends/trends-client';

/** The day the answer to "are there 4 days of wear yet?" was yes: the days are not read again that day. */
const OFFER_KEY = 'steady-learned-offer';

/** Whether Today should offer learned zones: only while the threshold is still the default resting + 15. */
export function offerEligible(settings: PacingSettings): boolean {
  return settings.threshold === null && settings.zoneMethod === 'resting-plus' && settings.learned === null;
}

/**
 * Whether there are enough days of wear for a learned proposal (learned-zones.ts), read in the
 * trends worker. A yes is remembered for the day; a "not yet" is not, since wear recorded later
 * today may change it (the caller asks once per page).
 */
export async function learnedZonesReady(settings: PacingSettings, signal: AbortSignal): Promise<boolean> {
  const today = dayKeyOf(Date.now());
  if (readOffer() === today) return true;
  const { days } = await requestWearDays({ type: 'WEAR_DAYS', lastDay: today, days: LEARN_WINDOW_DAYS }, signal);
  const ready = proposeLearnedZones(days, settings.rateLoweringMedication).ready;
  if (ready) writeOffer(today);
  return ready;
}

function readOffer(): string | null {
  try {
    return localStorage.getItem(OFFER_KEY);
  } catch {
    // Storage refused: read the days again.
    return null;
  }
}

function writeOffer(day: string): void {
  try {
    localStorage.setItem(OFFER_KEY, day);
  } catch {
    // Storage refused: the days are read again next time.
  }
}
