import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrations } from '../../server/db/migrations';
import type { Database } from '../../server/db/schema';
import { postgresEnv } from './server';

/**
 * The database a test server on `dataDir` would use (SQLite, or Postgres under
 * STEADY_TEST_DB=postgres), migrated only up to `last`: as a release before this one left it.
 */
export async function openDatabaseAt(dataDir: string, last: string): Promise<Kysely<Database>> {
  const env = postgresEnv(dataDir);
  let db: Kysely<Database>;
  if (env.DATABASE_URL && env.DATABASE_SCHEMA) {
    const setup = new pg.Client({ connectionString: env.DATABASE_URL });
    await setup.connect();
    await setup.query(`create schema "${env.DATABASE_SCHEMA}"`);
    await setup.end();
    const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2, options: `-c search_path=${env.DATABASE_SCHEMA}` });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  } else {
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(path.join(dataDir, 'steady.sqlite')) }) });
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: env.DATABASE_SCHEMA,
  });
  const { error } = await migrator.migrateTo(last);
  if (error) throw error;
  return db;
}
