import type { TransferRecord } from '../shared/backup';
import type { TransferBroadcast } from '../shared/messages';
import { CHANNELS, LOCKS } from '../shared/names';
import type { SyncLogEntry } from '../shared/sync/sync-store';
import { openSteadyDb } from './schema';
import { IdbSyncStore } from './sync-store';

/** A transfer as the app uses it: the archive and partial download are Blobs. */
export type Transfer = TransferRecord<Blob>;

/** As stored: Blobs, or their bytes where Blobs are refused (see blobsStorable). */
type StoredTransfer = TransferRecord<Blob | ArrayBuffer>;

const ARCHIVE_TYPE = 'application/gzip';
const BLOB_PROBE_ID = '__blob-probe';
let blobsAccepted: Promise<boolean> | null = null;

/**
 * Whether this browser stores Blobs in IndexedDB. WebKit refuses them in an ephemeral session
 * (private browsing, and the WebDriver session tests run in): "Error preparing Blob/File data
 * to be stored in object store". Asked once, by storing a one-byte Blob under a probe key.
 */
function blobsStorable(): Promise<boolean> {
  blobsAccepted ??= (async () => {
    const db = await openSteadyDb();
    // A finished-looking download that nothing lists or prunes, for the instant it exists.
    const probe = newTransfer({ id: BLOB_PROBE_ID, direction: 'download', source: 'stored-backup', mode: 'ranged', state: 'aborted' });
    try {
      await db.put('transfers', { ...probe, archive: new Blob([new Uint8Array([0])]) });
      await db.delete('transfers', probe.id);
      return true;
    } catch {
      return false; // the reason is the refusal itself: bytes are stored instead
    }
  })();
  return blobsAccepted;
}

/**
 * What a writer hands to updateTransfer for a Blob field: the Blob itself, or its bytes where
 * Blobs are refused (read back as a Blob by getTransfer and the rest).
 */
export async function storableBlob(blob: Blob): Promise<Blob> {
  if (await blobsStorable()) return blob;
  return (await blob.arrayBuffer()) as unknown as Blob;
}

function asBlob(value: Blob | ArrayBuffer | null): Blob | null {
  return value instanceof ArrayBuffer ? new Blob([value], { type: ARCHIVE_TYPE }) : value;
}

function readable(stored: StoredTransfer): Transfer;
function readable(stored: StoredTransfer | undefined): Transfer | undefined;
function readable(stored: StoredTransfer | undefined): Transfer | undefined {
  return stored && { ...stored, archive: asBlob(stored.archive), partial: asBlob(stored.partial) };
}

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
  return readable(await (await openSteadyDb()).get('transfers', id));
}

/**
 * Changes a transfer in one transaction (read, change, write), stamps `updatedAt` and tells
 * open pages. Answers the new record, or undefined when there is no such transfer.
 */
export async function updateTransfer(id: string, change: (transfer: Transfer) => Partial<Transfer>): Promise<Transfer | undefined> {
  const db = await openSteadyDb();
  const tx = db.transaction('transfers', 'readwrite');
  const stored = await tx.store.get(id);
  let next: Transfer | undefined;
  if (stored) {
    // A Blob field left unchanged is written back as it was stored (Blob or bytes).
    const current = readable(stored);
    const changed = change(current);
    next = { ...current, ...changed, updatedAt: Date.now() };
    await tx.store.put({
      ...next,
      archive: 'archive' in changed ? next.archive : stored.archive,
      partial: 'partial' in changed ? next.partial : stored.partial,
    });
  }
  await tx.done;
  if (next) announce(id);
  return next;
}

/** The Web Lock held while a transfer's archive is imported: the service worker and the page's worker never import it at once. */
export function importLock(transferId: string): string {
  return `${LOCKS.importPrefix}${transferId}`;
}

/** The transfer a Background Fetch registration belongs to. */
export async function transferByFetchId(fetchId: string): Promise<Transfer | undefined> {
  const all = await (await openSteadyDb()).getAll('transfers');
  return readable(all.find((t) => t.fetchId === fetchId));
}

/** Every transfer kept, newest first. */
export async function listTransfers(): Promise<Transfer[]> {
  const stored = await (await openSteadyDb()).getAllFromIndex('transfers', 'byCreated');
  return stored
    .reverse()
    .filter((t) => t.id !== BLOB_PROBE_ID)
    .map((t) => readable(t));
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
