import PgBoss from 'pg-boss';
import {
  emptyRunCounts,
  JOB_NAMES,
  type JobHandlers,
  type JobLog,
  type JobName,
  type JobPayloads,
  type JobQueue,
  type JobTiming,
  type SendJobOptions,
} from './queue';
import { RunningJobs } from './running-jobs';

export interface PgBossQueueOptions {
  url: string;
  /** The schema pg-boss keeps its tables in (jobsSchemaFor). */
  schema: string;
  timing: JobTiming;
  log: JobLog;
}

/**
 * Jobs fetched at once per job name in one instance, run side by side. pg-boss's worker waits out
 * the rest of its polling interval after a batch that finished early, so the batch is what lets
 * one instance run more than one short job (a refresh) per poll.
 */
const BATCH: Record<JobName, number> = { refresh: 20, 'stale-sweep': 1, 'fan-out': 4, 'push-retry': 20, 'backup-expiry': 1 };

/** Runs of a job that threw before it is given up: the first try and this many retries, with backoff. */
const RETRY_LIMIT = 4;

/** pg-boss polls no more often than this (attorney.js, MIN_POLLING_INTERVAL_MS). */
const MIN_POLL_MS = 500;

/** Longest pg-boss throttle slot: it must not pass the archive interval (attorney.js). */
const ARCHIVE_SECONDS = 3600;

/**
 * pg-boss's schema for an app schema: its own, so that test servers (a fresh app schema each)
 * never share a queue, and an operator can tell the queue's tables from the app's.
 */
export function jobsSchemaFor(appSchema: string | undefined): string {
  return `${(appSchema ?? 'steady').slice(0, 58)}_jobs`;
}

/**
 * The job queue on Postgres: pg-boss 10 (its API: node_modules/pg-boss/types.d.ts; docs/push.md).
 * Each job name is a pg-boss queue; `refresh` uses the `short` policy (one created job per
 * singleton key), which is what coalesces a burst of uploads across instances.
 *
 * Crash safety: a job whose instance died stays `active` until `expireSeconds` after it started;
 * the next maintenance run (every `maintenanceSeconds`, on whichever instance's turn it is) fails
 * it by timeout, which puts it back as `retry`, and any instance's worker fetches it within a
 * poll. So a SIGKILLed instance's job runs again after at most expire + maintenance + poll.
 */
export async function openPgBossQueue({ url, schema, timing, log }: PgBossQueueOptions): Promise<JobQueue> {
  const boss = new PgBoss({
    connectionString: url,
    schema,
    max: 4,
    application_name: 'steady-jobs',
    maintenanceIntervalSeconds: timing.maintenanceSeconds,
    archiveCompletedAfterSeconds: ARCHIVE_SECONDS,
    // Cron schedules have minute granularity; periodic jobs use throttled sends instead (every()).
    schedule: false,
  });
  boss.on('error', (error: Error) => log.error({ err: error }, 'job queue error'));
  await boss.start();
  const queueOptions = {
    expireInSeconds: timing.expireSeconds,
    retryLimit: RETRY_LIMIT,
    retryDelay: 1,
    retryBackoff: true,
    retentionMinutes: 24 * 60,
  };
  for (const name of JOB_NAMES) {
    const options = { ...queueOptions, name, policy: name === 'refresh' ? PgBoss.policies.short : PgBoss.policies.standard };
    // createQueue leaves an existing queue as it is: updateQueue applies changed settings.
    await boss.createQueue(name, options);
    await boss.updateQueue(name, options);
  }

  const runs = emptyRunCounts();
  const timers = new Set<NodeJS.Timeout>();
  let closed: Promise<void> | null = null;

  const running = new RunningJobs(timing.expireSeconds);
  // Each job of a batch is completed or failed on its own; pg-boss's own completion of the
  // batch afterwards touches only jobs still active, which by then are none.
  const run = async <N extends JobName>(handler: JobHandlers[N], name: N, job: PgBoss.Job<JobPayloads[N]>) => {
    try {
      await running.run((signal) => handler(job.data, signal));
      runs[name].done++;
      await boss.complete(name, job.id);
    } catch (error) {
      runs[name].failed++;
      log.error({ err: error, job: name, id: job.id }, 'job failed; pg-boss retries it');
      await boss.fail(name, job.id, { message: (error as Error)?.message ?? String(error) });
    }
  };

  return {
    engine: 'pg-boss',
    runs,
    async send(name, data, options: SendJobOptions = {}) {
      const id = await boss.send(name, data as object, pgBossSendOptions(options));
      return id !== null;
    },
    async sendMany(name, items) {
      // In slices: one INSERT … json_to_recordset per slice keeps each statement a manageable size.
      for (let i = 0; i < items.length; i += 200) {
        await boss.insert(items.slice(i, i + 200).map((data) => ({ name, data: data as object })));
      }
    },
    async work(handlers, names = JOB_NAMES) {
      for (const name of names) {
        const options = { pollingIntervalSeconds: Math.max(MIN_POLL_MS, timing.pollMs) / 1000, batchSize: BATCH[name] };
        await boss.work(name, options, async (jobs) => {
          await Promise.all(
            jobs.map((job) => run(handlers[name] as JobHandlers[typeof name], name, job as PgBoss.Job<JobPayloads[typeof name]>)),
          );
        });
      }
    },
    every(name, periodMs) {
      // One job per slot of `periodMs` across instances: pg-boss's throttle index (name, singleton_on, key).
      const singletonSeconds = Math.min(ARCHIVE_SECONDS, Math.max(1, Math.round(periodMs / 1000)));
      const timer = setInterval(() => {
        boss.send(name, {}, { singletonKey: name, singletonSeconds }).catch((error: unknown) => {
          if (!closed) log.error({ err: error, job: name }, 'could not schedule a periodic job');
        });
      }, periodMs);
      timer.unref();
      timers.add(timer);
    },
    async ping() {
      await boss.getQueue('refresh');
    },
    async pending() {
      let count = 0;
      for (const name of JOB_NAMES) count += await boss.getQueueSize(name, { before: 'completed' });
      return count;
    },
    close() {
      for (const timer of timers) clearInterval(timer);
      // graceful: workers stop fetching, jobs in flight get `timeout` ms; what is still running
      // then is failed back to `retry` (pg-boss failWip) so another instance takes it at once.
      closed ??= boss.stop({ graceful: true, wait: true, timeout: timing.closeTimeoutMs }).finally(() => running.abortAll());
      return closed;
    },
  };
}

function pgBossSendOptions({ delayMs, key }: SendJobOptions): PgBoss.SendOptions {
  return {
    ...(key ? { singletonKey: key } : {}),
    // Seconds, as a Postgres interval on the database's clock (fractions allowed): no clock skew.
    ...(delayMs && delayMs > 0 ? { startAfter: delayMs / 1000 } : {}),
  };
}
