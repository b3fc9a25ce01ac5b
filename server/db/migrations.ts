import type { Kysely, Migration } from 'kysely';

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
};
