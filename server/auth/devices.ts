import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { hashSecret, newDeviceToken } from './secrets';

/** A device just added: its id and the bearer token it alone will ever see (only its hash is stored). */
export interface NewDevice {
  deviceId: string;
  deviceToken: string;
}

/**
 * Adds a device to `accountId` inside the caller's transaction: the one place a device row is
 * written, for an account's first device and for every device that joins with a pairing code.
 */
export async function insertDevice(trx: Transaction<Database>, accountId: string, name: string, stamp: string): Promise<NewDevice> {
  const device: NewDevice = { deviceId: randomUUID(), deviceToken: newDeviceToken() };
  await trx
    .insertInto('devices')
    .values({
      id: device.deviceId,
      account_id: accountId,
      name,
      token_hash: hashSecret(device.deviceToken),
      created_at: stamp,
      last_seen_at: stamp,
      revoked_at: null,
    })
    .execute();
  return device;
}
