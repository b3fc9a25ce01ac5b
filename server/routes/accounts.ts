import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type {
  CreateAccountRequest,
  CreateAccountResponse,
  DeviceInfo,
  JoinAccountRequest,
  JoinAccountResponse,
  ListDevicesResponse,
} from '../../src/shared/api';
import { normaliseSyncCode, SYNC_CODE_PATTERN } from '../../src/shared/api';
import { deviceOf, requireDevice } from '../auth/authenticate';
import { hashSecret, newDeviceToken, newSyncCode } from '../auth/secrets';
import type { OpenDatabase } from '../db/open';
import { ApiError, notFound } from '../errors';

const deviceName = { type: 'string', minLength: 1, maxLength: 80 } as const;

/** Accounts and their devices: create, join by sync code, list, revoke. */
export async function accountRoutes(app: FastifyInstance, { database }: { database: OpenDatabase }) {
  const { db } = database;
  const authenticated = { preHandler: requireDevice(db) };

  app.post<{ Body: CreateAccountRequest }>(
    '/api/accounts',
    {
      // Every field is optional, so is the body: a bare POST (no content-type, no body) is `{}`.
      preValidation: async (request) => {
        if (request.body === undefined) request.body = {};
      },
      schema: {
        body: { type: 'object', additionalProperties: false, properties: { name: deviceName } },
      },
    },
    async (request, reply): Promise<CreateAccountResponse> => {
      const accountId = randomUUID();
      const deviceId = randomUUID();
      const deviceToken = newDeviceToken();
      const syncCode = newSyncCode();
      const now = new Date().toISOString();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('accounts')
          .values({ id: accountId, sync_code_hash: hashSecret(syncCode), created_at: now })
          .execute();
        await trx
          .insertInto('devices')
          .values({
            id: deviceId,
            account_id: accountId,
            name: request.body?.name ?? 'First device',
            token_hash: hashSecret(deviceToken),
            created_at: now,
            last_seen_at: now,
            revoked_at: null,
          })
          .execute();
      });
      reply.code(201);
      return { accountId, deviceId, deviceToken, syncCode };
    },
  );

  app.post<{ Body: JoinAccountRequest }>(
    '/api/devices',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['syncCode', 'name'],
          properties: { syncCode: { type: 'string', maxLength: 32 }, name: deviceName },
        },
      },
    },
    async (request, reply): Promise<JoinAccountResponse> => {
      const syncCode = normaliseSyncCode(request.body.syncCode);
      if (!new RegExp(SYNC_CODE_PATTERN).test(syncCode)) {
        throw new ApiError(400, 'VALIDATION', 'body/syncCode must be 12 letters and digits, like ABCD-EFGH-JKMN');
      }
      const account = await db.selectFrom('accounts').select('id').where('sync_code_hash', '=', hashSecret(syncCode)).executeTakeFirst();
      if (!account) throw new ApiError(404, 'UNKNOWN_SYNC_CODE', 'no account has this sync code');
      const deviceId = randomUUID();
      const deviceToken = newDeviceToken();
      const now = new Date().toISOString();
      await db
        .insertInto('devices')
        .values({
          id: deviceId,
          account_id: account.id,
          name: request.body.name,
          token_hash: hashSecret(deviceToken),
          created_at: now,
          last_seen_at: now,
          revoked_at: null,
        })
        .execute();
      reply.code(201);
      return { accountId: account.id, deviceId, deviceToken };
    },
  );

  app.get('/api/devices', authenticated, async (request): Promise<ListDevicesResponse> => {
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

  app.delete<{ Params: { id: string } }>(
    '/api/devices/:id',
    { ...authenticated, schema: { params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } } } },
    async (request, reply) => {
      const me = deviceOf(request);
      // Scoped by account: another account's device is indistinguishable from a missing one.
      const result = await db
        .updateTable('devices')
        .set({ revoked_at: new Date().toISOString() })
        .where('id', '=', request.params.id)
        .where('account_id', '=', me.accountId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw notFound('device');
      reply.code(204);
    },
  );
}
