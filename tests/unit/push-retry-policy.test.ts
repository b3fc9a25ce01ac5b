import { describe, expect, it } from 'vitest';
import { nextAttempt } from '../../server/push/retry-policy';

const policy = { baseMs: 1000, maxMs: 8000, maxAttempts: 5 };
const NOW = 1_000_000;
const FAR = NOW + 3600_000;

describe('nextAttempt', () => {
  it('waits what Retry-After said, whatever the attempt', () => {
    expect(nextAttempt(1, 2000, NOW, FAR, policy)).toEqual({ retry: true, delayMs: 2000 });
    expect(nextAttempt(4, 0, NOW, FAR, policy)).toEqual({ retry: true, delayMs: 0 });
  });

  it.each([
    // attempt, random, delay: equal jitter over min(maxMs, baseMs·2^(attempt-1)).
    [1, 0, 500],
    [1, 1, 1000],
    [2, 0.5, 1500],
    [3, 0, 2000],
    [4, 1, 8000],
  ])('without Retry-After, after attempt %i with random %f waits %i ms', (attempts, random, delayMs) => {
    expect(nextAttempt(attempts, null, NOW, FAR, policy, () => random)).toEqual({ retry: true, delayMs });
  });

  it('stops at maxAttempts', () => {
    expect(nextAttempt(5, 1000, NOW, FAR, policy)).toEqual({ retry: false, reason: 'gave up after 5 attempts' });
  });

  it('plans no attempt at or past the TTL', () => {
    expect(nextAttempt(1, 5000, NOW, NOW + 5000, policy)).toEqual({ retry: false, reason: 'TTL ran out after 1 attempt' });
    expect(nextAttempt(1, 4999, NOW, NOW + 5000, policy)).toEqual({ retry: true, delayMs: 4999 });
  });
});
