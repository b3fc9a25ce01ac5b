import type { Insertable } from 'kysely';
import type { PushSubscriptionsTable } from '../../server/db/schema';

/** A push_subscriptions row for a device, written straight to the database (no push service involved). */
export function fakePushSubscription(
  deviceId: string,
  accountId: string,
  now = new Date().toISOString(),
): Insertable<PushSubscriptionsTable> {
  return {
    device_id: deviceId,
    account_id: accountId,
    endpoint: `https://push.example.test/${deviceId}`,
    p256dh: 'p',
    auth: 'a',
    expiration_time: null,
    key_id: 'k',
    created_at: now,
    updated_at: now,
  };
}
