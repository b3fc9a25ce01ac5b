import type { DocsBroadcast } from '../shared/messages';
import { CHANNELS } from '../shared/names';
import type { DocKind, DocRecord } from '../shared/sync/batch-codec';
import { openSteadyDb } from './schema';
import { outboxEntry } from './sync-store';

/** A stored document as the app reads it. */
export type StoredDoc = DocRecord & { key: string; updatedAt: number };

/** Saves a document and queues it for sync in the same transaction: a save is never lost to sync. */
export async function saveDoc(kind: DocKind, id: string, body: Record<string, unknown>, now = Date.now()): Promise<StoredDoc> {
  const db = await openSteadyDb();
  const tx = db.transaction(['docs', 'outbox'], 'readwrite');
  const doc: StoredDoc = { kind, id, body, key: `${kind}|${id}`, updatedAt: now };
  await Promise.all([tx.objectStore('docs').put(doc), tx.objectStore('outbox').put(outboxEntry(kind, id, now))]);
  await tx.done;
  // Whoever reads this kind (the pacing monitor reads measurements and settings) hears of it at once,
  // in this page and in other tabs, instead of at the next sync.
  const channel = new BroadcastChannel(CHANNELS.docs);
  channel.postMessage({ type: 'DOC_SAVED', kind, id } satisfies DocsBroadcast);
  channel.close();
  return doc;
}

/** Every document of a kind. */
export async function docsOfKind(kind: DocKind): Promise<StoredDoc[]> {
  return (await openSteadyDb()).getAllFromIndex('docs', 'byKind', kind);
}

/** One document, if stored. */
export async function getDoc(kind: DocKind, id: string): Promise<StoredDoc | undefined> {
  return (await openSteadyDb()).get('docs', `${kind}|${id}`);
}
