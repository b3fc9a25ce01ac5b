import type { Kysely, Transaction } from 'kysely';
import type { CreatePairingCodeResponse, JoinAccountResponse } from '../../src/shared/api';
import type { Database } from '../db/schema';
import { ApiError } from '../errors';
import { insertDevice } from './devices';
import { hashPairingSecret, randomCode, verifyPairingSecret } from './secrets';

/** How long a pairing code works: long enough to fetch the other device, short enough to be worthless once leaked. */
export const PAIRING_CODE_TTL_MS = 10 * 60_000;
/** Used and expired codes are kept this long (a late attempt learns why it failed), then purged. */
const KEEP_SPENT_MS = 24 * 3600_000;

export interface PairingLimits {
  maxDevicesPerAccount: number;
  maxPairingCodesPerAccount: number;
}

/**
 * Takes the account's row lock first, so that two joins (or two new codes) cannot both pass a
 * quota check: a row lock on Postgres, the write lock on SQLite (as server/sync/ingest.ts does).
 */
async function lockAccount(trx: Transaction<Database>, accountId: string): Promise<void> {
  await trx
    .updateTable('accounts')
    .set((eb) => ({ last_seq: eb.ref('last_seq') }))
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
}

async function checkDeviceQuota(trx: Transaction<Database>, accountId: string, max: number): Promise<void> {
  const { live } = await trx
    .selectFrom('devices')
    .select((eb) => eb.fn.countAll<number>().as('live'))
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  if (Number(live) >= max) {
    throw new ApiError(409, 'QUOTA_DEVICES', `this account already has its maximum of ${max} devices: remove a device first`);
  }
}

/** Makes a one-time code for another device to join `accountId` with; only its scrypt hash is stored. */
export async function createPairingCode(
  db: Kysely<Database>,
  maker: { accountId: string; deviceId: string },
  now: Date,
  limits: PairingLimits,
): Promise<CreatePairingCodeResponse> {
  const secret = randomCode(12);
  // Hashed before the transaction: the account lock is not held for the ~50 ms of scrypt.
  const { salt, hash } = await hashPairingSecret(secret);
  const expiresAt = new Date(now.getTime() + PAIRING_CODE_TTL_MS).toISOString();
  const lookup = await db.transaction().execute(async (trx) => {
    await lockAccount(trx, maker.accountId);
    await trx
      .deleteFrom('pairing_codes')
      .where('expires_at', '<', new Date(now.getTime() - KEEP_SPENT_MS).toISOString())
      .execute();
    await checkDeviceQuota(trx, maker.accountId, limits.maxDevicesPerAccount);
    const { waiting } = await trx
      .selectFrom('pairing_codes')
      .select((eb) => eb.fn.countAll<number>().as('waiting'))
      .where('account_id', '=', maker.accountId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .executeTakeFirstOrThrow();
    if (Number(waiting) >= limits.maxPairingCodesPerAccount) {
      throw new ApiError(
        409,
        'QUOTA_PAIRING_CODES',
        `${limits.maxPairingCodesPerAccount} pairing codes of this account are still waiting to be used: use one, or wait until they expire`,
      );
    }
    // 20 bits of lookup id: a clash with a stored code is rare, and answered by drawing again.
    for (let attempt = 0; attempt < 8; attempt++) {
      const candidate = randomCode(4);
      const taken = await trx.selectFrom('pairing_codes').select('lookup').where('lookup', '=', candidate).executeTakeFirst();
      if (taken) continue;
      await trx
        .insertInto('pairing_codes')
        .values({
          lookup: candidate,
          account_id: maker.accountId,
          device_id: maker.deviceId,
          salt,
          hash,
          created_at: now.toISOString(),
          expires_at: expiresAt,
          used_at: null,
          used_by: null,
        })
        .execute();
      return candidate;
    }
    throw new Error('no free pairing code lookup id after 8 draws');
  });
  const code = `${lookup}-${secret.slice(0, 4)}-${secret.slice(4, 8)}-${secret.slice(8)}`;
  return { code, expiresAt, expiresInSeconds: PAIRING_CODE_TTL_MS / 1000 };
}

const unknownCode = () => new ApiError(404, 'UNKNOWN_PAIRING_CODE', 'no device made this pairing code');

/**
 * Joins the account of `code` (canonical `XXXX-XXXX-XXXX-XXXX`) with a new device, using the
 * code up. A wrong secret, a code whose maker was revoked and a code never made all answer the
 * same 404; only someone holding the right code learns that it expired or was used.
 */
export async function redeemPairingCode(
  db: Kysely<Database>,
  code: string,
  name: string,
  now: Date,
  limits: Pick<PairingLimits, 'maxDevicesPerAccount'>,
): Promise<JoinAccountResponse> {
  const [lookup = '', ...rest] = code.split('-');
  const row = await db.selectFrom('pairing_codes').select(['salt', 'hash']).where('lookup', '=', lookup).executeTakeFirst();
  // Every guess naming a stored lookup id costs one scrypt: POST /api/devices is limited per
  // address (deviceJoin in server/rate-limit/rules.ts).
  if (!row || !(await verifyPairingSecret(rest.join(''), row.salt, row.hash))) throw unknownCode();

  return db.transaction().execute(async (trx) => {
    // Read again under the lock: two devices racing with one code must not both get in.
    const pairing = await trx
      .selectFrom('pairing_codes')
      .innerJoin('devices', 'devices.id', 'pairing_codes.device_id')
      .select(['pairing_codes.account_id', 'pairing_codes.expires_at', 'pairing_codes.used_at', 'devices.revoked_at'])
      .where('pairing_codes.lookup', '=', lookup)
      .executeTakeFirst();
    if (!pairing || pairing.revoked_at) throw unknownCode();
    await lockAccount(trx, pairing.account_id);
    const fresh = await trx.selectFrom('pairing_codes').select('used_at').where('lookup', '=', lookup).executeTakeFirst();
    if (!fresh) throw unknownCode();
    if (fresh.used_at)
      throw new ApiError(410, 'PAIRING_CODE_USED', 'this pairing code was already used: make a new one on a device of the account');
    if (pairing.expires_at <= now.toISOString()) {
      throw new ApiError(410, 'PAIRING_CODE_EXPIRED', 'this pairing code has expired: make a new one on a device of the account');
    }
    await checkDeviceQuota(trx, pairing.account_id, limits.maxDevicesPerAccount);
    const stamp = now.toISOString();
    const device = await insertDevice(trx, pairing.account_id, name, stamp);
    await trx.updateTable('pairing_codes').set({ used_at: stamp, used_by: device.deviceId }).where('lookup', '=', lookup).execute();
    return { accountId: pairing.account_id, ...device };
  });
}

/** Revokes a device of `accountId`: its token stops working and its waiting pairing codes die. False when there is no such live device. */
export async function revokeDevice(db: Kysely<Database>, accountId: string, deviceId: string, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('devices')
      .set({ revoked_at: now.toISOString() })
      .where('id', '=', deviceId)
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await trx.deleteFrom('pairing_codes').where('device_id', '=', deviceId).where('used_at', 'is', null).execute();
    // A revoked device gets no more pushes: they would tell it when the account changes.
    await trx.deleteFrom('push_subscriptions').where('device_id', '=', deviceId).execute();
    return true;
  });
}
