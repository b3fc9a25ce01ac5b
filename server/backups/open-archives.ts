import type { Config } from '../config';
import type { OpenDatabase } from '../db/open';
import type { ArchiveStore } from './archive-store';
import { DiskArchives } from './disk-archives';
import { PostgresArchives } from './postgres-archives';

/** The archive store for the database in use: Postgres keeps the bytes with the rows, SQLite in DATA_DIR. */
export function openArchiveStore(database: OpenDatabase, config: Pick<Config, 'dataDir' | 'databaseUrl' | 'databaseSchema'>): ArchiveStore {
  if (database.dialect === 'postgres' && config.databaseUrl) {
    return new PostgresArchives(database.db, { url: config.databaseUrl, schema: config.databaseSchema });
  }
  return new DiskArchives(config.dataDir, database.db);
}
