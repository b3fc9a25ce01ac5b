import { assertNever } from '../shared/assert-never';
import type { ExportFile, ExportFormat } from '../shared/export/protocol';
import type { ExportWorkerRequest, ExportWorkerResponse } from '../shared/messages';
import { WORKER_NAMES } from '../shared/names';
import { WorkerClient } from '../ui/worker-client';

/** A finished export file, ready to download through its object URL. */
export interface ReadyFile {
  name: string;
  url: string;
  bytes: number;
  rows: number;
}

/**
 * Builds an export in a fresh Web Worker (src/workers/export-worker.ts) and answers its files
 * with object URLs; the caller revokes them (`releaseFiles`). The worker is ended when the job
 * is: its Blobs stay valid in the page. Rejects with an AbortError when `signal` aborts, and with
 * a WorkerFailedError when the worker cannot load or crashes.
 */
export async function exportData(format: ExportFormat, onProgress: (fraction: number) => void, signal: AbortSignal): Promise<ReadyFile[]> {
  const jobId = crypto.randomUUID();
  const worker = new WorkerClient<ExportWorkerRequest, ExportWorkerResponse<Blob>>(
    'export',
    () => new Worker(new URL('../workers/export-worker.ts', import.meta.url), { type: 'module', name: WORKER_NAMES.export }),
  );
  try {
    return await worker.call<ReadyFile[]>(
      { type: 'EXPORT', jobId, format, now: Date.now() },
      (message, settle) => {
        if (message.jobId !== jobId) return;
        switch (message.type) {
          case 'PROGRESS':
            onProgress(message.total > 0 ? message.done / message.total : 1);
            break;
          case 'DONE':
            settle.resolve(message.files.map(ready));
            break;
          case 'FAILED':
            settle.reject(message.aborted ? new DOMException(message.message, 'AbortError') : new Error(message.message));
            break;
          default:
            assertNever(message);
        }
      },
      { signal, cancel: { type: 'CANCEL', jobId } },
    );
  } finally {
    worker.terminate();
  }
}

function ready(file: ExportFile<Blob>): ReadyFile {
  return { name: file.name, url: URL.createObjectURL(file.blob), bytes: file.blob.size, rows: file.rows };
}

/** Lets the browser free the files' memory. */
export function releaseFiles(files: readonly ReadyFile[]): void {
  for (const file of files) URL.revokeObjectURL(file.url);
}
