import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { Database, PushSubscriptionsTable } from '../../server/db/schema';

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

/**
 * Devices of one account with subscriptions at real endpoints, written straight to the database
 * in slices: thousands of joins through the API would measure pairing, not push. Returns their ids.
 */
export async function insertSubscribedDevices(
  db: Kysely<Database>,
  accountId: string,
  subscriptions: ReadonlyArray<{ endpoint: string; keys: { p256dh: string; auth: string } }>,
  keyId: string,
): Promise<string[]> {
  const now = new Date().toISOString();
  const rows = subscriptions.map((s) => ({ ...s, deviceId: randomUUID() }));
  for (let i = 0; i < rows.length; i += 500) {
    const slice = rows.slice(i, i + 500);
    await db
      .insertInto('devices')
      .values(
        slice.map((s) => ({
          id: s.deviceId,
          account_id: accountId,
          name: 'bulk',
          token_hash: randomUUID(),
          created_at: now,
          last_seen_at: now,
          revoked_at: null,
        })),
      )
      .execute();
    await db
      .insertInto('push_subscriptions')
      .values(
        slice.map((s) => ({
          device_id: s.deviceId,
          account_id: accountId,
          endpoint: s.endpoint,
          p256dh: s.keys.p256dh,
          auth: s.keys.auth,
          expiration_time: null,
          key_id: keyId,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  }
  return rows.map((r) => r.deviceId);
}
