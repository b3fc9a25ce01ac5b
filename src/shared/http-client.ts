import type { ApiErrorBody } from './api';
import { isOfflineAnswer, unreachableMessage } from './offline-answer';
import { type BodyOf, methodsOf, type ParamsOf, type QueryOf, type ResponseOf, type ROUTES, type RouteName, urlOf } from './routes';

/**
 * The slice of `fetch` the app's API calls need. Page, service worker and Web Workers pass
 * their global `fetch`; tests pass anything that behaves the same.
 */
export type FetchLike = (
  input: string,
  init?: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Uint8Array<ArrayBuffer>;
    signal?: AbortSignal;
  },
) => Promise<{
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  json(): Promise<unknown>;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

/** A response as FetchLike returns it. */
export type FetchLikeResponse = Awaited<ReturnType<FetchLike>>;

/** The server answered with an error status. `status` and `code` come from the answer. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds, from `Retry-After`, when the server gave one. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }

  /** 408, 429 and 5xx are worth retrying; any other 4xx will fail the same way again. */
  get retryable(): boolean {
    return this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/** The request never got an answer (offline, DNS, reset, CORS). Always worth retrying. */
export class NetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetworkError';
  }
}

/** Routes whose bodies and answers are JSON: the ones `callApi` can call (the others are fetched raw, by `pathOf`). */
export type JsonRouteName = { [K in RouteName]: (typeof ROUTES)[K] extends { mediaType: string } ? never : K }[RouteName];

/** The parts of a call its route has, required when the route needs them, absent when it has none. */
export type CallOptions<K extends RouteName> = {
  token?: string;
  signal?: AbortSignal;
} & (ParamsOf<K> extends undefined ? { params?: undefined } : { params: ParamsOf<K> }) &
  (QueryOf<K> extends undefined ? { query?: undefined } : { query: QueryOf<K> }) &
  (BodyOf<K> extends undefined ? { body?: undefined } : { body: BodyOf<K> });

/** The options argument, optional when nothing in it is required. */
export type CallArgs<K extends RouteName> =
  Partial<CallOptions<K>> extends CallOptions<K> ? [options?: CallOptions<K>] : [options: CallOptions<K>];

/** Calls a JSON route by name (page: `api`; service worker: `apiCaller` over its `fetch`). */
export type ApiCaller = <K extends JsonRouteName>(name: K, ...args: CallArgs<K>) => Promise<ResponseOf<K>>;

/**
 * Calls a JSON route of the table (src/shared/routes.ts): method and path come from it, params
 * are URL-encoded into the path. Resolves with the parsed answer (undefined for 204) or throws
 * ApiRequestError/NetworkError.
 */
export async function callApi<K extends JsonRouteName>(
  fetchFn: FetchLike,
  baseUrl: string,
  name: K,
  ...[options]: CallArgs<K>
): Promise<ResponseOf<K>> {
  const call: Partial<CallOptions<K>> = options ?? {};
  const headers: Record<string, string> = { accept: 'application/json' };
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  if (call.token) headers.authorization = `Bearer ${call.token}`;
  const response = await request(fetchFn, baseUrl + urlOf(name, call.params ?? undefined, call.query ?? undefined), {
    method: methodsOf(name)[0],
    headers,
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
    signal: call.signal,
  });
  if (response.status === 204) return undefined as ResponseOf<K>;
  const text = await response.text();
  return (text ? safeJson(text) : undefined) as ResponseOf<K>;
}

/** `callApi` bound to one `fetch` and base URL. */
export function apiCaller(fetchFn: FetchLike, baseUrl: string): ApiCaller {
  return (name, ...args) => callApi(fetchFn, baseUrl, name, ...args);
}

/**
 * One request: resolves with a 2xx response; throws NetworkError when there is no answer (the
 * service worker's offline answer included, see offline-answer.ts), ApiRequestError (with the
 * server's code, message and Retry-After) for any other status.
 */
export async function request(fetchFn: FetchLike, url: string, init: Parameters<FetchLike>[1]): Promise<FetchLikeResponse> {
  let response: FetchLikeResponse;
  try {
    response = await fetchFn(url, init);
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') throw error;
    throw new NetworkError(unreachableMessage(error), { cause: error });
  }
  if (response.ok) return response;
  const text = await response.text().catch(() => '');
  const body = (text ? safeJson(text) : undefined) as Partial<ApiErrorBody> | undefined;
  // The service worker's stand-in for a failed fetch: offline, not a server's answer.
  if (isOfflineAnswer(response.status, body)) throw new NetworkError(body.message);
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  throw new ApiRequestError(
    response.status,
    body?.code ?? `HTTP_${response.status}`,
    body?.message ?? (text || `HTTP ${response.status}`),
    retryAfter,
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // a proxy's HTML error page: the status says enough
  }
}

/** `Retry-After` as seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.round((date - now) / 1000));
}
