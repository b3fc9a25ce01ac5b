import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { deviceOf, requireDevice } from '../auth/authenticate';
import { BackupFiles } from '../backups/store';
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
  'sync_batches',
  'backups',
] as const;

/**
 * `DELETE /api/accounts/me` → 204: the account of the calling device, gone for good. Every row
 * that belongs to it (devices, sync records and batches, push subscriptions and their log,
 * messages, backup index) goes in one transaction, so a failure leaves the account whole;
 * the backup files go after the commit, when nothing can point at them any more.
 */
export async function accountDeletionRoutes(
  app: FastifyInstance,
  { database, config }: { database: OpenDatabase; config: Pick<Config, 'dataDir'> },
) {
  const { db } = database;
  const files = new BackupFiles(config.dataDir, db);

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
    await removeBackupFiles(files, accountId);
    request.log.info({ accountId }, 'account deleted');
    reply.code(204);
  });
}

/** The account's archives (DATA_DIR/backups/<accountId>/) and its unfinished tus uploads. */
async function removeBackupFiles(files: BackupFiles, accountId: string): Promise<void> {
  await fs.rm(path.join(files.root, accountId), { recursive: true, force: true });
  let names: string[];
  try {
    names = await fs.readdir(files.uploadsDir);
  } catch {
    return; // no upload was ever started on this server
  }
  // A tus upload is a data file beside `<id>.json`, whose metadata names its owner (server/backups/tus.ts).
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const info = await fs.readFile(path.join(files.uploadsDir, name), 'utf8').catch(() => null);
    let owner: unknown;
    try {
      owner = info && (JSON.parse(info) as { metadata?: { accountId?: unknown } }).metadata?.accountId;
    } catch {
      continue; // being written this instant: left to the expiry cleanup (the owner's token no longer works anyway)
    }
    if (owner !== accountId) continue;
    const id = name.slice(0, -'.json'.length);
    await fs.rm(path.join(files.uploadsDir, id), { force: true });
    await fs.rm(path.join(files.uploadsDir, name), { force: true });
  }
}
