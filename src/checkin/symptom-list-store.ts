import { getDoc, saveDoc } from '../db/docs';
import { DEFAULT_SYMPTOM_LIST, parseSymptomList, SYMPTOM_LIST_DOC_ID, type SymptomList } from '../shared/symptoms';

/** The stored list, whether one was ever saved (none yet: a first run), and why a stored one could not be read. */
export interface StoredSymptomList {
  list: SymptomList;
  chosen: boolean;
  problem: string | null;
}

/**
 * The symptom list of the account (`settings/symptoms`). Before anyone chose one, the default;
 * a stored list that does not parse (a newer app's, or damage) also reads as the default, says
 * why, and is kept until the person saves a new one.
 */
export async function loadSymptomList(): Promise<StoredSymptomList> {
  const doc = await getDoc('settings', SYMPTOM_LIST_DOC_ID);
  if (!doc) return { list: { ...DEFAULT_SYMPTOM_LIST }, chosen: false, problem: null };
  const parsed = parseSymptomList(doc.body);
  return parsed.ok
    ? { list: parsed.value, chosen: true, problem: null }
    : { list: { ...DEFAULT_SYMPTOM_LIST }, chosen: true, problem: parsed.reason };
}

/** Validates and saves the list on this device, queued for sync; resolves to what was stored. */
export async function saveSymptomList(list: SymptomList, now = Date.now()): Promise<SymptomList> {
  const parsed = parseSymptomList(list);
  if (!parsed.ok) throw new Error(`This list cannot be saved: ${parsed.reason}`);
  await saveDoc('settings', SYMPTOM_LIST_DOC_ID, { ...parsed.value, savedAt: now }, now);
  return parsed.value;
}
