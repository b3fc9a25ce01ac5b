/// <reference lib="webworker" />
import { getTransfer, storableBlob, updateTransfer } from '../db/backup-transfers';
import { openSteadyDb } from '../db/schema';
import { assertNever } from '../shared/assert-never';
import type { TransferState } from '../shared/backup';
import type { BackupWorkerRequest, BackupWorkerResponse } from '../shared/messages';
import { downloadAndImport } from './backup-download';
import { packArchive } from './backup-pack';

// Entry: packing an archive and the ranged download + import run here, off the page's main
// thread. Each job owns an AbortController; CANCEL aborts it.
declare const self: DedicatedWorkerGlobalScope;

const running = new Map<string, AbortController>();
const post = (message: BackupWorkerResponse) => self.postMessage(message);

self.addEventListener('message', (event: MessageEvent<BackupWorkerRequest>) => {
  const request = event.data;
  switch (request.type) {
    case 'PACK':
      void job(request.transferId, pack);
      break;
    case 'DOWNLOAD':
      void job(request.transferId, download);
      break;
    case 'CANCEL':
      running.get(request.transferId)?.abort(new DOMException('cancelled by the user', 'AbortError'));
      break;
    default:
      assertNever(request);
  }
});

async function job(transferId: string, work: (transferId: string, signal: AbortSignal) => Promise<TransferState>): Promise<void> {
  if (running.has(transferId)) return;
  const controller = new AbortController();
  running.set(transferId, controller);
  let state: TransferState;
  let error: string | null = null;
  try {
    state = await work(transferId, controller.signal);
  } catch (failure) {
    const aborted = controller.signal.aborted;
    state = aborted ? 'aborted' : 'failed';
    error = aborted ? null : failure instanceof Error ? failure.message : String(failure);
    await updateTransfer(transferId, () => ({ state, error, finishedAt: Date.now() }));
  } finally {
    running.delete(transferId);
  }
  post({ type: 'FINISHED', transferId, state, error });
}

async function pack(transferId: string, signal: AbortSignal): Promise<TransferState> {
  const db = await openSteadyDb();
  const credentials = await db.get('meta', 'credentials');
  const packed = await packArchive(
    db,
    { accountId: credentials?.accountId ?? null, deviceId: credentials?.deviceId ?? null },
    { signal, onProgress: (bytes, records) => post({ type: 'PROGRESS', transferId, bytesDone: bytes, bytesTotal: null, records }) },
  );
  const archive = await storableBlob(packed.archive);
  await updateTransfer(transferId, () => ({
    state: 'running',
    archive,
    bytesTotal: packed.bytes,
    bytesDone: 0,
    sha256: packed.sha256,
    counts: packed.counts,
  }));
  return 'running';
}

async function download(transferId: string, signal: AbortSignal): Promise<TransferState> {
  const [transfer, credentials] = await Promise.all([getTransfer(transferId), openSteadyDb().then((db) => db.get('meta', 'credentials'))]);
  if (!transfer) throw new Error(`no transfer ${transferId}`);
  if (!credentials) throw new Error('this device has no account yet');
  await updateTransfer(transferId, () => ({ state: 'running', error: null }));
  const done = await downloadAndImport(transfer, credentials.deviceToken, {
    signal,
    onProgress: (bytesDone, bytesTotal, records) => post({ type: 'PROGRESS', transferId, bytesDone, bytesTotal, records }),
  });
  return done?.state ?? 'failed';
}
