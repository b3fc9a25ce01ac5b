import { importArchive } from '../src/db/backup-import';
import { importLock, logTransferEvent, type Transfer, transferByFetchId, updateTransfer } from '../src/db/backup-transfers';
import { type StoredBackupResponse, TRANSFERS_URL } from '../src/shared/backup';

declare const self: ServiceWorkerGlobalScope;

/**
 * Background Fetch: backups going up and history coming down while no page may be open
 * (https://wicg.github.io/background-fetch/; types in src/types/).
 * Each event updates the transfer record (the page shows it when it opens), adds an entry to
 * the background log, and — for success and failure — says in the browser's UI what finished.
 */
export function handleBackgroundFetchEvents(): void {
  self.addEventListener('backgroundfetchsuccess', (event) => event.waitUntil(onSuccess(event)));
  self.addEventListener('backgroundfetchfail', (event) => event.waitUntil(onFail(event)));
  self.addEventListener('backgroundfetchabort', (event) => event.waitUntil(onAbort(event)));
  self.addEventListener('backgroundfetchclick', (event) => event.waitUntil(onClick(event)));
}

async function onSuccess(event: BackgroundFetchUpdateUIEvent): Promise<void> {
  const registration = event.registration;
  const transfer = await transferByFetchId(registration.id);
  if (!transfer) return event.updateUI({ title: 'Steady: transfer finished' });
  const [record] = await registration.matchAll();
  const response = await record?.responseReady;
  if (transfer.direction === 'upload') {
    const info = (await response?.json().catch(() => null)) as StoredBackupResponse | null;
    await updateTransfer(transfer.id, () => ({
      state: 'done',
      backupId: info?.id ?? transfer.id,
      removed: info?.removed ?? [],
      bytesDone: registration.uploaded,
      archive: null, // the server has it (and checked its SHA-256): the copy here can go
      error: null,
      finishedAt: Date.now(),
    }));
    await logTransferEvent(transfer, 'success', { outcome: 'ok', upBytes: registration.uploaded, upRecords: records(transfer) });
    return event.updateUI({ title: `Steady: backup stored (${megabytes(registration.uploaded)})` });
  }
  const started = Date.now();
  try {
    if (!response?.body) throw new Error('the download has no body');
    // Kept before importing: if this worker is stopped mid-import, the page imports it again when it opens.
    const archive = await response.blob();
    await updateTransfer(transfer.id, () => ({
      state: 'importing',
      partial: archive,
      bytesDone: registration.downloaded,
      bytesTotal: archive.size,
    }));
    const imported = await navigator.locks.request(importLock(transfer.id), () =>
      importArchive(archive.stream() as ReadableStream<Uint8Array>, { expectedSha256: transfer.sha256 }),
    );
    await updateTransfer(transfer.id, () => ({ state: 'done', imported, partial: null, error: null, finishedAt: Date.now() }));
    const count = imported.chunks + imported.gaps + imported.docs;
    await logTransferEvent(transfer, 'success', {
      outcome: 'ok',
      durationMs: Date.now() - started,
      downRecords: imported.created + imported.merged,
      downBytes: registration.downloaded,
    });
    return event.updateUI({ title: `Steady: history restored (${count} records, ${imported.created + imported.merged} new)` });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await updateTransfer(transfer.id, () => ({ state: 'failed', error: `import failed: ${message}`, finishedAt: Date.now() }));
    await logTransferEvent(transfer, 'success', {
      outcome: 'error',
      error: `downloaded, but the import failed: ${message}`,
      downBytes: registration.downloaded,
    });
    return event.updateUI({ title: 'Steady: download finished, import failed' });
  }
}

async function onFail(event: BackgroundFetchUpdateUIEvent): Promise<void> {
  const registration = event.registration;
  const transfer = await transferByFetchId(registration.id);
  const reason = await failureDetail(registration);
  if (transfer?.cancelRequested) {
    await updateTransfer(transfer.id, () => ({ state: 'aborted', error: null, finishedAt: Date.now() }));
    await logTransferEvent(transfer, 'fail', {
      outcome: 'cancelled',
      error: 'cancelled: the server stopped the upload',
      upBytes: registration.uploaded,
    });
    return event.updateUI({ title: 'Steady: backup cancelled' });
  }
  if (transfer) {
    await updateTransfer(transfer.id, () => ({ state: 'failed', error: reason, finishedAt: Date.now() }));
    await logTransferEvent(transfer, 'fail', {
      outcome: 'error',
      error: reason,
      upBytes: registration.uploaded,
      downBytes: registration.downloaded,
    });
  }
  const what = transfer?.direction === 'download' ? 'download' : 'backup';
  return event.updateUI({ title: `Steady: ${what} failed (${reason}). Open Steady to retry.` });
}

async function onAbort(event: BackgroundFetchEvent): Promise<void> {
  const registration = event.registration;
  const transfer = await transferByFetchId(registration.id);
  if (!transfer) return;
  await updateTransfer(transfer.id, () => ({ state: 'aborted', error: null, finishedAt: Date.now() }));
  await logTransferEvent(transfer, 'abort', { outcome: 'cancelled', upBytes: registration.uploaded, downBytes: registration.downloaded });
}

async function onClick(event: BackgroundFetchEvent): Promise<void> {
  const transfer = await transferByFetchId(event.registration.id);
  if (transfer) {
    const outcome = transfer.state === 'failed' ? 'error' : transfer.state === 'aborted' ? 'cancelled' : 'ok';
    await logTransferEvent(transfer, 'click', { outcome, upBytes: event.registration.uploaded, downBytes: event.registration.downloaded });
  }
  const url = new URL(TRANSFERS_URL, self.location.origin).href;
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows[0];
  if (!open) {
    await self.clients.openWindow(url);
    return;
  }
  // navigate() works only for a page this worker controls (an uncontrolled one just comes
  // forward); focus() only within the click's user activation.
  const moved = await open.navigate(url).catch(() => null);
  await (moved ?? open).focus().catch(() => undefined);
}

/** Why a fetch failed, with the server's status and message when it answered. */
async function failureDetail(registration: BackgroundFetchRegistration): Promise<string> {
  const [record] = await registration.matchAll().catch(() => []);
  const response = await record?.responseReady.catch(() => null);
  // Chromium reports a connection lost mid-upload as `bad-status` with a status-0 response.
  if (!response || response.status === 0) return `${registration.failureReason || 'failed'}: no answer from the server`;
  if (response.ok) return registration.failureReason || 'failed';
  const body = (await response.json().catch(() => null)) as { message?: string } | null;
  return `${registration.failureReason}: HTTP ${response.status}${body?.message ? ` ${body.message}` : ''}`;
}

function records(transfer: Transfer): number {
  return transfer.counts ? transfer.counts.chunks + transfer.counts.gaps + transfer.counts.docs : 0;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
