import { docsOfKind, getDoc, saveDoc } from '../db/docs';
import { parseMeasurementDoc } from '../shared/measurement';
import {
  DEFAULT_PACING_SETTINGS,
  PACING_SETTINGS_DOC_ID,
  type PacingSettings,
  pacingSettingsFromDoc,
  parsePacingSettings,
  type SettingsFieldError,
} from '../shared/pacing/settings';
import { syncNow } from '../sync/sync-client';
import { type MeasuredRestingHr, pacingInputs } from './pacing-state';

/** The stored pacing settings, or the defaults when none were saved on any device yet. */
export async function loadPacingSettings(): Promise<PacingSettings> {
  const doc = await getDoc('settings', PACING_SETTINGS_DOC_ID);
  return doc ? pacingSettingsFromDoc(doc.body) : { ...DEFAULT_PACING_SETTINGS };
}

/** Resting HR from the newest valid morning measurement that is not demo data; null when there is none. */
export async function latestMeasuredRestingHr(): Promise<MeasuredRestingHr | null> {
  let best: { bpm: number; date: string; takenAt: number } | null = null;
  for (const doc of await docsOfKind('measurement')) {
    const parsed = parseMeasurementDoc(doc.id, doc.body);
    // A malformed doc (another device's bug, an older format) is skipped, not fatal: there may be good ones.
    if (!parsed.ok || parsed.value.source.demo) continue;
    const { restingHr, date, takenAt } = parsed.value;
    if (!best || takenAt > best.takenAt) best = { bpm: Math.round(restingHr), date, takenAt };
  }
  return best && { bpm: best.bpm, date: best.date };
}

/** Reads settings and the latest measurement into `pacingInputs` (on start, after a sync, after a save). */
export async function refreshPacingInputs(): Promise<void> {
  const [settings, measured] = await Promise.all([loadPacingSettings(), latestMeasuredRestingHr()]);
  pacingInputs.value = { loaded: true, settings, measured };
}

/**
 * Validates and saves the settings as the account's `settings/pacing` document (queued for sync
 * in the same transaction), publishes them at once, and starts a sync so the account's other
 * devices get them soon. Nothing is written when a field is invalid.
 */
export async function savePacingSettings(input: unknown): Promise<{ ok: true } | { ok: false; errors: SettingsFieldError[] }> {
  const parsed = parsePacingSettings(input);
  if (!parsed.ok) return parsed;
  await saveDoc('settings', PACING_SETTINGS_DOC_ID, { ...parsed.value });
  pacingInputs.value = { ...pacingInputs.value, loaded: true, settings: parsed.value };
  // Best effort: when offline the outbox keeps the change and a later sync sends it.
  void syncNow('page').catch((error: unknown) => console.error('Steady: could not sync the pacing settings', error));
  return { ok: true };
}
