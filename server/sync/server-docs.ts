import type { Kysely } from 'kysely';
import type { DocKind } from '../../src/shared/sync/batch-codec';
import type { Database } from '../db/schema';
import { sha256 } from './record-codec';

/** The `device_id` of records the server itself writes. */
export const SERVER_DEVICE = 'server';

/**
 * Writes a document the server owns (a message for the account) into the account's server
 * order, so every device pulls it like any other change.
 */
export async function writeServerDoc(
  db: Kysely<Database>,
  accountId: string,
  kind: DocKind,
  id: string,
  body: Record<string, unknown>,
): Promise<void> {
  const text = JSON.stringify(body);
  await db.transaction().execute(async (trx) => {
    const { last_seq } = await trx
      .updateTable('accounts')
      .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
      .where('id', '=', accountId)
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    const row = {
      seq: Number(last_seq),
      device_id: SERVER_DEVICE,
      body: text,
      body_hash: sha256(text),
      updated_at: new Date().toISOString(),
    };
    await trx
      .insertInto('sync_records')
      .values({ account_id: accountId, kind, record_id: id, t: null, ...row })
      .onConflict((oc) => oc.columns(['account_id', 'kind', 'record_id']).doUpdateSet(row))
      .execute();
  });
}
