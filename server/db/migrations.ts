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
};
