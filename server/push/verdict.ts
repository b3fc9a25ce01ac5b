/** What to do after a push service answered (RFC 8030 §5, §8.4; RFC 8292 §4). */
export type PushVerdict =
  /** 201 Created (and other 2xx): the push service has it. */
  | { kind: 'sent' }
  /** 404/410: the subscription is gone for good (RFC 8030 §7.3): delete it. */
  | { kind: 'gone' }
  /** 429, 503 and other 5xx: try again, after `afterMs` when the service said when. */
  | { kind: 'retry'; afterMs: number | null }
  /** 401/403: the service refused our VAPID credentials; the subscription may be fine. */
  | { kind: 'unauthorized' }
  /** 413: the payload is too big, which only a bug on our side can cause. */
  | { kind: 'too-large' }
  /** Anything else (400, a redirect we will not follow): retrying the same request cannot help. */
  | { kind: 'refused' };

/** Longest Retry-After honoured; the TTL bounds the total wait anyway. */
const MAX_RETRY_AFTER_MS = 3600_000;

/** Pure: the verdict for an HTTP status and its Retry-After header. */
export function pushVerdict(status: number, retryAfter: string | string[] | undefined, now: number): PushVerdict {
  if (status >= 200 && status < 300) return { kind: 'sent' };
  if (status === 404 || status === 410) return { kind: 'gone' };
  if (status === 401 || status === 403) return { kind: 'unauthorized' };
  if (status === 413) return { kind: 'too-large' };
  if (status === 429 || status === 503) return { kind: 'retry', afterMs: retryAfterMs(retryAfter, now) };
  if (status >= 500) return { kind: 'retry', afterMs: null };
  return { kind: 'refused' };
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date; null when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now: number): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  const ms = /^\d+$/.test(text.trim()) ? Number(text.trim()) * 1000 : Date.parse(text) - now;
  if (!Number.isFinite(ms)) return null;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}
