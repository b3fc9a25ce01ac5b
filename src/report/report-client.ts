import { assertNever } from '../shared/assert-never';
import type { ReportWorkerRequest, ReportWorkerResponse } from '../shared/messages';
import { WORKER_NAMES } from '../shared/names';
import type { PageDrawing } from '../shared/report/drawing';
import type { ReportOptions } from '../shared/report/options';
import { WorkerClient } from '../ui/worker-client';

/** A finished report: the PDF as a File (for Web Share) and an object URL (for saving and a link). */
export interface ReadyReport {
  file: File;
  url: string;
  pages: number;
  firstPage: PageDrawing;
}

/** A failure the report worker reported, with its machine-readable code. */
export class ReportError extends Error {
  constructor(
    readonly code: Extract<ReportWorkerResponse<Blob>, { type: 'FAILED' }>['code'],
    message: string,
  ) {
    super(message);
    this.name = 'ReportError';
  }
}

/**
 * Makes a report in a fresh Web Worker (src/workers/report-worker.ts), ended when the job is: its
 * Blob stays valid in the page. The caller revokes `url` (`releaseReport`). Rejects with an
 * AbortError when `signal` aborts, and with a WorkerFailedError when the worker cannot load or crashes.
 */
export async function makeReport(options: ReportOptions, signal: AbortSignal): Promise<ReadyReport> {
  const jobId = crypto.randomUUID();
  const worker = new WorkerClient<ReportWorkerRequest, ReportWorkerResponse<Blob>>(
    'report',
    () => new Worker(new URL('../workers/report-worker.ts', import.meta.url), { type: 'module', name: WORKER_NAMES.report }),
  );
  try {
    return await worker.call<ReadyReport>(
      { type: 'BUILD_REPORT', jobId, options, madeAt: Date.now() },
      (message, settle) => {
        if (message.jobId !== jobId) return;
        switch (message.type) {
          case 'FAILED':
            settle.reject(
              message.aborted ? new DOMException(message.message, 'AbortError') : new ReportError(message.code, message.message),
            );
            break;
          case 'REPORT_READY': {
            const file = new File([message.pdf], message.fileName, { type: 'application/pdf' });
            settle.resolve({ file, url: URL.createObjectURL(file), pages: message.pages, firstPage: message.firstPage });
            break;
          }
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

/** Lets the browser free the report's memory. */
export function releaseReport(report: ReadyReport): void {
  URL.revokeObjectURL(report.url);
}

/** True where the Web Share API can hand this file to another app (Android, iOS, some desktops). */
export function canShareFile(file: File): boolean {
  return typeof navigator.canShare === 'function' && navigator.canShare({ files: [file] });
}
