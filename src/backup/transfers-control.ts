import { api } from '../api/api';
import { getTransfer, type Transfer, updateTransfer } from '../db/backup-transfers';
import { pathOf } from '../shared/routes';
import { backgroundFetchManager } from './background-fetch';
import { cancelInWorker } from './backup-worker-client';
import { startBackgroundFetch } from './transfers-background-fetch';
import { rangedDownload } from './transfers-download';
import { clearLive, deviceToken } from './transfers-state';
import { pack, sendArchive, stopTus } from './transfers-upload';

/** Stops a transfer wherever it runs: the worker, this page's tus upload, or the browser's Background Fetch. */
export async function cancelTransfer(transfer: Transfer): Promise<void> {
  if (transfer.state === 'packing' || transfer.mode === 'ranged') return cancelInWorker(transfer.id);
  if (transfer.mode === 'tus' && stopTus(transfer.id)) return;
  if (transfer.mode === 'background-fetch' && transfer.fetchId) {
    const registration = await (await backgroundFetchManager())?.get(transfer.fetchId);
    if (registration && transfer.direction === 'upload') {
      // abort() while a request body is uploading crashes Chromium (156): ask the server to
      // answer the upload 409 instead; the service worker then records the failure as a
      // cancellation. Only an upload that has not reached the server yet is aborted.
      await updateTransfer(transfer.id, () => ({ cancelRequested: true }));
      const cut = await api('cancelBackupUpload', { params: { id: transfer.id }, token: deviceToken() }).then(
        () => true,
        () => false,
      );
      if (cut) return;
    }
    // The service worker records the outcome on `backgroundfetchabort`.
    if (registration && (await registration.abort())) return;
  }
  await updateTransfer(transfer.id, () => ({ state: 'aborted', finishedAt: Date.now() }));
}

/**
 * Tries again. Uploads resend the same archive: after a failed Background Fetch in the page
 * with tus (which resumes), after a cancelled one in the background again. Downloads resume
 * with Range in the page.
 */
export async function retryTransfer(transfer: Transfer): Promise<void> {
  clearLive(transfer.id);
  const attempt = transfer.attempt + 1;
  if (transfer.direction === 'upload') {
    if (!transfer.archive) {
      await updateTransfer(transfer.id, () => ({ state: 'packing', attempt, error: null, finishedAt: null }));
      return pack(transfer.id);
    }
    const mode = transfer.mode === 'background-fetch' && transfer.state === 'aborted' ? 'background-fetch' : 'tus';
    await updateTransfer(transfer.id, () => ({ mode, attempt, state: 'running', error: null, cancelRequested: false, finishedAt: null }));
    return sendArchive(transfer.id);
  }
  if (transfer.mode === 'background-fetch' && transfer.state === 'aborted' && !transfer.partial) {
    const token = deviceToken();
    await updateTransfer(transfer.id, () => ({ attempt, state: 'running', error: null, finishedAt: null }));
    const url = transfer.backupId ? pathOf('downloadBackup', { id: transfer.backupId }) : pathOf('exportBackup');
    const again = (await getTransfer(transfer.id)) ?? transfer;
    if (await startBackgroundFetch(again, new Request(url, { headers: { authorization: `Bearer ${token}` } }), transfer.bytesTotal ?? 0))
      return;
  }
  await updateTransfer(transfer.id, () => ({ attempt, error: null, finishedAt: null }));
  return rangedDownload(transfer.id);
}
