/// <reference lib="webworker" />
import { assertNever } from '../shared/assert-never';
import type { ReportWorkerRequest, ReportWorkerResponse } from '../shared/messages';
import { CancellableJobs } from './cancellable-jobs';
import { buildReport } from './report-build';

// Entry: the clinician's report is read, laid out and written as a PDF here, so the page's main
// thread stays free while it is made. One AbortController per job; CANCEL aborts it.
declare const self: DedicatedWorkerGlobalScope;

const jobs = new CancellableJobs();
const post = (message: ReportWorkerResponse<Blob>) => self.postMessage(message);

self.addEventListener('message', (event: MessageEvent<ReportWorkerRequest>) => {
  const request = event.data;
  switch (request.type) {
    case 'BUILD_REPORT':
      void jobs.run(
        request.jobId,
        async (signal) => post(await buildReport(request, signal)),
        (error, aborted) => {
          const message = aborted ? 'cancelled' : error instanceof Error ? error.message : String(error);
          const code = error instanceof RangeError ? 'bad-request' : error instanceof DOMException ? 'storage' : 'internal';
          post({ type: 'FAILED', jobId: request.jobId, aborted, code, message });
        },
      );
      break;
    case 'CANCEL':
      jobs.cancel(request.jobId);
      break;
    default:
      assertNever(request);
  }
});
