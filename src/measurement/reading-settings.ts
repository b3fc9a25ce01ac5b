import { getDoc, saveDoc } from '../db/docs';

/**
 * How long the morning reading settles and captures. Kept in the synced `settings` doc
 * `morning-reading`, so every device of the account measures the same way.
 */
export interface ReadingSettings {
  /** Seconds to lie still before capture starts (an optical sensor adds its warm-up on top). */
  settleS: number;
  /** Seconds of beat intervals to capture. */
  captureS: number;
}

export const SETTINGS_DOC_ID = 'morning-reading';
export const DEFAULT_READING_SETTINGS: ReadingSettings = { settleS: 30, captureS: 120 };
/** 1–3 minutes of capture (issue 7); under a minute leaves too few beats for RMSSD at rest. */
export const CAPTURE_CHOICES_S = [60, 120, 180] as const;
/** 10–60 s of settling: less and heart rate is still falling after lying down. */
export const SETTLE_CHOICES_S = [10, 20, 30, 45, 60] as const;

const inChoices = (choices: readonly number[], v: unknown): v is number => typeof v === 'number' && choices.includes(v);

/** The stored settings; a missing or unreadable doc gives the defaults field by field. */
export async function loadReadingSettings(): Promise<ReadingSettings> {
  const body = (await getDoc('settings', SETTINGS_DOC_ID))?.body ?? {};
  return {
    settleS: inChoices(SETTLE_CHOICES_S, body.settleS) ? body.settleS : DEFAULT_READING_SETTINGS.settleS,
    captureS: inChoices(CAPTURE_CHOICES_S, body.captureS) ? body.captureS : DEFAULT_READING_SETTINGS.captureS,
  };
}

/** Stores the settings (and queues them for sync); refuses values outside the choices. */
export async function saveReadingSettings(settings: ReadingSettings): Promise<void> {
  if (!inChoices(SETTLE_CHOICES_S, settings.settleS))
    throw new RangeError(`settle time ${settings.settleS} s is not one of ${SETTLE_CHOICES_S.join(', ')}`);
  if (!inChoices(CAPTURE_CHOICES_S, settings.captureS))
    throw new RangeError(`capture time ${settings.captureS} s is not one of ${CAPTURE_CHOICES_S.join(', ')}`);
  await saveDoc('settings', SETTINGS_DOC_ID, { settleS: settings.settleS, captureS: settings.captureS });
}
