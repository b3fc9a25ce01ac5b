/// <reference lib="webworker" />

import { assertNever } from '../shared/assert-never';
import type { TrendsRequest, TrendsResponse } from '../shared/messages';
import { dailyJob, dayChartJob, wearDaysJob } from './trends-jobs';

// Entry: trends aggregation and downsampling run here, so reading weeks of per-second heart
// rate never blocks the page's main thread. One job per kind at a time: a newer request of the
// same kind aborts the older (switching 7 → 30 → 90 days quickly only finishes the last).
declare const self: DedicatedWorkerGlobalScope;

type Kind = Exclude<TrendsRequest['type'], 'CANCEL'>;

const running = new Map<Kind, { requestId: number; controller: AbortController }>();
const post = (message: TrendsResponse) => self.postMessage(message);

self.addEventListener('message', (event: MessageEvent<TrendsRequest>) => {
  const request = event.data;
  switch (request.type) {
    case 'DAILY':
      void run(request.type, request.requestId, (signal) => dailyJob(request, post, signal));
      break;
    case 'DAY_CHART':
      void run(request.type, request.requestId, (signal) => dayChartJob(request, post, signal));
      break;
    case 'WEAR_DAYS':
      void run(request.type, request.requestId, (signal) => wearDaysJob(request, post, signal));
      break;
    case 'CANCEL':
      for (const job of running.values()) if (job.requestId === request.requestId) job.controller.abort();
      break;
    default:
      assertNever(request);
  }
});

async function run(kind: Kind, requestId: number, work: (signal: AbortSignal) => Promise<void>): Promise<void> {
  running.get(kind)?.controller.abort();
  const controller = new AbortController();
  running.set(kind, { requestId, controller });
  try {
    await work(controller.signal);
  } catch (error) {
    if (controller.signal.aborted) return; // superseded or cancelled: not a failure
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof RangeError ? 'bad-request' : error instanceof DOMException ? 'storage' : 'internal';
    post({ type: 'FAILED', requestId, code, message });
  } finally {
    if (running.get(kind)?.controller === controller) running.delete(kind);
  }
}
