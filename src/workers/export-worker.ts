/// <reference lib="webworker" />
import { openSteadyDb } from '../db/schema';
import { assertNever } from '../shared/assert-never';
import type { ExportWorkerRequest, ExportWorkerResponse } from '../shared/messages';
import { buildCsv, buildJson } from './export-build';

// Entry: builds "Your data" exports (CSV, JSON) off the page's main thread, as Blobs made
// piecewise. One AbortController per job; CANCEL aborts it.
declare const self: DedicatedWorkerGlobalScope;

const running = new Map<string, AbortController>();
const post = (message: ExportWorkerResponse<Blob>) => self.postMessage(message);

self.addEventListener('message', (event: MessageEvent<ExportWorkerRequest>) => {
  const request = event.data;
  switch (request.type) {
    case 'EXPORT':
      void run(request);
      break;
    case 'CANCEL':
      running.get(request.jobId)?.abort(new DOMException('cancelled by the user', 'AbortError'));
      break;
    default:
      assertNever(request);
  }
});

async function run({ jobId, format, now }: Extract<ExportWorkerRequest, { type: 'EXPORT' }>): Promise<void> {
  const controller = new AbortController();
  running.set(jobId, controller);
  const options = {
    now,
    signal: controller.signal,
    onProgress: (done: number, total: number) => post({ type: 'PROGRESS', jobId, done, total }),
  };
  try {
    const db = await openSteadyDb();
    const files = format === 'csv' ? await buildCsv(db, options) : await buildJson(db, options);
    post({ type: 'DONE', jobId, files });
  } catch (error) {
    const aborted = controller.signal.aborted;
    post({ type: 'FAILED', jobId, aborted, message: aborted ? 'cancelled' : error instanceof Error ? error.message : String(error) });
  } finally {
    running.delete(jobId);
  }
}
