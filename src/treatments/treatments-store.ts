import { useState } from 'preact/hooks';
import { docsOfKind, getDoc, saveDoc } from '../db/docs';
import type { Parsed } from '../shared/doc-parsing';
import { parseTreatmentEntry, sortEntries, type TreatmentEntry } from '../shared/treatments';
import { syncNow } from '../sync/sync-client';
import { useDocChanges } from '../ui/use-doc-changes';

/** A stored entry with its document id. */
export type StoredEntry = TreatmentEntry & { id: string };

/** The device's treatments and events, newest first; unreadable documents are counted, not dropped. */
export async function loadEntries(): Promise<{ entries: StoredEntry[]; unreadable: number }> {
  const entries: StoredEntry[] = [];
  let unreadable = 0;
  for (const doc of await docsOfKind('treatment')) {
    const parsed = parseTreatmentEntry(doc.body);
    if (parsed.ok) entries.push({ id: doc.id, ...parsed.value });
    else unreadable++;
  }
  return { entries: sortEntries(entries), unreadable };
}

/** Validates and saves an entry (a new one when `id` is null), queued for sync with the save. */
export async function saveEntry(id: string | null, body: Record<string, unknown>): Promise<Parsed<StoredEntry>> {
  const parsed = parseTreatmentEntry({ ...body, savedAt: Date.now() });
  if (!parsed.ok) return parsed;
  const docId = id ?? crypto.randomUUID();
  await saveDoc('treatment', docId, { ...parsed.value });
  // Best effort: when offline the outbox keeps it and a later sync sends it.
  void syncNow('page').catch((error: unknown) => console.error('Steady: could not sync a treatment', error));
  return { ok: true, value: { id: docId, ...parsed.value } };
}

/** Ends an ongoing treatment on `day` (its last day), keeping everything else as stored. */
export async function stopTreatment(id: string, day: string): Promise<Parsed<StoredEntry>> {
  const stored = await getDoc('treatment', id);
  if (!stored) return { ok: false, reason: 'that entry is no longer on this device' };
  return saveEntry(id, { ...stored.body, stop: day });
}

/** The entries, read again when one is saved here or in another tab, and after each sync. */
export function useTreatmentEntries(): { entries: StoredEntry[] | null; unreadable: number } {
  const [state, setState] = useState<{ entries: StoredEntry[] | null; unreadable: number }>({ entries: null, unreadable: 0 });
  useDocChanges(
    'treatment',
    () => void loadEntries().then(setState, (error: unknown) => console.error('Steady: could not read treatments', error)),
  );
  return state;
}
