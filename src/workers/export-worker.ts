/// <reference lib="webworker" />
import { openSteadyDb } from '../db/schema';
import { assertNever } from '../shared/assert-never';
import type { ExportWorkerRequest, ExportWorkerResponse } from '../shared/messages';
import { CancellableJobs } from './cancellable-jobs';
import { buildCsv, buildJson } from './export-build';

// Entry: builds "Your data" exports (CSV, JSON) off the page's main thread, as Blobs made
// piecewise. One AbortController per job; CANCEL aborts it.
declare const self: DedicatedWorkerGlobalScope;

const jobs = new CancellableJobs();
const post = (message: ExportWorkerResponse<Blob>) => self.postMessage(message);

self.addEventListener('message', (event: MessageEvent<ExportWorkerRequest>) => {
  const request = event.data;
  switch (request.type) {
    case 'EXPORT':
      void run(request);
      break;
    case 'CANCEL':
      jobs.cancel(request.jobId);
      break;
    default:
      assertNever(request);
  }
});

function run({ jobId, format, now }: Extract<ExportWorkerRequest, { type: 'EXPORT' }>): Promise<void> {
  return jobs.run(
    jobId,
    async (signal) => {
      const options = { now, signal, onProgress: (done: number, total: number) => post({ type: 'PROGRESS', jobId, done, total }) };
      const db = await openSteadyDb();
      const files = format === 'csv' ? await buildCsv(db, options) : await buildJson(db, options);
      post({ type: 'DONE', jobId, files });
    },
    (error, aborted) =>
      post({ type: 'FAILED', jobId, aborted, message: aborted ? 'cancelled' : error instanceof Error ? error.message : String(error) }),
  );
}
