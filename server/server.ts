import type { FastifyInstance } from 'fastify';
import { buildApp, type LoggerOptions } from './app';
import type { CleanupResult } from './backups/cleanup';
import type { Config } from './config';
import { openDatabase } from './db/open';
import { jobHandlers } from './jobs/handlers';
import { openJobQueue } from './jobs/open-queue';
import type { JobQueue } from './jobs/queue';
import { createPush, type PushRuntime } from './push/runtime';

/** A running server and how to stop it cleanly. */
export interface RunningServer {
  app: FastifyInstance;
  /** e.g. `http://127.0.0.1:8080` */
  url: string;
  /** The job queue this instance works (tests count its runs and wait for it to be idle). */
  jobs: JobQueue;
  close(): Promise<void>;
}

/** Opens the database and the job queue, builds the app and listens. Used by `server/index.ts` and by tests (which may pass a clock). */
export async function startServer(
  config: Config,
  logger?: boolean | LoggerOptions,
  options: { now?: () => Date } = {},
): Promise<RunningServer> {
  const database = await openDatabase(config);
  // The queue logs through the app's logger, which exists only once the app is built.
  let log: FastifyInstance['log'] | undefined;
  const jobLog = {
    info: (details: object, message: string) => log?.info({ module: 'jobs', ...details }, message),
    error: (details: object, message: string) => log?.error({ module: 'jobs', ...details }, message),
  };
  // pg-boss creating its queues while another instance does can deadlock: one instance at a time.
  const jobs = await database
    .setUpAlone(() => openJobQueue(config, database, jobLog))
    .catch(async (error: unknown) => {
      await database.close();
      throw error;
    });
  // Push needs the app's logger, so the sync routes reach its triggers through a late-bound hook.
  let push: PushRuntime | undefined;
  let backupCleanup: (() => Promise<CleanupResult>) | undefined;
  const hooks = {
    onDataUploaded: async (accountId: string, deviceId: string) => push?.triggers.onDataUploaded(accountId, deviceId),
    onBackupCleanup: (cleanUp: () => Promise<CleanupResult>) => {
      backupCleanup = cleanUp;
    },
  };
  // A start that fails after the database is open (no index.html, port taken) must close it again.
  const app = await buildApp({ config, database, jobs, logger, hooks, now: options.now }).catch(async (error: unknown) => {
    await jobs.close();
    await database.close();
    throw error;
  });
  log = app.log;
  app.addHook('onClose', async () => database.close());
  // preClose: before the database closes, stop taking jobs and let those in flight finish (bounded),
  // then close push connections. Jobs left unfinished run again on another instance.
  app.addHook('preClose', async () => {
    await jobs.close();
    push?.close();
  });
  await app.listen({ port: config.port, host: config.host }).catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  // Once listening, so a start that failed leaves no VAPID key file behind.
  try {
    push = createPush({ config, db: database.db, log: app.log.child({ module: 'push' }), queue: jobs });
    const handlers = jobHandlers({
      db: database.db,
      queue: jobs,
      push: push.service,
      staleSyncHours: config.push.staleSyncHours,
      backupCleanup: () => backupCleanup,
      log: jobLog,
    });
    await jobs.work(handlers);
    jobs.every('stale-sweep', config.push.staleCheckIntervalMs);
    jobs.every('backup-expiry', config.backupCleanupIntervalMs);
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
  return { app, url: `http://${host}:${port}`, jobs, close: () => app.close() };
}
