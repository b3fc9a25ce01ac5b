import { openSteadyDb } from '../db/schema';
import type { StandTestRecord } from '../shared/stand-test/protocol';

/** Writes the running test over its previous copy: called each second, so a closed tab loses at most a second. */
export async function putDraft(record: StandTestRecord): Promise<void> {
  await (await openSteadyDb()).put('standTestDrafts', record);
}

/** The unfinished test a closed tab left behind, if any (there is only ever one). */
export async function findDraft(): Promise<StandTestRecord | null> {
  const drafts = await (await openSteadyDb()).getAll('standTestDrafts');
  return drafts.sort((a, b) => b.startedAt - a.startedAt)[0] ?? null;
}

/** Removes a draft once its result is saved or refused. */
export async function deleteDraft(id: string): Promise<void> {
  await (await openSteadyDb()).delete('standTestDrafts', id);
}
