import type { FastifyInstance } from 'fastify';
import type { PushSubscriptionStateResponse } from '../../src/shared/api';
import { deviceOf, requireDevice } from '../auth/authenticate';
import type { Config } from '../config';
import type { OpenDatabase } from '../db/open';
import { ApiError } from '../errors';
import { validateSubscription } from '../push/subscription-validation';
import { loadVapidKeys, type VapidKeys } from '../push/vapid-keys';
import { routeRegistrar } from './route';

/** Web Push: the VAPID key, and each device's one subscription (PUT replaces, DELETE removes). */
export async function pushRoutes(app: FastifyInstance, { database, config }: { database: OpenDatabase; config: Config }) {
  const { db } = database;
  // Loaded on first use: the server loads (and on first start creates) them once it is listening.
  let loaded: VapidKeys | undefined;
  const currentKeys = () => {
    loaded ??= loadVapidKeys(config.dataDir, config.push);
    return loaded;
  };
  const route = routeRegistrar(app, requireDevice(db));

  async function state(deviceId: string): Promise<PushSubscriptionStateResponse> {
    const keys = currentKeys();
    const row = await db
      .selectFrom('push_subscriptions')
      .select(['endpoint', 'expiration_time', 'key_id', 'updated_at'])
      .where('device_id', '=', deviceId)
      .executeTakeFirst();
    if (!row) return { status: 'none', keyId: keys.keyId, subscription: null };
    const expired = row.expiration_time !== null && row.expiration_time <= Date.now();
    return {
      status: row.key_id === keys.keyId && !expired ? 'current' : 'stale',
      keyId: keys.keyId,
      subscription: { endpoint: row.endpoint, expirationTime: row.expiration_time, keyId: row.key_id, updatedAt: row.updated_at },
    };
  }

  route('pushKey', {}, async () => {
    const { publicKey, keyId } = currentKeys();
    return { publicKey, keyId };
  });

  route('getPushSubscription', {}, async (request) => state(deviceOf(request).deviceId));

  route(
    'putPushSubscription',
    // Authenticate before the body is validated: an anonymous caller learns nothing about the rules.
    { authenticateBeforeValidation: true },
    async (request, reply) => {
      const me = deviceOf(request);
      const keys = currentKeys();
      const checked = validateSubscription(request.body, config.push.allowedHosts, Date.now());
      if (!checked.ok) throw new ApiError(400, 'INVALID_SUBSCRIPTION', `body/${checked.field.replace('.', '/')} ${checked.reason}`);
      if (request.body.keyId !== undefined && request.body.keyId !== keys.keyId)
        throw new ApiError(
          409,
          'VAPID_KEY_CHANGED',
          `body/keyId: the server's key is now ${keys.keyId}; fetch /api/push/key and subscribe again`,
        );
      const { endpoint, expirationTime, p256dh, auth } = checked.subscription;
      const now = new Date().toISOString();
      const existed = await db.transaction().execute(async (trx) => {
        // An endpoint belongs to one browser: a device record left behind by a reinstall lets go of it.
        await trx
          .deleteFrom('push_subscriptions')
          .where('account_id', '=', me.accountId)
          .where('endpoint', '=', endpoint)
          .where('device_id', '!=', me.deviceId)
          .execute();
        const previous = await trx
          .selectFrom('push_subscriptions')
          .select('device_id')
          .where('device_id', '=', me.deviceId)
          .executeTakeFirst();
        const row = { endpoint, p256dh, auth, expiration_time: expirationTime, key_id: keys.keyId, updated_at: now };
        await trx
          .insertInto('push_subscriptions')
          .values({ device_id: me.deviceId, account_id: me.accountId, created_at: now, ...row })
          .onConflict((oc) => oc.column('device_id').doUpdateSet(row))
          .execute();
        return previous !== undefined;
      });
      reply.code(existed ? 200 : 201);
      return state(me.deviceId);
    },
  );

  route('deletePushSubscription', {}, async (request, reply) => {
    await db.deleteFrom('push_subscriptions').where('device_id', '=', deviceOf(request).deviceId).execute();
    reply.code(204);
  });
}
