import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { DeviceInfo } from '../../src/shared/api';
import { normalisePairingCode, PAIRING_CODE_PATTERN } from '../../src/shared/api';
import { deviceOf, requireDevice } from '../auth/authenticate';
import { insertDevice } from '../auth/devices';
import { createPairingCode, type PairingLimits, redeemPairingCode, revokeDevice } from '../auth/pairing-codes';
import type { OpenDatabase } from '../db/open';
import { ApiError, notFound } from '../errors';
import { routeRegistrar } from './route';

export interface AccountRoutesOptions {
  database: OpenDatabase;
  config: PairingLimits;
  /** The server's clock; tests pass one they can move (a pairing code's 10 minutes). */
  now?: () => Date;
}

/** Accounts and their devices: create, pair another device with a one-time code, list, revoke. */
export async function accountRoutes(app: FastifyInstance, { database, config, now = () => new Date() }: AccountRoutesOptions) {
  const { db } = database;
  const route = routeRegistrar(app, requireDevice(db));

  route(
    'createAccount',
    {
      // Every field is optional, so is the body: a bare POST (no content-type, no body) is `{}`.
      preValidation: async (request) => {
        if (request.body === undefined) request.body = {};
      },
    },
    async (request, reply) => {
      const accountId = randomUUID();
      const stamp = now().toISOString();
      const device = await db.transaction().execute(async (trx) => {
        // sync_code_hash is retired (migration 0005) but NOT NULL UNIQUE: a per-account placeholder.
        await trx
          .insertInto('accounts')
          .values({ id: accountId, sync_code_hash: `retired:${accountId}`, created_at: stamp })
          .execute();
        return insertDevice(trx, accountId, request.body?.name ?? 'First device', stamp);
      });
      reply.code(201);
      return { accountId, ...device };
    },
  );

  // The per-account quota bounds what is stored; the pairingCodes rate limit
  // (server/rate-limit/rules.ts) bounds the scrypt work of a device asking in a loop.
  route('createPairingCode', {}, async (request, reply) => {
    const created = await createPairingCode(db, deviceOf(request), now(), config);
    reply.code(201);
    return created;
  });

  route('joinDevice', {}, async (request, reply) => {
    const code = normalisePairingCode(request.body.pairingCode);
    if (!new RegExp(PAIRING_CODE_PATTERN).test(code)) {
      throw new ApiError(400, 'VALIDATION', 'body/pairingCode must be 16 letters and digits, like ABCD-EFGH-JKMN-PQRS');
    }
    const joined = await redeemPairingCode(db, code, request.body.name, now(), config);
    reply.code(201);
    return joined;
  });

  route('listDevices', {}, async (request) => {
    const me = deviceOf(request);
    const rows = await db
      .selectFrom('devices')
      .select(['id', 'name', 'created_at', 'last_seen_at'])
      .where('account_id', '=', me.accountId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at')
      .execute();
    const devices: DeviceInfo[] = rows.map((r) => ({
      id: r.id,
      name: r.name,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      current: r.id === me.deviceId,
    }));
    return { devices };
  });

  route('revokeDevice', {}, async (request, reply) => {
    // Scoped by account: another account's device is indistinguishable from a missing one.
    if (!(await revokeDevice(db, deviceOf(request).accountId, request.params.id, now()))) throw notFound('device');
    reply.code(204);
  });
}
