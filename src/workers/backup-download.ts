import { importArchive } from '../db/backup-import';
import { getTransfer, importLock, storableBlob, type Transfer, updateTransfer } from '../db/backup-transfers';
import { backoffDelay, sleep } from '../shared/backoff';
import { ApiRequestError, NetworkError } from '../shared/http-client';
import { isOfflineAnswer } from '../shared/offline-answer';
import { pathOf } from '../shared/routes';

/** Received bytes are persisted this often, so a reload resumes from about here. */
const PERSIST_EVERY = 4 * 1024 * 1024;
/** Tries per run before the transfer is left failed (with what arrived) for the user to retry. */
const ATTEMPTS = 8;

/**
 * Downloads a stored archive with ranged GETs — a dropped connection or a reload resumes from
 * the bytes already received, checked with If-Range so a changed archive starts over — then
 * imports it. Used where Background Fetch is missing or failed.
 */
export async function downloadAndImport(
  transfer: Transfer,
  token: string,
  options: { signal: AbortSignal; onProgress: (bytesDone: number, bytesTotal: number | null, records: number) => void },
): Promise<Transfer | undefined> {
  const { signal } = options;
  const received = { blob: transfer.partial ?? new Blob([]) };
  const total = transfer.bytesTotal ?? Number.NaN;
  // A Background Fetch download the service worker could not finish importing is all here already.
  const complete = transfer.partial !== null && transfer.partial.size === total;
  if (!complete && (!transfer.backupId || !transfer.sha256)) throw new Error('transfer has no stored archive to download');
  for (let attempt = 0; !complete && received.blob.size < total; attempt++) {
    try {
      await fetchRest(transfer, token, received, signal, (size) => options.onProgress(size, total, 0));
    } catch (error) {
      signal.throwIfAborted();
      const partial = await storableBlob(received.blob);
      await updateTransfer(transfer.id, () => ({ partial, bytesDone: received.blob.size }));
      const retryable = error instanceof NetworkError || (error instanceof ApiRequestError && error.retryable);
      if (!retryable || attempt + 1 >= ATTEMPTS) throw error;
      await sleep(backoffDelay(attempt, 1000, 30_000), signal);
    }
  }
  const partial = await storableBlob(received.blob);
  await updateTransfer(transfer.id, () => ({ state: 'importing', partial, bytesDone: received.blob.size }));
  // (ifAvailable cannot be combined with a signal: the import below takes it instead.)
  return navigator.locks.request(importLock(transfer.id), { ifAvailable: true }, async (lock) => {
    if (!lock) return getTransfer(transfer.id); // the service worker is importing it right now
    const imported = await importArchive(partial.stream() as ReadableStream<Uint8Array>, {
      signal,
      expectedSha256: transfer.sha256,
      onProgress: (_bytes, records) => options.onProgress(partial.size, partial.size, records),
    });
    return updateTransfer(transfer.id, () => ({ state: 'done', imported, partial: null, error: null, finishedAt: Date.now() }));
  });
}

/**
 * One GET from where `received.blob` ends. Whatever arrives is appended to `received.blob`
 * (also when the connection drops) and persisted every PERSIST_EVERY bytes.
 */
async function fetchRest(
  transfer: Transfer,
  token: string,
  received: { blob: Blob },
  signal: AbortSignal,
  onProgress: (bytes: number) => void,
): Promise<void> {
  // Checked by the caller already (a download starts only from a stored archive); this narrows the type.
  if (!transfer.backupId) throw new Error('transfer has no stored archive to download');
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (received.blob.size > 0) {
    headers.range = `bytes=${received.blob.size}-`;
    headers['if-range'] = `"${transfer.sha256}"`;
  }
  let response: Response;
  try {
    response = await fetch(pathOf('downloadBackup', { id: transfer.backupId }), { headers, signal, cache: 'no-store' });
  } catch (error) {
    signal.throwIfAborted();
    throw new NetworkError(`could not reach the server (${String(error)})`, { cause: error });
  }
  if (response.status === 200)
    received.blob = new Blob([]); // the archive is not the one we had begun: start over
  else if (response.status !== 206) {
    const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
    if (isOfflineAnswer(response.status, body)) throw new NetworkError(body.message); // the service worker got no answer
    throw new ApiRequestError(response.status, body.code ?? `HTTP_${response.status}`, body.message ?? `HTTP ${response.status}`);
  }
  if (!response.body) throw new NetworkError('the answer had no body');
  const reader = response.body.getReader();
  let pending: Uint8Array[] = [];
  let unsaved = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      pending.push(value);
      unsaved += value.byteLength;
      if (unsaved >= PERSIST_EVERY) {
        const saved = new Blob([received.blob, ...(pending as BlobPart[])]);
        received.blob = saved;
        pending = [];
        unsaved = 0;
        const partial = await storableBlob(saved);
        await updateTransfer(transfer.id, () => ({ partial, bytesDone: saved.size }));
        onProgress(saved.size);
      }
    }
  } catch (error) {
    signal.throwIfAborted();
    throw new NetworkError(`download interrupted at ${received.blob.size + unsaved} bytes (${String(error)})`, { cause: error });
  } finally {
    // Keep what did arrive: the next try asks only for the rest.
    received.blob = new Blob([received.blob, ...(pending as BlobPart[])]);
  }
  onProgress(received.blob.size);
}
