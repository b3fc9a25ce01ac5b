import type { WorkboxPlugin } from 'workbox-core';
import { OFFLINE_STATUS, offlineErrorBody } from '../src/shared/offline-answer';

/**
 * For the `/api` route: when the network gives no answer (server down, no connection), answer
 * the page with the typed offline 503 instead of rejecting inside `respondWith`, which Firefox
 * and Chromium log as an error on every call (issue 16, part 3). The page reads it as offline.
 */
export const answerOffline: WorkboxPlugin = {
  handlerDidError: async ({ error }) =>
    new Response(JSON.stringify(offlineErrorBody(error)), {
      status: OFFLINE_STATUS,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    }),
};
