import type { ExportFile, ExportFormat, ExportWorkerRequest, ExportWorkerResponse } from '../shared/export/protocol';

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
 * is: its Blobs stay valid in the page. Rejects with an AbortError when `signal` aborts.
 */
export function exportData(format: ExportFormat, onProgress: (fraction: number) => void, signal: AbortSignal): Promise<ReadyFile[]> {
  return new Promise((resolve, reject) => {
    signal.throwIfAborted();
    const jobId = crypto.randomUUID();
    const worker = new Worker(new URL('../workers/export-worker.ts', import.meta.url), { type: 'module', name: 'steady-export' });
    const send = (request: ExportWorkerRequest) => worker.postMessage(request);
    const end = () => {
      worker.terminate();
      signal.removeEventListener('abort', cancel);
    };
    const cancel = () => {
      send({ type: 'CANCEL', jobId });
      end();
      reject(signal.reason);
    };
    signal.addEventListener('abort', cancel, { once: true });
    worker.addEventListener('error', (event) => {
      end();
      reject(new Error(`the export worker failed: ${event.message || 'it could not start'}`));
    });
    worker.addEventListener('message', (event: MessageEvent<ExportWorkerResponse<Blob>>) => {
      const message = event.data;
      if (message.jobId !== jobId) return;
      switch (message.type) {
        case 'PROGRESS':
          onProgress(message.total > 0 ? message.done / message.total : 1);
          break;
        case 'DONE':
          end();
          resolve(message.files.map(ready));
          break;
        case 'FAILED':
          end();
          reject(message.aborted ? new DOMException(message.message, 'AbortError') : new Error(message.message));
          break;
      }
    });
    send({ type: 'EXPORT', jobId, format, now: Date.now() });
  });
}

function ready(file: ExportFile<Blob>): ReadyFile {
  return { name: file.name, url: URL.createObjectURL(file.blob), bytes: file.blob.size, rows: file.rows };
}

/** Lets the browser free the files' memory. */
export function releaseFiles(files: readonly ReadyFile[]): void {
  for (const file of files) URL.revokeObjectURL(file.url);
}
