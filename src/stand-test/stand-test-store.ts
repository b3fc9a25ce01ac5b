import { docsOfKind, getDoc, saveDoc } from '../db/docs';
import { parseStandTestDoc, type StandTestDoc } from '../shared/stand-test/document';
import { type AgeBand, DEFAULT_LYING_MINUTES, LYING_MINUTES_CHOICES, type StandPosition } from '../shared/stand-test/protocol';

/**
 * The stand test's choices, kept in the synced `settings` doc `stand-test`: the age band is
 * asked once, and the lying time and position are remembered for next time.
 */
export interface StandTestSettings {
  ageBand: AgeBand | null;
  lyingMinutes: number;
  position: StandPosition;
}

export const STAND_SETTINGS_DOC_ID = 'stand-test';

/** The stored choices; anything missing or unreadable falls back field by field. */
export async function loadStandSettings(): Promise<StandTestSettings> {
  const body = (await getDoc('settings', STAND_SETTINGS_DOC_ID))?.body ?? {};
  return {
    ageBand: body.ageBand === 'adult' || body.ageBand === 'teen' ? body.ageBand : null,
    lyingMinutes: LYING_MINUTES_CHOICES.includes(body.lyingMinutes as never) ? (body.lyingMinutes as number) : DEFAULT_LYING_MINUTES,
    position: body.position === 'free' ? 'free' : 'lean',
  };
}

/** Keeps the choices (and queues them for sync). */
export async function saveStandSettings(settings: StandTestSettings): Promise<void> {
  if (!LYING_MINUTES_CHOICES.includes(settings.lyingMinutes as never))
    throw new RangeError(`lying time ${settings.lyingMinutes} min is not 5–10`);
  await saveDoc('settings', STAND_SETTINGS_DOC_ID, { ...settings });
}

/** Saves a finished test and queues it for sync; validated first, so nothing half-valid is stored. */
export async function saveStandTest(doc: StandTestDoc): Promise<void> {
  const parsed = parseStandTestDoc(doc.id, JSON.parse(JSON.stringify(doc)));
  if (!parsed.ok) throw new Error(`This stand test cannot be saved: ${parsed.reason}`);
  await saveDoc('stand-test', doc.id, parsed.value as unknown as Record<string, unknown>, doc.endedAt);
}

/** Every readable stand test, oldest first, and how many stored ones could not be read. */
export async function loadStandTests(): Promise<{ tests: StandTestDoc[]; unreadable: number }> {
  const tests: StandTestDoc[] = [];
  let unreadable = 0;
  for (const doc of await docsOfKind('stand-test')) {
    const parsed = parseStandTestDoc(doc.id, doc.body);
    if (parsed.ok) tests.push(parsed.value);
    else unreadable++;
  }
  return { tests: tests.sort((a, b) => a.startedAt - b.startedAt), unreadable };
}
