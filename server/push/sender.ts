import type { OutgoingHttpHeaders } from 'node:http';
import webpush from 'web-push';
import { backoffDelay, sleep as defaultSleep } from '../../src/shared/backoff';
import type { PushTickle } from '../../src/shared/push-tickle';
import { ConcurrencyLimit } from './concurrency-limit';
import type { PushPolicy } from './policy';
import { endpointProblem } from './subscription-validation';
import { type PushResponse, PushTransport, PushTransportError } from './transport';
import { VapidAuthCache } from './vapid-auth-cache';
import type { VapidKeys } from './vapid-keys';
import { pushVerdict } from './verdict';

/** The log calls push makes; Fastify's (pino) logger fits. */
export interface PushLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Where one push goes. */
export interface PushTarget {
  deviceId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** How one push ended. `gone`: the push service says the subscription no longer exists. */
export interface DeliveryResult {
  status: 'sent' | 'gone' | 'failed';
  httpStatus: number | null;
  attempts: number;
  error: string | null;
}

export interface PushSenderOptions {
  keys: VapidKeys;
  /** PUSH_ALLOWED_HOSTS, re-checked before every request. */
  allowedHosts: readonly string[];
  timeoutMs: number;
  log: PushLog;
  /** Requests in flight at once (and sockets per host). */
  concurrency?: number;
  /** PEM trusted besides the system store. */
  extraCa?: string | Buffer;
  /** Retry backoff after 5xx and timeouts without Retry-After. */
  backoff?: { baseMs: number; maxMs: number };
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Network failures worth another try; TLS and certificate errors are not. */
const TRANSIENT = new Set([
  'TIMEOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * Sends tickles to push services (RFC 8030) with web-push's aes128gcm encryption, a VAPID JWT
 * signed once per push-service origin, bounded concurrency, and retries within the TTL.
 */
export class PushSender {
  readonly #auth: VapidAuthCache;
  readonly #transport: PushTransport;
  readonly #limit: ConcurrencyLimit;
  readonly #options: PushSenderOptions;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: PushSenderOptions) {
    const concurrency = options.concurrency ?? 32;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#auth = new VapidAuthCache(options.keys, this.#now);
    this.#limit = new ConcurrencyLimit(concurrency);
    this.#transport = new PushTransport({ timeoutMs: options.timeoutMs, maxSockets: concurrency, extraCa: options.extraCa });
  }

  /** Encrypts and POSTs one tickle, retrying 429/5xx/timeouts until the TTL runs out. Never throws but for an abort. */
  async deliver(target: PushTarget, tickle: PushTickle, policy: PushPolicy, signal?: AbortSignal): Promise<DeliveryResult> {
    const { log } = this.#options;
    const deadline = this.#now() + policy.ttlSeconds * 1000;
    const context = { deviceId: target.deviceId, type: tickle.type, id: tickle.id };
    // Encrypted once, on the first attempt, and reused by retries.
    let request: { headers: OutgoingHttpHeaders; body: Buffer } | undefined;
    const encrypted = () => {
      request ??= this.#encrypt(target, tickle, policy);
      return request;
    };
    let last: { httpStatus: number | null; error: string } = { httpStatus: null, error: 'not sent' };
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      // Checked again before every request: the allow-list may have shrunk since the device subscribed.
      const problem = endpointProblem(target.endpoint, this.#options.allowedHosts);
      if (problem) return { status: 'failed', httpStatus: null, attempts: attempt - 1, error: `endpoint ${problem}` };
      let response: PushResponse;
      try {
        response = await this.#limit.run(() => {
          signal?.throwIfAborted();
          // Encrypted inside the limit, so a burst to 10,000 devices does not block the event loop up front.
          const { headers, body } = encrypted();
          const ttl = Math.max(0, Math.ceil((deadline - this.#now()) / 1000));
          const authorization = this.#auth.header(new URL(target.endpoint).origin);
          return this.#transport.post(target.endpoint, { ...headers, TTL: ttl, Authorization: authorization }, body, signal);
        });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        const code = error instanceof PushTransportError ? error.code : 'ERROR';
        last = { httpStatus: null, error: `${code}: ${(error as Error).message}` };
        if (!TRANSIENT.has(code)) {
          // A certificate or encoding problem: the same request would fail the same way.
          log.warn({ ...context, code, error: last.error }, 'push not sent');
          return { status: 'failed', httpStatus: null, attempts: attempt, error: last.error };
        }
        const waited = await this.#waitToRetry(attempt, null, deadline, signal);
        if (!waited) return this.#gaveUp(attempt, last);
        continue;
      }

      const verdict = pushVerdict(response.status, response.headers['retry-after'], this.#now());
      const reason = `HTTP ${response.status}${response.body ? `: ${response.body.slice(0, 200)}` : ''}`;
      last = { httpStatus: response.status, error: reason };
      switch (verdict.kind) {
        case 'sent':
          return { status: 'sent', httpStatus: response.status, attempts: attempt, error: null };
        case 'gone':
          return { status: 'gone', httpStatus: response.status, attempts: attempt, error: reason };
        case 'unauthorized':
          // Our key or JWT is at fault, not the device: keep the subscription and make noise.
          log.error(
            { ...context, status: response.status, body: response.body.slice(0, 200) },
            'push service refused our VAPID credentials',
          );
          return { status: 'failed', httpStatus: response.status, attempts: attempt, error: reason };
        case 'too-large':
          log.error({ ...context, bytes: encrypted().body.length }, 'bug: push payload too large for the push service (413); not retried');
          return { status: 'failed', httpStatus: response.status, attempts: attempt, error: reason };
        case 'refused':
          log.warn({ ...context, status: response.status }, 'push refused');
          return { status: 'failed', httpStatus: response.status, attempts: attempt, error: reason };
        case 'retry': {
          const waited = await this.#waitToRetry(attempt, verdict.afterMs, deadline, signal);
          if (!waited) return this.#gaveUp(attempt, last);
          continue;
        }
      }
    }
  }

  /** Closes the connection pool. */
  close(): void {
    this.#transport.close();
  }

  #encrypt(target: PushTarget, tickle: PushTickle, policy: PushPolicy): { headers: OutgoingHttpHeaders; body: Buffer } {
    // No vapidDetails here (and none set globally): web-push only encrypts and fills in the
    // RFC 8030 headers; the cached Authorization goes on per attempt.
    const details = webpush.generateRequestDetails(
      { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
      JSON.stringify(tickle),
      {
        contentEncoding: 'aes128gcm',
        TTL: policy.ttlSeconds,
        urgency: policy.urgency,
        topic: policy.topic,
      },
    );
    return { headers: details.headers, body: details.body };
  }

  /** Sleeps before the next attempt; false when that would pass the deadline (the push would be dead anyway). */
  async #waitToRetry(attempt: number, afterMs: number | null, deadline: number, signal?: AbortSignal): Promise<boolean> {
    const { baseMs, maxMs } = this.#options.backoff ?? { baseMs: 1000, maxMs: 300_000 };
    const wait = afterMs ?? backoffDelay(attempt - 1, baseMs, maxMs);
    if (this.#now() + wait >= deadline) return false;
    await this.#sleep(wait, signal);
    return true;
  }

  #gaveUp(attempts: number, last: { httpStatus: number | null; error: string }): DeliveryResult {
    return {
      status: 'failed',
      httpStatus: last.httpStatus,
      attempts,
      error: `TTL ran out after ${attempts} attempts; last: ${last.error}`,
    };
  }
}
