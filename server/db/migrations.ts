import { type Kysely, type Migration, sql } from 'kysely';
import { DecodeError } from '../../src/shared/sync/varint';
import { moveToQuarantine, overLimitReason } from '../sync/quarantine';
import { chunkBodyCounts } from '../sync/record-codec';
import type { Database } from './schema';

/**
 * Every schema change, in order. Written with Kysely's schema builder only, so that the same
 * steps run on SQLite and Postgres. Never edit a released step: add a new one.
 */
export const migrations: Record<string, Migration> = {
  '0001_accounts_devices': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('sync_code_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('devices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('devices_account_idx').on('devices').column('account_id').execute();
    },
  },
  '0002_sync': {
    async up(db: Kysely<unknown>) {
      // Server order: each account counts its own changes; a cursor is a position in that count.
      await db.schema
        .alterTable('accounts')
        .addColumn('last_seq', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('sync_records')
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('record_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('t', 'bigint')
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('body_hash', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('sync_records_pk', ['account_id', 'kind', 'record_id'])
        .execute();
      await db.schema.createIndex('sync_records_seq_idx').on('sync_records').columns(['account_id', 'seq']).execute();
      await db.schema.createIndex('sync_records_time_idx').on('sync_records').columns(['account_id', 'kind', 't']).execute();
      await db.schema
        .createTable('sync_batches')
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('batch_id', 'text', (c) => c.notNull())
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('body_hash', 'text', (c) => c.notNull())
        .addColumn('response', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('sync_batches_pk', ['account_id', 'batch_id'])
        .execute();
    },
  },
  '0003_push': {
    async up(db: Kysely<unknown>) {
      // One Web Push subscription per device; `key_id` names the VAPID key it was made for.
      await db.schema
        .createTable('push_subscriptions')
        .addColumn('device_id', 'text', (c) => c.primaryKey().references('devices.id').onDelete('cascade'))
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('endpoint', 'text', (c) => c.notNull())
        .addColumn('p256dh', 'text', (c) => c.notNull())
        .addColumn('auth', 'text', (c) => c.notNull())
        .addColumn('expiration_time', 'bigint')
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('push_subscriptions_account_idx').on('push_subscriptions').column('account_id').execute();
      // One row per push attempted, with its final outcome.
      await db.schema
        .createTable('push_sends')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('http_status', 'integer')
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('push_sends_device_idx').on('push_sends').columns(['device_id', 'created_at']).execute();
      await db.schema
        .createTable('messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('read_at', 'text')
        .execute();
      await db.schema.createIndex('messages_account_idx').on('messages').columns(['account_id', 'created_at']).execute();
      // Per-device push bookkeeping: when the stale-device check last nudged it.
      await db.schema
        .createTable('push_state')
        .addColumn('device_id', 'text', (c) => c.primaryKey().references('devices.id').onDelete('cascade'))
        .addColumn('stale_sync_at', 'text')
        .execute();
    },
  },
  '0004_backups': {
    async up(db: Kysely<unknown>) {
      // Archive files live in DATA_DIR/backups/<account_id>/<id>.gz; this is their index.
      await db.schema
        .createTable('backups')
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('bytes', 'bigint', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('backups_pk', ['account_id', 'id'])
        .execute();
      await db.schema.createIndex('backups_created_idx').on('backups').columns(['account_id', 'created_at']).execute();
    },
  },
  '0005_pairing_codes': {
    async up(db: Kysely<unknown>) {
      // One-time pairing codes replace the permanent sync code (issue 10). A row is found by the
      // code's non-secret lookup id; the secret part is kept only as a salted scrypt hash. Used
      // and expired rows stay a day (used_at says why a code failed), then creation purges them.
      await db.schema
        .createTable('pairing_codes')
        .addColumn('lookup', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
        .addColumn('salt', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('used_by', 'text')
        .execute();
      await db.schema.createIndex('pairing_codes_account_idx').on('pairing_codes').columns(['account_id', 'expires_at']).execute();
      // The sync code's unsalted SHA-256 is brute-forceable offline: overwrite it with a value no
      // code hashes to. SQLite cannot drop a UNIQUE column, so the column stays, unique per account.
      await sql`update accounts set sync_code_hash = 'retired:' || id`.execute(db);
    },
  },
  '0006_rate_limits': {
    async up(db: Kysely<unknown>) {
      // Fixed-window request counters shared by every instance (server/rate-limit/counters.ts).
      await db.schema
        .createTable('rate_limits')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('reset_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  '0007_record_counts': {
    async up(db: Kysely<unknown>) {
      // How many sync records each account stores, for the record quota: kept in the account row,
      // which every upload locks first, so every instance reads and updates the same number.
      await db.schema
        .alterTable('accounts')
        .addColumn('record_count', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`update accounts set record_count = (select count(*) from sync_records where sync_records.account_id = accounts.id)`.execute(
        db,
      );
    },
  },
  '0008_jobs': {
    async up(db: Kysely<unknown>) {
      // The job queue on SQLite (server/jobs/sqlite-queue.ts); Postgres runs pg-boss in its own
      // schema and leaves this table empty. `key` coalesces: one waiting job per (name, key).
      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('key', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('run_at', 'bigint', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', 'bigint')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('jobs_due_idx').on('jobs').columns(['state', 'run_at']).execute();
      await db.schema
        .createIndex('jobs_waiting_key_idx')
        .on('jobs')
        .columns(['name', 'key'])
        .unique()
        .where(sql<boolean>`state = 'waiting'`)
        .execute();
      // Devices that uploaded since an account's last refresh push: the refresh job reads and clears them.
      await db.schema
        .createTable('refresh_uploaders')
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('uploaded_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('refresh_uploaders_pk', ['account_id', 'device_id'])
        .execute();
      // Which push a send belongs to: a fan-out slice run twice skips devices it already reached.
      await db.schema.alterTable('push_sends').addColumn('tickle_id', 'text').execute();
      await db.schema.createIndex('push_sends_tickle_idx').on('push_sends').columns(['tickle_id', 'device_id']).execute();
    },
  },
  '0009_backup_blobs': {
    async up(db: Kysely<unknown>) {
      // With Postgres, archive bytes live here rather than on one instance's disk, so any instance
      // can serve and resume them (server/backups/postgres-archives.ts). SQLite keeps archives in
      // DATA_DIR and leaves these tables empty. Each part is at most PART_BYTES (1 MiB), found by
      // `start`, the offset of its first byte, so a Range reads only the parts it overlaps.
      await db.schema
        .createTable('backup_parts')
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('backup_id', 'text', (c) => c.notNull())
        .addColumn('start', 'bigint', (c) => c.notNull())
        .addColumn('bytes', 'bytea', (c) => c.notNull())
        .addPrimaryKeyConstraint('backup_parts_pk', ['account_id', 'backup_id', 'start'])
        .addForeignKeyConstraint('backup_parts_backup_fk', ['account_id', 'backup_id'], 'backups', ['account_id', 'id'], (c) =>
          c.onDelete('cascade'),
        )
        .execute();
      // Archives still arriving: tus uploads (offset, length and metadata, as @tus/server's DataStore
      // keeps them; `received` is the offset), direct uploads and stored exports being written. `updated_at` is the last write,
      // which the clean-up measures abandonment from.
      await db.schema
        .createTable('backup_staging')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint')
        .addColumn('received', 'bigint', (c) => c.notNull())
        .addColumn('metadata', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('backup_staging_account_idx').on('backup_staging').columns(['account_id', 'kind']).execute();
      await db.schema.createIndex('backup_staging_updated_idx').on('backup_staging').column('updated_at').execute();
      await db.schema
        .createTable('backup_staging_parts')
        .addColumn('staging_id', 'text', (c) => c.notNull().references('backup_staging.id').onDelete('cascade'))
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('start', 'bigint', (c) => c.notNull())
        .addColumn('bytes', 'bytea', (c) => c.notNull())
        .addPrimaryKeyConstraint('backup_staging_parts_pk', ['staging_id', 'start'])
        .execute();
    },
  },
  '0010_quarantined_records': {
    async up(db: Kysely<unknown>) {
      // Minutes an older server stored with more samples or intervals than CHUNK_LIMITS cannot be
      // encoded into a pull page or readings any more: every pull and readings request that met one
      // answered 500. They move here unchanged, with the limit they pass (docs/sync-protocol.md).
      // No ON DELETE CASCADE: account deletion empties this table by name, and fails loudly if it
      // ever stops doing so. The move uses today's limits and body format (server/sync/quarantine.ts).
      await db.schema
        .createTable('quarantined_records')
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('record_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('t', 'bigint')
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('body_hash', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('quarantined_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('quarantined_records_pk', ['account_id', 'kind', 'record_id', 'seq'])
        .execute();
      await moveOverLimitChunks(db as Kysely<Database>);
    },
  },
};

/** Chunk rows read at a time by migration 0010; only the start of each body, where its counts are. */
const SCAN_SLICE = 1_000;
/** Base64 characters of a body read first: 384 bytes, enough for the header of any chunk whose source id is of a sane length. */
const HEAD_CHARS = 512;

async function moveOverLimitChunks(db: Kysely<Database>): Promise<void> {
  const now = new Date().toISOString();
  let after = { accountId: '', recordId: '' };
  for (;;) {
    const rows = await db
      .selectFrom('sync_records')
      .select(['account_id', 'record_id', sql<string>`substr(body, 1, ${sql.lit(HEAD_CHARS)})`.as('head')])
      .where('kind', '=', 'chunk')
      .where((eb) =>
        eb.or([
          eb('account_id', '>', after.accountId),
          eb.and([eb('account_id', '=', after.accountId), eb('record_id', '>', after.recordId)]),
        ]),
      )
      .orderBy('account_id')
      .orderBy('record_id')
      .limit(SCAN_SLICE)
      .execute();
    for (const row of rows) {
      const reason = overLimitReason(await storedCounts(db, row));
      if (reason === null) continue;
      await moveToQuarantine(db, { accountId: row.account_id, kind: 'chunk', recordId: row.record_id }, reason, now);
    }
    const last = rows[rows.length - 1];
    if (!last || rows.length < SCAN_SLICE) return;
    after = { accountId: last.account_id, recordId: last.record_id };
  }
}

/** A chunk's counts from the start of its body, or from the whole body when its header is longer. */
async function storedCounts(db: Kysely<Database>, row: { account_id: string; record_id: string; head: string }) {
  try {
    return chunkBodyCounts(row.head);
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
  }
  const { body } = await db
    .selectFrom('sync_records')
    .select('body')
    .where('account_id', '=', row.account_id)
    .where('kind', '=', 'chunk')
    .where('record_id', '=', row.record_id)
    .executeTakeFirstOrThrow();
  try {
    return chunkBodyCounts(body);
  } catch (error) {
    // Not a count the codec refuses: the body is unreadable some other way, which this step does not judge.
    if (error instanceof DecodeError) return { samples: 0, intervals: 0 };
    throw error;
  }
}
