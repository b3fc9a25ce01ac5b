import type { BackupWorkerRequest, BackupWorkerResponse, TransferState } from '../shared/backup';

type ProgressListener = (message: Extract<BackupWorkerResponse, { type: 'PROGRESS' }>) => void;

let worker: Worker | null = null;
const waiting = new Map<string, (result: { state: TransferState; error: string | null }) => void>();
const listeners = new Set<ProgressListener>();

/** The backup Web Worker, started on first use; this module is its only owner. */
function backupWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('../workers/backup-worker.ts', import.meta.url), { type: 'module', name: 'steady-backup' });
    worker.addEventListener('message', (event: MessageEvent<BackupWorkerResponse>) => {
      const message = event.data;
      switch (message.type) {
        case 'PROGRESS':
          for (const listener of listeners) listener(message);
          break;
        case 'FINISHED':
          waiting.get(message.transferId)?.({ state: message.state, error: message.error });
          waiting.delete(message.transferId);
          break;
      }
    });
  }
  return worker;
}

/** Runs a job in the worker; resolves with the state the transfer was left in. */
export function runInWorker(request: Extract<BackupWorkerRequest, { type: 'PACK' | 'DOWNLOAD' }>) {
  return new Promise<{ state: TransferState; error: string | null }>((resolve) => {
    waiting.set(request.transferId, resolve);
    backupWorker().postMessage(request satisfies BackupWorkerRequest);
  });
}

export function cancelInWorker(transferId: string): void {
  worker?.postMessage({ type: 'CANCEL', transferId } satisfies BackupWorkerRequest);
}

export function onWorkerProgress(listener: ProgressListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
