import { describe } from '../account/account';
import { api } from '../api/api';
import { getTransfer, newTransfer, putTransfer, type Transfer, updateTransfer } from '../db/backup-transfers';
import type { BackupInfo } from '../shared/backup';
import { pathOf } from '../shared/routes';
import { runInWorker } from './backup-worker-client';
import { startBackgroundFetch } from './transfers-background-fetch';
import { deviceToken } from './transfers-state';

/** "Download my full history": the server's export, imported here. */
export async function downloadHistory(): Promise<void> {
  const token = deviceToken();
  const transfer = newDownload({ source: 'history' });
  await startDownload(transfer, new Request(pathOf('exportBackup'), { headers: { authorization: `Bearer ${token}` } }));
}

/** Restores one stored backup onto this device. */
export async function restoreBackup(backup: BackupInfo): Promise<void> {
  const token = deviceToken();
  const transfer = newDownload({ source: 'stored-backup', backupId: backup.id, bytesTotal: backup.bytes, sha256: backup.sha256 });
  const request = new Request(pathOf('downloadBackup', { id: backup.id }), { headers: { authorization: `Bearer ${token}` } });
  await startDownload(transfer, request, backup.bytes);
}

/** A new download, to be tried with Background Fetch first. */
function newDownload(fields: Pick<Transfer, 'source'> & Partial<Transfer>): Transfer {
  return newTransfer({ id: crypto.randomUUID(), direction: 'download', mode: 'background-fetch', state: 'running', ...fields });
}

/** Stores the transfer, then hands it to Background Fetch, or downloads it with Range where that is missing or refuses. */
async function startDownload(transfer: Transfer, request: Request, downloadTotal?: number): Promise<void> {
  await putTransfer(transfer);
  if (await startBackgroundFetch(transfer, request, downloadTotal)) return;
  await rangedDownload(transfer.id);
}

/** Downloads with Range in the worker; a history export is first stored on the server so that Range has a fixed archive to serve. */
export async function rangedDownload(transferId: string): Promise<void> {
  const transfer = await getTransfer(transferId);
  if (!transfer) return;
  await updateTransfer(transferId, () => ({ mode: 'ranged', state: 'running', fetchId: null }));
  const complete = transfer.partial !== null && transfer.partial.size === transfer.bytesTotal;
  if (!transfer.backupId && !complete) {
    try {
      const info = await api('storeExport', { token: deviceToken() });
      await updateTransfer(transferId, () => ({ backupId: info.id, bytesTotal: info.bytes, sha256: info.sha256, partial: null }));
    } catch (error) {
      await updateTransfer(transferId, () => ({ state: 'failed', error: describe(error), finishedAt: Date.now() }));
      return;
    }
  }
  await runInWorker({ type: 'DOWNLOAD', transferId });
}
