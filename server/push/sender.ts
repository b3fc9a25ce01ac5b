import type { OutgoingHttpHeaders } from 'node:http';
import webpush from 'web-push';
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

/**
 * How one attempt at a push ended. `gone`: the push service says the subscription no longer
 * exists. `retry`: worth another attempt (429, 5xx, a timeout), after `afterMs` when the push
 * service said how long (Retry-After); the caller schedules it as a job.
 */
export type DeliveryResult =
  | { status: 'sent' | 'gone' | 'failed'; httpStatus: number | null; error: string | null; notAttempted?: true }
  | { status: 'retry'; httpStatus: number | null; error: string; afterMs: number | null };

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
  now?: () => number;
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
 * signed once per push-service origin, and bounded concurrency. One attempt per call: waiting
 * before another is the job queue's work (server/jobs/push-retry-job.ts), never a sleeping request.
 */
export class PushSender {
  readonly #auth: VapidAuthCache;
  readonly #transport: PushTransport;
  readonly #limit: ConcurrencyLimit;
  readonly #options: PushSenderOptions;
  readonly #now: () => number;

  constructor(options: PushSenderOptions) {
    const concurrency = options.concurrency ?? 32;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#auth = new VapidAuthCache(options.keys, this.#now);
    this.#limit = new ConcurrencyLimit(concurrency);
    this.#transport = new PushTransport({ timeoutMs: options.timeoutMs, maxSockets: concurrency, extraCa: options.extraCa });
  }

  /**
   * Encrypts and POSTs one tickle with what is left of its TTL until `deadline` (epoch ms).
   * Never throws but for an abort.
   */
  async deliver(
    target: PushTarget,
    tickle: PushTickle,
    policy: PushPolicy,
    deadline: number,
    signal?: AbortSignal,
  ): Promise<DeliveryResult> {
    const { log } = this.#options;
    const context = { deviceId: target.deviceId, type: tickle.type, id: tickle.id };
    signal?.throwIfAborted();
    // Checked before every request: the allow-list may have shrunk since the device subscribed.
    const problem = endpointProblem(target.endpoint, this.#options.allowedHosts);
    if (problem) return { status: 'failed', httpStatus: null, error: `endpoint ${problem}`, notAttempted: true };
    let response: PushResponse;
    let bytes = 0;
    try {
      response = await this.#limit.run(() => {
        signal?.throwIfAborted();
        // Encrypted inside the limit, so a burst to 10,000 devices does not block the event loop up front.
        const { headers, body } = this.#encrypt(target, tickle, policy);
        bytes = body.length;
        const ttl = Math.max(0, Math.ceil((deadline - this.#now()) / 1000));
        const authorization = this.#auth.header(new URL(target.endpoint).origin);
        return this.#transport.post(target.endpoint, { ...headers, TTL: ttl, Authorization: authorization }, body, signal);
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const code = error instanceof PushTransportError ? error.code : 'ERROR';
      const reason = `${code}: ${(error as Error).message}`;
      if (TRANSIENT.has(code)) return { status: 'retry', httpStatus: null, error: reason, afterMs: null };
      // A certificate or encoding problem: the same request would fail the same way.
      log.warn({ ...context, code, error: reason }, 'push not sent');
      return { status: 'failed', httpStatus: null, error: reason };
    }

    const verdict = pushVerdict(response.status, response.headers['retry-after'], this.#now());
    const reason = `HTTP ${response.status}${response.body ? `: ${response.body.slice(0, 200)}` : ''}`;
    switch (verdict.kind) {
      case 'sent':
        return { status: 'sent', httpStatus: response.status, error: null };
      case 'gone':
        return { status: 'gone', httpStatus: response.status, error: reason };
      case 'unauthorized':
        // Our key or JWT is at fault, not the device: keep the subscription and make noise.
        log.error({ ...context, status: response.status, body: response.body.slice(0, 200) }, 'push service refused our VAPID credentials');
        return { status: 'failed', httpStatus: response.status, error: reason };
      case 'too-large':
        log.error({ ...context, bytes }, 'bug: push payload too large for the push service (413); not retried');
        return { status: 'failed', httpStatus: response.status, error: reason };
      case 'refused':
        log.warn({ ...context, status: response.status }, 'push refused');
        return { status: 'failed', httpStatus: response.status, error: reason };
      case 'retry':
        return { status: 'retry', httpStatus: response.status, error: reason, afterMs: verdict.afterMs };
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
}
