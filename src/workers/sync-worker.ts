/// <reference lib="webworker" />
import { runSyncExclusive } from '../db/sync-runner';
import { assertNever } from '../shared/assert-never';
import type { SyncWorkerRequest, SyncWorkerResponse } from '../shared/messages';

// Entry: page-driven sync runs here, so decoding big pull pages and writing them to
// IndexedDB never blocks the page's main thread.
declare const self: DedicatedWorkerGlobalScope;

self.addEventListener('message', (event: MessageEvent<SyncWorkerRequest>) => {
  const request = event.data;
  switch (request.type) {
    case 'RUN_SYNC':
      void runSyncExclusive(request.trigger).then((entry) => {
        self.postMessage({ type: 'SYNC_RESULT', requestId: request.requestId, entry } satisfies SyncWorkerResponse);
      });
      break;
    default:
      assertNever(request.type);
  }
});
