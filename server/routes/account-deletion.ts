import type { FastifyInstance } from 'fastify';
import { deviceOf, requireDevice } from '../auth/authenticate';
import { openArchiveStore } from '../backups/open-archives';
import type { Config } from '../config';
import type { OpenDatabase } from '../db/open';
import { routeRegistrar } from './route';

/** Tables whose rows name the account directly; each is emptied of the account's rows by name. */
const ACCOUNT_TABLES = [
  'pairing_codes',
  'push_sends',
  'push_subscriptions',
  'messages',
  'sync_records',
  'quarantined_records',
  'sync_batches',
  'backup_parts',
  'backup_staging_parts',
  'backup_staging',
  'backups',
] as const;

/**
 * `DELETE /api/accounts/me` → 204: the account of the calling device, gone for good. Every row
 * that belongs to it (devices, sync records (quarantined ones too) and batches, push subscriptions and their log,
 * messages, backups and their bytes in Postgres) goes in one transaction, so a failure leaves
 * the account whole; backup files on disk (SQLite) go after the commit, when nothing can point at them any more.
 */
export async function accountDeletionRoutes(
  app: FastifyInstance,
  { database, config }: { database: OpenDatabase; config: Pick<Config, 'dataDir' | 'databaseUrl' | 'databaseSchema'> },
) {
  const { db } = database;
  const archives = openArchiveStore(database, config);
  app.addHook('onClose', () => archives.close());

  const route = routeRegistrar(app, requireDevice(db));
  route('deleteAccount', {}, async (request, reply) => {
    const { accountId } = deviceOf(request);
    await db.transaction().execute(async (trx) => {
      // Rows are deleted by name rather than left to ON DELETE CASCADE, so a table added later
      // without a cascade makes this fail (and roll back) instead of leaving data behind silently.
      await trx
        .deleteFrom('push_state')
        .where('device_id', 'in', trx.selectFrom('devices').select('id').where('account_id', '=', accountId))
        .execute();
      for (const table of ACCOUNT_TABLES) await trx.deleteFrom(table).where('account_id', '=', accountId).execute();
      await trx.deleteFrom('devices').where('account_id', '=', accountId).execute();
      await trx.deleteFrom('accounts').where('id', '=', accountId).execute();
    });
    await archives.removeAccount(accountId);
    request.log.info({ accountId }, 'account deleted');
    reply.code(204);
  });
}
