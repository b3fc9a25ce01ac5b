import type { ApiErrorBody } from './api';

/** The `code` of the answer the service worker gives for an API request that reached no server. */
export const OFFLINE_CODE = 'OFFLINE';
export const OFFLINE_STATUS = 503;

/**
 * The body of that answer (503): the service worker answers it rather than reject the page's
 * request, which browsers log as an error on every call ("respondWith() … rejected"). The page
 * treats it as no answer at all, exactly like a fetch that failed (http-client.ts).
 */
export interface OfflineErrorBody extends ApiErrorBody {
  statusCode: typeof OFFLINE_STATUS;
  code: typeof OFFLINE_CODE;
  error: 'Service Unavailable';
}

/** How every "no answer" reads, whether the page's fetch failed or the service worker's did. */
export const unreachableMessage = (cause: unknown) => `could not reach the server (${String(cause)})`;

/** The offline answer's body, saying what the network failed with. */
export function offlineErrorBody(cause: unknown): OfflineErrorBody {
  return { statusCode: OFFLINE_STATUS, code: OFFLINE_CODE, error: 'Service Unavailable', message: unreachableMessage(cause) };
}

/** True when a status and parsed body are the service worker's offline answer (not a server's 503). */
export function isOfflineAnswer(status: number, body: unknown): body is OfflineErrorBody {
  return status === OFFLINE_STATUS && typeof body === 'object' && body !== null && (body as Partial<ApiErrorBody>).code === OFFLINE_CODE;
}
