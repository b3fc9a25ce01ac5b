import { type Kysely, type Migration, sql } from 'kysely';

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
};
