import { describe } from '../account/account';
import { api } from '../api/api';
import { getTransfer, newTransfer, putTransfer, updateTransfer } from '../db/backup-transfers';
import { BACKUP_ID_HEADER, BACKUP_MEDIA_TYPE, type ListBackupsResponse, SHA256_HEADER } from '../shared/backup';
import { pathOf, ROUTES } from '../shared/routes';
import { backgroundFetchManager } from './background-fetch';
import { runInWorker } from './backup-worker-client';
import { formatBytes } from './format';
import { startBackgroundFetch } from './transfers-background-fetch';
import { deviceToken, liveProgress, setLive } from './transfers-state';
import { tusUpload } from './tus-upload';

/** Transfers this page carries (tus uploads): stopped by their controller. */
const pageJobs = new Map<string, AbortController>();

/** "Back up everything": pack in the worker, then send with Background Fetch, or tus without it. */
export async function backUpEverything(): Promise<void> {
  deviceToken();
  const mode = (await backgroundFetchManager()) ? 'background-fetch' : 'tus';
  const transfer = newTransfer({ id: crypto.randomUUID(), direction: 'upload', source: 'device', mode, state: 'packing' });
  await putTransfer(transfer);
  await pack(transfer.id);
}

/** Packs the archive in the worker, then sends it. */
export async function pack(transferId: string): Promise<void> {
  const { state } = await runInWorker({ type: 'PACK', transferId });
  if (state === 'running') await sendArchive(transferId);
}

/** Sends a packed archive the way the transfer's mode says, after checking that the server has room for it. */
export async function sendArchive(transferId: string): Promise<void> {
  const transfer = await getTransfer(transferId);
  if (!transfer) return;
  if (!transfer.archive || !transfer.sha256) {
    await updateTransfer(transferId, () => ({ state: 'failed', error: 'the archive is gone from this device: back up again' }));
    return;
  }
  const token = deviceToken();
  const listed = await api('listBackups', { token }).catch(
    () => null, // offline or server down: the upload itself will say so
  );
  // Checked here too because a refused Background Fetch reaches the service worker without the server's message.
  const refusal = listed && wontFit(transfer.archive.size, listed);
  if (refusal) {
    await updateTransfer(transferId, () => ({ state: 'failed', error: refusal, finishedAt: Date.now() }));
    return;
  }
  if (transfer.mode === 'background-fetch') {
    const request = new Request(pathOf('uploadBackup'), {
      method: ROUTES.uploadBackup.method,
      body: transfer.archive,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': BACKUP_MEDIA_TYPE,
        [SHA256_HEADER]: transfer.sha256,
        [BACKUP_ID_HEADER]: transfer.id,
      },
    });
    if (await startBackgroundFetch(transfer, request)) return;
  }
  await runTus(transferId);
}

/** Why the server would refuse an archive of `size` bytes (src/shared/backup.ts: maxBytes, quota), or null. */
function wontFit(size: number, { maxBytes, quota, backups }: ListBackupsResponse): string | null {
  if (size > maxBytes) return `the archive is ${formatBytes(size)}; the server accepts at most ${formatBytes(maxBytes)}`;
  // Storing it removes the oldest past quota.count: only the newest count - 1 stay beside it.
  const kept = backups
    .filter((backup) => backup.kind === 'upload')
    .slice(0, quota.count - 1)
    .reduce((sum, backup) => sum + backup.bytes, 0);
  if (size + kept <= quota.bytes) return null;
  if (kept === 0) {
    return `this backup is ${formatBytes(size)}, more than your ${formatBytes(quota.bytes)} of backup space: ask the server's operator for more space.`;
  }
  return (
    `this backup is ${formatBytes(size)} and does not fit in your ${formatBytes(quota.bytes)} of backup space beside the ` +
    `${formatBytes(kept)} kept on the server. Delete older backups below, or ask the server's operator for more space.`
  );
}

/** Uploads the archive with tus from this page, resuming where the server's copy stops; once at a time per transfer. */
export async function runTus(transferId: string): Promise<void> {
  const transfer = await getTransfer(transferId);
  if (!transfer?.archive || !transfer.sha256 || pageJobs.has(transferId)) return;
  const controller = new AbortController();
  pageJobs.set(transferId, controller);
  await updateTransfer(transferId, () => ({ mode: 'tus', state: 'running', error: null, finishedAt: null }));
  try {
    const stored = await tusUpload({
      archive: transfer.archive,
      backupId: transfer.id,
      sha256: transfer.sha256,
      token: deviceToken(),
      signal: controller.signal,
      onProgress: (sent, total) => setLive(transferId, sent, total),
    });
    await updateTransfer(transferId, (t) => ({
      state: 'done',
      backupId: t.id,
      bytesDone: t.bytesTotal ?? 0,
      archive: null, // the server has it, checked against its SHA-256
      removed: stored?.removed ?? [],
      finishedAt: Date.now(),
    }));
  } catch (error) {
    const bytesDone = liveProgress.value[transferId]?.done ?? transfer.bytesDone;
    const aborted = controller.signal.aborted;
    await updateTransfer(transferId, () => ({
      state: aborted ? 'aborted' : 'failed',
      error: aborted ? null : describe(error),
      bytesDone,
      finishedAt: Date.now(),
    }));
  } finally {
    pageJobs.delete(transferId);
  }
}

/** Stops a tus upload this page carries; answers false when this page carries none for the transfer. */
export function stopTus(transferId: string): boolean {
  const job = pageJobs.get(transferId);
  job?.abort(new DOMException('cancelled by the user', 'AbortError'));
  return job !== undefined;
}
