import { assertNever } from '../shared/assert-never';
import type { TransferState } from '../shared/backup';
import type { BackupWorkerRequest, BackupWorkerResponse } from '../shared/messages';
import { WORKER_NAMES } from '../shared/names';
import { WorkerClient } from '../ui/worker-client';

type Progress = Extract<BackupWorkerResponse, { type: 'PROGRESS' }>;

/** The backup Web Worker, started on first use; this module is its only owner. */
const worker = new WorkerClient<BackupWorkerRequest, BackupWorkerResponse>(
  'backup',
  () => new Worker(new URL('../workers/backup-worker.ts', import.meta.url), { type: 'module', name: WORKER_NAMES.backup }),
);

/** Runs a job in the worker; resolves with the state the transfer was left in. */
export function runInWorker(request: Extract<BackupWorkerRequest, { type: 'PACK' | 'DOWNLOAD' }>) {
  return worker.call<{ state: TransferState; error: string | null }>(request, (reply, settle) => {
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
}

export function cancelInWorker(transferId: string): void {
  worker.post({ type: 'CANCEL', transferId });
}

export function onWorkerProgress(listener: (message: Progress) => void): () => void {
  return worker.subscribe((message) => {
    if (message.type === 'PROGRESS') listener(message);
  });
}
