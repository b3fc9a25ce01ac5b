import type { DeviceCredentials } from './schema';
import { openSteadyDb } from './schema';
import { outboxEntry } from './sync-store';

/** Documents this device wrote that belong to the person, not to one account's settings. */
const CARRIED_DOC_KINDS = ['checkin', 'measurement', 'treatment'] as const;

/**
 * Moves this device to another account (joining with a pairing code) in one transaction. It does
 * not wait for the sync lock (a run may wait on the network for long); a run still going with
 * the old token can no longer apply a pull page (IdbSyncStore checks the account in the same
 * transaction), and its acknowledgements leave the entries queued again here, whose queuedAt
 * is newer than what it sent (dropEntries). So:
 * - the pull cursor, the in-flight batch and any retry wait belonged to the old account, whose
 *   cursor means nothing to the new one: without clearing them the device would skip the joined
 *   account's history;
 * - everything recorded here (heart-rate chunks, check-ins, measurements) is queued again, so it
 *   reaches the joined account too. Upload is idempotent by record id and chunks merge by time,
 *   so nothing is doubled. Settings are left to the joined account.
 */
export async function switchAccount(credentials: DeviceCredentials): Promise<void> {
  const db = await openSteadyDb();
  const tx = db.transaction(['meta', 'syncMeta', 'outbox', 'chunks', 'docs'], 'readwrite');
  const now = Date.now();
  const [chunkKeys, ...docGroups] = await Promise.all([
    tx.objectStore('chunks').getAllKeys(),
    ...CARRIED_DOC_KINDS.map((kind) => tx.objectStore('docs').index('byKind').getAll(kind)),
  ]);
  const outbox = tx.objectStore('outbox');
  const syncMeta = tx.objectStore('syncMeta');
  await Promise.all([
    tx.objectStore('meta').put(credentials, 'credentials'),
    syncMeta.delete('cursor'),
    syncMeta.delete('inflight'),
    syncMeta.delete('retryAt'),
    ...chunkKeys.map((id) => outbox.put(outboxEntry('chunk', id, now))),
    ...docGroups.flat().map((doc) => outbox.put(outboxEntry(doc.kind, doc.id, now))),
    tx.done,
  ]);
}
