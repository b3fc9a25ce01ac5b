import { backoffDelay } from '../../src/shared/backoff';

/** How a push the push service could not take now is tried again. */
export interface RetryPolicy {
  /** Backoff when the push service gave no Retry-After: up to `baseMs` after the first attempt, doubling, at most `maxMs`. */
  baseMs: number;
  maxMs: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 1000, maxMs: 300_000, maxAttempts: 8 };

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

/**
 * Pure: after `attempts` attempts, the last answered "try again" (`afterMs` from its Retry-After,
 * RFC 9110 §10.2.3, or null): when to try next, or why not. A push past its TTL (`deadline`) is
 * dead at the push service anyway (RFC 8030 §5.2), so no attempt is planned after it.
 */
export function nextAttempt(
  attempts: number,
  afterMs: number | null,
  now: number,
  deadline: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): RetryDecision {
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
  if (attempts >= policy.maxAttempts) return { retry: false, reason: `gave up after ${tries}` };
  const delayMs = afterMs ?? backoffDelay(attempts - 1, policy.baseMs, policy.maxMs, random);
  if (now + delayMs >= deadline) return { retry: false, reason: `TTL ran out after ${tries}` };
  return { retry: true, delayMs };
}
