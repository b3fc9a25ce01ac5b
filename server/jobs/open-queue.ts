import type { Config } from '../config';
import type { OpenDatabase } from '../db/open';
import { jobsSchemaFor, openPgBossQueue } from './pg-boss-queue';
import type { JobLog, JobQueue } from './queue';
import { openSqliteQueue } from './sqlite-queue';

/**
 * The job queue for the configured database: pg-boss in its own schema beside the app's on
 * Postgres, the `jobs` table on SQLite. Nothing runs until `work()`; a process that only sends
 * jobs (the CLI, a test counting them) opens it too.
 */
export function openJobQueue(
  config: Pick<Config, 'databaseUrl' | 'databaseSchema' | 'jobs'>,
  database: OpenDatabase,
  log: JobLog,
): Promise<JobQueue> {
  if (config.databaseUrl)
    return openPgBossQueue({ url: config.databaseUrl, schema: jobsSchemaFor(config.databaseSchema), timing: config.jobs, log });
  return Promise.resolve(openSqliteQueue({ db: database.db, timing: config.jobs, log }));
}
