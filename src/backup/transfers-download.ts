import { describe } from '../account/account';
import { api } from '../api/api';
import { getTransfer, newTransfer, putTransfer, updateTransfer } from '../db/backup-transfers';
import type { BackupInfo } from '../shared/backup';
import { runInWorker } from './backup-worker-client';
import { startBackgroundFetch } from './transfers-background-fetch';
import { deviceToken } from './transfers-state';

/** "Download my full history": the server's export, imported here. */
export async function downloadHistory(): Promise<void> {
  const token = deviceToken();
  const transfer = newTransfer({
    id: crypto.randomUUID(),
    direction: 'download',
    source: 'history',
    mode: 'background-fetch',
    state: 'running',
  });
  await putTransfer(transfer);
  if (await startBackgroundFetch(transfer, new Request('/api/backups/export', { headers: { authorization: `Bearer ${token}` } }))) return;
  await rangedDownload(transfer.id);
}

/** Restores one stored backup onto this device. */
export async function restoreBackup(backup: BackupInfo): Promise<void> {
  const token = deviceToken();
  const transfer = newTransfer({
    id: crypto.randomUUID(),
    direction: 'download',
    source: 'stored-backup',
    mode: 'background-fetch',
    state: 'running',
    backupId: backup.id,
    bytesTotal: backup.bytes,
    sha256: backup.sha256,
  });
  await putTransfer(transfer);
  const request = new Request(`/api/backups/${backup.id}`, { headers: { authorization: `Bearer ${token}` } });
  if (await startBackgroundFetch(transfer, request, backup.bytes)) return;
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
      const info = await api<BackupInfo>({ method: 'POST', path: '/api/backups/export', token: deviceToken() });
      await updateTransfer(transferId, () => ({ backupId: info.id, bytesTotal: info.bytes, sha256: info.sha256, partial: null }));
    } catch (error) {
      await updateTransfer(transferId, () => ({ state: 'failed', error: describe(error), finishedAt: Date.now() }));
      return;
    }
  }
  await runInWorker({ type: 'DOWNLOAD', transferId });
}
