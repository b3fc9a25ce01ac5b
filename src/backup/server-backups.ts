import { signal } from '@preact/signals';
import { api } from '../api/api';
import type { BackupInfo, ListBackupsResponse } from '../shared/backup';
import { formatBytes } from './format';
import { deviceToken } from './transfers-state';

/** Backups stored on the server, once asked for. */
export const serverBackups = signal<ListBackupsResponse | null>(null);

/** Asks the server for this account's stored backups and its backup quota. */
export async function refreshServerBackups(): Promise<void> {
  const token = deviceToken();
  serverBackups.value = await api('listBackups', { token });
}

/** Removes a stored backup from the server (to make room: the account's backups have a quota). */
export async function deleteBackup(backup: BackupInfo): Promise<void> {
  const when = new Date(backup.createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  if (!confirm(`Delete the backup of ${when} (${formatBytes(backup.bytes)}) from the server? What is on your devices stays.`)) return;
  await api('deleteBackup', { params: { id: backup.id }, token: deviceToken() });
  await refreshServerBackups();
}
