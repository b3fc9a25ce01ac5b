import { updateTransfer } from '../db/backup-transfers';
import { assertNever } from '../shared/assert-never';
import type { TransferState } from '../shared/backup';
import type { BackupWorkerRequest, BackupWorkerResponse } from '../shared/messages';
import { WORKER_NAMES } from '../shared/names';
import { WorkerClient, WorkerFailedError } from '../ui/worker-client';

type Progress = Extract<BackupWorkerResponse, { type: 'PROGRESS' }>;

/** The backup Web Worker, started on first use; this module is its only owner. */
const worker = new WorkerClient<BackupWorkerRequest, BackupWorkerResponse>(
  'backup',
  () => new Worker(new URL('../workers/backup-worker.ts', import.meta.url), { type: 'module', name: WORKER_NAMES.backup }),
);

type Outcome = { state: TransferState; error: string | null };

/**
 * Runs a job in the worker; resolves with the state the transfer was left in. When the worker
 * fails (cannot load, crashes), the transfer is recorded as failed: left "packing" or "running",
 * its row would show it moving for ever and keep "Back up everything" disabled. Retry starts a
 * fresh worker (a download resumes from the bytes it kept).
 */
export async function runInWorker(request: Extract<BackupWorkerRequest, { type: 'PACK' | 'DOWNLOAD' }>): Promise<Outcome> {
  try {
    return await worker.call<Outcome>(request, (reply, settle) => {
      switch (reply.type) {
        case 'PROGRESS':
          break;
        case 'FINISHED':
          if (reply.transferId === request.transferId) settle.resolve({ state: reply.state, error: reply.error });
          break;
        default:
          assertNever(reply);
      }
    });
  } catch (failure) {
    if (!(failure instanceof WorkerFailedError)) throw failure;
    await updateTransfer(request.transferId, () => ({ state: 'failed', error: failure.message, finishedAt: Date.now() }));
    return { state: 'failed', error: failure.message };
  }
}

export function cancelInWorker(transferId: string): void {
  worker.post({ type: 'CANCEL', transferId });
}

export function onWorkerProgress(listener: (message: Progress) => void): () => void {
  return worker.subscribe((message) => {
    if (message.type === 'PROGRESS') listener(message);
  });
}
