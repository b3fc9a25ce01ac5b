import type { TransferRecord } from '../shared/backup';
import type { TransferBroadcast } from '../shared/messages';
import { CHANNELS } from '../shared/names';
import type { SyncLogEntry } from '../shared/sync/sync-store';
import { openSteadyDb } from './schema';
import { IdbSyncStore } from './sync-store';

/** A transfer as IndexedDB keeps it: the archive and partial download are Blobs. */
export type Transfer = TransferRecord<Blob>;

/** How many finished transfers are kept for the list. */
const KEEP_FINISHED = 20;

/** A new transfer record with nothing done yet. */
export function newTransfer(
  fields: Pick<Transfer, 'id' | 'direction' | 'source' | 'mode' | 'state'> & Partial<Transfer>,
  now = Date.now(),
): Transfer {
  return {
    fetchId: null,
    attempt: 1,
    bytesDone: 0,
    bytesTotal: null,
    sha256: null,
    archive: null,
    partial: null,
    backupId: null,
    counts: null,
    imported: null,
    error: null,
    cancelRequested: false,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    ...fields,
  };
}

export async function putTransfer(transfer: Transfer): Promise<void> {
  await (await openSteadyDb()).put('transfers', transfer);
  await pruneFinished();
  announce(transfer.id);
}

export async function getTransfer(id: string): Promise<Transfer | undefined> {
  return (await openSteadyDb()).get('transfers', id);
}

/**
 * Changes a transfer in one transaction (read, change, write), stamps `updatedAt` and tells
 * open pages. Answers the new record, or undefined when there is no such transfer.
 */
export async function updateTransfer(id: string, change: (transfer: Transfer) => Partial<Transfer>): Promise<Transfer | undefined> {
  const db = await openSteadyDb();
  const tx = db.transaction('transfers', 'readwrite');
  const current = await tx.store.get(id);
  let next: Transfer | undefined;
  if (current) {
    next = { ...current, ...change(current), updatedAt: Date.now() };
    await tx.store.put(next);
  }
  await tx.done;
  if (next) announce(id);
  return next;
}

/** The Web Lock held while a transfer's archive is imported: the service worker and the page's worker never import it at once. */
export function importLock(transferId: string): string {
  return `steady-import-${transferId}`;
}

/** The transfer a Background Fetch registration belongs to. */
export async function transferByFetchId(fetchId: string): Promise<Transfer | undefined> {
  const all = await (await openSteadyDb()).getAll('transfers');
  return all.find((t) => t.fetchId === fetchId);
}

/** Every transfer kept, newest first. */
export async function listTransfers(): Promise<Transfer[]> {
  return (await (await openSteadyDb()).getAllFromIndex('transfers', 'byCreated')).reverse();
}

/** Adds a Background Fetch event to the background log shown on the Sync screen. */
export async function logTransferEvent(
  transfer: Pick<Transfer, 'id' | 'direction'>,
  event: NonNullable<SyncLogEntry['transfer']>['event'],
  fields: Pick<SyncLogEntry, 'outcome'> & Partial<SyncLogEntry>,
): Promise<void> {
  await new IdbSyncStore().appendLog({
    trigger: 'backgroundfetch',
    startedAt: Date.now(),
    durationMs: 0,
    upRecords: 0,
    upBytes: 0,
    downRecords: 0,
    downBytes: 0,
    transfer: { id: transfer.id, direction: transfer.direction, event },
    ...fields,
  });
}

function announce(transferId: string): void {
  const channel = new BroadcastChannel(CHANNELS.transfers);
  channel.postMessage({ type: 'TRANSFER_CHANGED', transferId } satisfies TransferBroadcast);
  channel.close();
}

/**
 * Forgets the oldest finished transfers beyond KEEP_FINISHED, and failed or cancelled backups
 * older than a backup that succeeded since (it holds everything they did): their archive
 * Blobs would otherwise keep disk space forever.
 */
async function pruneFinished(): Promise<void> {
  const db = await openSteadyDb();
  const tx = db.transaction('transfers', 'readwrite');
  let finished = 0;
  let backedUp = false;
  for (let cursor = await tx.store.index('byCreated').openCursor(null, 'prev'); cursor; cursor = await cursor.continue()) {
    const { state, direction } = cursor.value;
    if (state === 'done') {
      if (direction === 'upload') backedUp = true;
      if (++finished > KEEP_FINISHED) await cursor.delete();
    } else if (backedUp && direction === 'upload' && (state === 'failed' || state === 'aborted')) {
      await cursor.delete();
    }
  }
  await tx.done;
}
