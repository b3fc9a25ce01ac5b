import { signal } from '@preact/signals';
import { account, describe } from '../account/account';
import { api } from '../api/api';
import { getTransfer, listTransfers, newTransfer, putTransfer, type Transfer, updateTransfer } from '../db/backup-transfers';
import { BACKUP_ID_HEADER, BACKUP_MEDIA_TYPE, type BackupInfo, type ListBackupsResponse, SHA256_HEADER } from '../shared/backup';
import type { TransferBroadcast } from '../shared/messages';
import { CHANNELS } from '../shared/names';
import { type BackgroundFetchRegistration, backgroundFetchManager, fetchProgress } from './background-fetch';
import { cancelInWorker, onWorkerProgress, runInWorker } from './backup-worker-client';
import { formatBytes } from './format';
import { nextSample, type RateSample } from './rate';
import { tusUpload } from './tus-upload';

/** Every transfer kept in IndexedDB, newest first. The Transfers card observes it. */
export const transfers = signal<Transfer[]>([]);
/** Live progress of what is moving now, by transfer id (not persisted: it changes several times a second). */
export const liveProgress = signal<Record<string, { done: number; total: number | null; sample: RateSample }>>({});
/** Backups stored on the server, once asked for. */
export const serverBackups = signal<ListBackupsResponse | null>(null);

/** A Background Fetch the browser no longer knows, and unchanged this long, ended unseen. */
const ORPHAN_AFTER_MS = 5 * 60_000;

/** Transfers this page carries (tus uploads): stopped by their controller. */
const pageJobs = new Map<string, AbortController>();
const watched = new Set<string>();
let started = false;

/**
 * Starts keeping `transfers` current (from IndexedDB, and on every change announced by the
 * page, the worker or the service worker), and picks up what was left running: tus uploads and
 * ranged downloads resume from where they stopped, Background Fetches are watched again.
 * Idempotent; the page calls it once.
 */
export function startTransfers(): void {
  if (started) return;
  started = true;
  const channel = new BroadcastChannel(CHANNELS.transfers);
  channel.addEventListener('message', (event: MessageEvent<TransferBroadcast>) => {
    if (event.data.type === 'TRANSFER_CHANGED') void refreshTransfers();
  });
  onWorkerProgress(({ transferId, bytesDone, bytesTotal }) => setLive(transferId, bytesDone, bytesTotal));
  void refreshTransfers().then(resumeTransfers);
}

export async function refreshTransfers(): Promise<void> {
  transfers.value = await listTransfers();
}

export async function refreshServerBackups(): Promise<void> {
  const token = deviceToken();
  serverBackups.value = await api('listBackups', { token });
}

/** "Back up everything": pack in the worker, then send with Background Fetch, or tus without it. */
export async function backUpEverything(): Promise<void> {
  deviceToken();
  const mode = (await backgroundFetchManager()) ? 'background-fetch' : 'tus';
  const transfer = newTransfer({ id: crypto.randomUUID(), direction: 'upload', source: 'device', mode, state: 'packing' });
  await putTransfer(transfer);
  await pack(transfer.id);
}

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

/** Removes a stored backup from the server (to make room: the account's backups have a quota). */
export async function deleteBackup(backup: BackupInfo): Promise<void> {
  const when = new Date(backup.createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  if (!confirm(`Delete the backup of ${when} (${formatBytes(backup.bytes)}) from the server? What is on your devices stays.`)) return;
  await api('deleteBackup', { params: { id: backup.id }, token: deviceToken() });
  await refreshServerBackups();
}

export async function cancelTransfer(transfer: Transfer): Promise<void> {
  if (transfer.state === 'packing' || transfer.mode === 'ranged') return cancelInWorker(transfer.id);
  if (transfer.mode === 'tus') {
    const job = pageJobs.get(transfer.id);
    if (job) return job.abort(new DOMException('cancelled by the user', 'AbortError'));
  }
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
  const { [transfer.id]: _stale, ...others } = liveProgress.value;
  liveProgress.value = others;
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
    const url = transfer.backupId ? `/api/backups/${transfer.backupId}` : '/api/backups/export';
    const again = (await getTransfer(transfer.id)) ?? transfer;
    if (await startBackgroundFetch(again, new Request(url, { headers: { authorization: `Bearer ${token}` } }), transfer.bytesTotal ?? 0))
      return;
  }
  await updateTransfer(transfer.id, () => ({ attempt, error: null, finishedAt: null }));
  return rangedDownload(transfer.id);
}

async function pack(transferId: string): Promise<void> {
  const { state } = await runInWorker({ type: 'PACK', transferId });
  if (state === 'running') await sendArchive(transferId);
}

async function sendArchive(transferId: string): Promise<void> {
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
    const request = new Request('/api/backups', {
      method: 'POST',
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

/**
 * Hands a request to the browser. The transfer record names the registration before it
 * exists, so the service worker can find it whenever its events fire. Answers false where
 * Background Fetch is missing or refuses (permission, quota): the caller then carries the
 * transfer in the page.
 */
async function startBackgroundFetch(transfer: Transfer, request: Request, downloadTotal = 0): Promise<boolean> {
  const manager = await backgroundFetchManager();
  if (!manager) return false;
  const fetchId = `${transfer.id}:${transfer.attempt}`;
  await updateTransfer(transfer.id, () => ({ fetchId, mode: 'background-fetch', state: 'running', error: null }));
  const title =
    transfer.direction === 'upload'
      ? `Steady: backing up ${formatBytes(transfer.bytesTotal ?? 0)}`
      : transfer.source === 'history'
        ? 'Steady: downloading your history'
        : `Steady: downloading a backup (${formatBytes(downloadTotal)})`;
  try {
    watch(transfer, await manager.fetch(fetchId, [request], { title, downloadTotal }));
    return true;
  } catch (error) {
    console.warn(`Steady: Background Fetch refused (${describe(error)}); carrying the transfer in this tab instead`);
    const mode = transfer.direction === 'upload' ? 'tus' : 'ranged';
    await updateTransfer(transfer.id, () => ({ mode, fetchId: null }));
    return false;
  }
}

function watch(transfer: Pick<Transfer, 'id' | 'direction'>, registration: BackgroundFetchRegistration): void {
  if (watched.has(registration.id)) return;
  watched.add(registration.id);
  const update = () => {
    const { done, total } = fetchProgress(registration, transfer.direction);
    setLive(transfer.id, done, total);
  };
  registration.addEventListener('progress', update);
  update();
}

async function runTus(transferId: string): Promise<void> {
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

/** Downloads with Range in the worker; a history export is first stored on the server so that Range has a fixed archive to serve. */
async function rangedDownload(transferId: string): Promise<void> {
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

async function resumeTransfers(): Promise<void> {
  const manager = await backgroundFetchManager().catch(() => null);
  for (const transfer of transfers.value) {
    if (transfer.state === 'packing') {
      // The worker that was packing went with the page that started it.
      await updateTransfer(transfer.id, () => ({
        state: 'failed',
        error: 'Steady was closed while packing the backup',
        finishedAt: Date.now(),
      }));
    } else if (transfer.state === 'running' && transfer.mode === 'tus') {
      void runTus(transfer.id);
    } else if ((transfer.state === 'running' || transfer.state === 'importing') && transfer.mode === 'ranged') {
      void runInWorker({ type: 'DOWNLOAD', transferId: transfer.id });
    } else if (transfer.state === 'importing' && transfer.mode === 'background-fetch') {
      // The service worker stopped mid-import (or is still at it: the import takes a Web Lock, so one of them waits).
      void runInWorker({ type: 'DOWNLOAD', transferId: transfer.id });
    } else if (transfer.state === 'running' && transfer.mode === 'background-fetch' && transfer.fetchId && manager) {
      const registration = await manager.get(transfer.fetchId);
      if (registration) watch(transfer, registration);
      else if (Date.now() - transfer.updatedAt > ORPHAN_AFTER_MS) {
        // The browser no longer has it and the service worker never heard how it ended (e.g. site data cleared).
        await updateTransfer(transfer.id, () => ({ state: 'failed', error: 'the browser dropped this transfer', finishedAt: Date.now() }));
      }
    }
  }
}

function setLive(transferId: string, done: number, total: number | null): void {
  const previous = liveProgress.value[transferId];
  liveProgress.value = { ...liveProgress.value, [transferId]: { done, total, sample: nextSample(previous?.sample, done, Date.now()) } };
}

function deviceToken(): string {
  const state = account.value;
  if (state.kind !== 'ready') throw new Error('this device has no account yet');
  return state.credentials.deviceToken;
}
