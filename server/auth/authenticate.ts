import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { ApiError, unauthorized } from '../errors';
import { hashSecret } from './secrets';

/** The device a request was made by, resolved from its bearer token. */
export interface AuthenticatedDevice {
  deviceId: string;
  accountId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    device: AuthenticatedDevice | null;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{43})$/;

/**
 * A `preHandler` that admits only requests with a live device token and sets `request.device`.
 * Missing, malformed, unknown and revoked tokens all answer 401 with `WWW-Authenticate`; a
 * revoked one says so with the code `DEVICE_REVOKED`.
 */
export function requireDevice(db: Kysely<Database>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization;
    const match = header ? BEARER.exec(header) : null;
    // The challenge belongs on the 401 only (RFC 9110 §11.6.1), not on every authenticated answer.
    const reject = (message: string, code?: string) => {
      reply.header('WWW-Authenticate', 'Bearer realm="steady"');
      return code ? new ApiError(401, code, message) : unauthorized(message);
    };
    if (!match?.[1]) throw reject(header ? 'malformed Authorization header' : 'missing device token');
    const row = await db
      .selectFrom('devices')
      .select(['id', 'account_id', 'revoked_at', 'last_seen_at'])
      .where('token_hash', '=', hashSecret(match[1]))
      .executeTakeFirst();
    if (!row) throw reject('unknown device token');
    // Its own code, so the app can tell "removed from the account" (join again) from a broken token.
    if (row.revoked_at) throw reject('device token was revoked', 'DEVICE_REVOKED');
    request.device = { deviceId: row.id, accountId: row.account_id };
    // Last-seen is advisory: write it at most once a minute per device, not on every request.
    const now = new Date();
    if (!row.last_seen_at || now.getTime() - Date.parse(row.last_seen_at) > 60_000) {
      await db.updateTable('devices').set({ last_seen_at: now.toISOString() }).where('id', '=', row.id).execute();
    }
  };
}

/** `request.device` inside a route guarded by `requireDevice`. */
export function deviceOf(request: FastifyRequest): AuthenticatedDevice {
  if (!request.device) throw unauthorized('missing device token');
  return request.device;
}
