import { PUSH_TOPICS } from '../../src/shared/names';
import type { PushTickleType } from '../../src/shared/push-tickle';

/** How a push is sent: RFC 8030 §5.2 TTL, §5.3 Urgency, §5.4 Topic. */
export interface PushPolicy {
  /** Seconds the push service keeps an undelivered push; also how long the sender retries. */
  ttlSeconds: number;
  urgency: 'very-low' | 'low' | 'normal' | 'high';
  /** A newer push with the same topic replaces an undelivered older one (≤ 32 base64url characters). */
  topic: string;
}

/**
 * Per tickle type. None of these is an alert, so none is `high` (which wakes a sleeping phone
 * and spends battery): new data can wait for the device's next wake, a stale device even longer.
 * Each type collapses into one pending push: ten uploads while a phone sleeps deliver one refresh.
 */
export const PUSH_POLICIES: Record<PushTickleType, PushPolicy> = {
  refresh: { ttlSeconds: 3600, urgency: 'normal', topic: PUSH_TOPICS.refresh },
  sync: { ttlSeconds: 12 * 3600, urgency: 'low', topic: PUSH_TOPICS.sync },
  message: { ttlSeconds: 24 * 3600, urgency: 'normal', topic: PUSH_TOPICS.message },
};
