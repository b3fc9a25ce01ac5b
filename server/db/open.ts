import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations';
import type { Database } from './schema';

/** An open database, migrated to the latest schema. */
export interface OpenDatabase {
  db: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
  /** Cheap round trip used by `/api/health`. */
  ping(): Promise<void>;
  /**
   * Runs set-up work (the job queue's tables and queues) while no other instance starting on
   * the same database runs its own: on Postgres under the lock migrations take; SQLite belongs
   * to one process.
   */
  setUpAlone<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Opens `DATA_DIR/steady.sqlite` (WAL, foreign keys on) and runs pending migrations. */
export async function openSqlite(dataDir: string): Promise<OpenDatabase> {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = new SQLite(path.join(dataDir, 'steady.sqlite'));
  // WAL lets readers run beside the writer; NORMAL sync is durable across process crashes
  // in WAL mode (https://www.sqlite.org/pragma.html#pragma_synchronous).
  file.pragma('journal_mode = WAL');
  file.pragma('synchronous = NORMAL');
  file.pragma('foreign_keys = ON');
  file.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) });
  await migrate(db);
  return {
    db,
    dialect: 'sqlite',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    setUpAlone: (work) => work(),
    close: () => db.destroy(),
  };
}

/**
 * Opens a Postgres database (`DATABASE_URL`), optionally inside one schema (tests use a fresh
 * schema each), and runs pending migrations. The queries are the same Kysely queries as SQLite's.
 */
export async function openPostgres(url: string, options: { schema?: string } = {}): Promise<OpenDatabase> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    // bigint (int8) columns hold sequence numbers and epoch ms, all below 2^53: read them as numbers.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === 20 ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // pg emits 'error' on the pool when an idle connection drops (Postgres restarted, network cut)
  // and removes that client itself; unheard, the event would end the process. The next query
  // connects again, and its own failure reaches the request that made it (and /api/health).
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await withMigrationLock(url, options.schema, async (setup) => {
      if (options.schema) await setup.query(`create schema if not exists "${options.schema.replace(/"/g, '')}"`);
      await migrate(db, options.schema);
    });
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    db,
    dialect: 'postgres',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    setUpAlone: (work) => withMigrationLock(url, options.schema, () => work()),
    close: () => db.destroy(),
  };
}

/**
 * Runs `work` holding a Postgres advisory lock named for the schema, taken on a connection of
 * its own, so that instances started together set the schema up one at a time: the first
 * migrates, the others wait and then find nothing to do. Kysely's migrator locks only around
 * the migrations themselves; creating the schema and its bookkeeping tables beforehand races
 * (`create … if not exists` is not atomic in Postgres: two at once can fail on a unique index).
 * The lock is per session, so an instance killed while holding it frees it as its connection drops.
 * https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
 */
async function withMigrationLock<T>(url: string, schema: string | undefined, work: (setup: pg.Client) => Promise<T>): Promise<T> {
  const setup = new pg.Client({ connectionString: url });
  // An error on this idle client (the server went away) surfaces through the query awaiting it.
  setup.on('error', () => undefined);
  await setup.connect();
  try {
    await setup.query('select pg_advisory_lock($1::bigint)', [migrationLockKey(schema)]);
    return await work(setup);
  } finally {
    // Ending the session releases its advisory locks.
    await setup.end();
  }
}

/** A 64-bit advisory lock key for migrating one schema (advisory keys are per database, so the schema is part of the name). */
function migrationLockKey(schema: string | undefined): string {
  return createHash('sha256')
    .update(`steady:migrations:${schema ?? ''}`)
    .digest()
    .readBigInt64BE(0)
    .toString();
}

/** The database the configuration names: Postgres when `DATABASE_URL` is set, else SQLite in `DATA_DIR`. */
export function openDatabase(config: { dataDir: string; databaseUrl: string | null; databaseSchema?: string }): Promise<OpenDatabase> {
  return config.databaseUrl ? openPostgres(config.databaseUrl, { schema: config.databaseSchema }) : openSqlite(config.dataDir);
}

async function migrate(db: Kysely<Database>, schema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableSchema: schema });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed`, { cause: error });
  }
}
