import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { backoffDelay } from '../../src/shared/backoff';
import type { Database, JobsTable } from '../db/schema';
import {
  emptyRunCounts,
  JOB_NAMES,
  type JobHandlers,
  type JobLog,
  type JobName,
  type JobQueue,
  type JobTiming,
  type SendJobOptions,
} from './queue';
import { RunningJobs } from './running-jobs';

export interface SqliteQueueOptions {
  db: Kysely<Database>;
  timing: JobTiming;
  log: JobLog;
  now?: () => number;
}

/** Handlers running at once in the process. */
const CONCURRENCY = 8;
/** Runs of a job that keeps throwing before it is given up (logged and deleted). */
const MAX_ATTEMPTS = 5;

/**
 * The job queue on SQLite: the `jobs` table, polled by the process that owns the database file.
 * Claiming is one UPDATE … RETURNING, so another process on the same file (the CLI) never takes
 * the same job. A running job holds a lease (`locked_until`) that its process renews on every
 * poll; a job whose lease ran out (its process died) is taken again. Finished jobs are deleted.
 */
export function openSqliteQueue({ db, timing, log, now = Date.now }: SqliteQueueOptions): JobQueue {
  const runs = emptyRunCounts();
  const running = new Map<string, Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let names: readonly JobName[] = [];
  let handlers: Partial<JobHandlers> = {};
  let poller: NodeJS.Timeout | null = null;
  let polling = false;
  let closing = false;
  let closed: Promise<void> | null = null;
  const leaseMs = timing.expireSeconds * 1000;
  const limits = new RunningJobs(timing.expireSeconds);

  const insert = async (name: JobName, data: unknown, { delayMs = 0, key }: SendJobOptions = {}) => {
    const rows = await db
      .insertInto('jobs')
      .values({
        id: randomUUID(),
        name,
        data: JSON.stringify(data),
        key: key ?? null,
        state: 'waiting',
        run_at: now() + Math.max(0, delayMs),
        attempts: 0,
        locked_until: null,
        created_at: new Date(now()).toISOString(),
      })
      // The partial unique index (name, key) WHERE state = 'waiting' does the coalescing.
      .onConflict((oc) => oc.columns(['name', 'key']).where(sql<boolean>`state = 'waiting'`).doNothing())
      .returning('id')
      .execute();
    if (rows.length > 0 && delayMs <= 0) wake();
    return rows.length > 0;
  };

  /** Takes one due job (or one whose lease ran out), atomically. */
  const claim = async (): Promise<JobsTable | undefined> => {
    const at = now();
    return db
      .updateTable('jobs')
      .set({ state: 'running', locked_until: at + leaseMs, attempts: sql<number>`attempts + 1` })
      .where('id', '=', (eb) =>
        eb
          .selectFrom('jobs')
          .select('id')
          .where('name', 'in', names)
          .where((w) =>
            w.or([
              w.and([w('state', '=', 'waiting'), w('run_at', '<=', at)]),
              w.and([w('state', '=', 'running'), w('locked_until', '<', at)]),
            ]),
          )
          .orderBy('run_at')
          .limit(1),
      )
      .returningAll()
      .executeTakeFirst();
  };

  const finish = async (job: JobsTable, error: unknown) => {
    const name = job.name as JobName;
    if (error === undefined) {
      runs[name].done++;
      await db.deleteFrom('jobs').where('id', '=', job.id).execute();
      return;
    }
    runs[name].failed++;
    if (job.attempts >= MAX_ATTEMPTS) {
      log.error({ err: error, job: name, id: job.id, attempts: job.attempts }, 'job failed for the last time; dropped');
      await db.deleteFrom('jobs').where('id', '=', job.id).execute();
      return;
    }
    log.error({ err: error, job: name, id: job.id, attempts: job.attempts }, 'job failed; it runs again later');
    const retry = { state: 'waiting' as const, locked_until: null, run_at: now() + backoffDelay(job.attempts - 1, 2000, 60_000) };
    try {
      await db.updateTable('jobs').set(retry).where('id', '=', job.id).execute();
    } catch {
      // A job with this key is waiting already (unique index): it does the same work.
      await db.deleteFrom('jobs').where('id', '=', job.id).execute();
    }
  };

  const start = (job: JobsTable) => {
    const handler = handlers[job.name as JobName] as ((data: unknown, signal: AbortSignal) => Promise<void>) | undefined;
    if (!handler) throw new Error(`no handler for job ${job.name}`);
    const work = (async () => {
      let failure: unknown;
      try {
        // Taken again after its lease ran out more often than it may fail: it kills its process.
        if (job.attempts > MAX_ATTEMPTS) throw new Error(`started ${job.attempts} times without finishing`);
        await limits.run((signal) => handler(JSON.parse(job.data), signal));
      } catch (error) {
        failure = error ?? new Error('job threw nothing');
      }
      await finish(job, failure).catch((error: unknown) => log.error({ err: error, job: job.name }, 'could not record a job’s end'));
    })().finally(() => {
      running.delete(job.id);
      wake();
    });
    running.set(job.id, work);
  };

  const poll = async () => {
    if (polling || closing || names.length === 0) return;
    polling = true;
    try {
      // Renew the leases of what this process runs, so a long job is not taken for a lost one.
      if (running.size > 0)
        await db
          .updateTable('jobs')
          .set({ locked_until: now() + leaseMs })
          .where('id', 'in', [...running.keys()])
          .execute();
      while (!closing && running.size < CONCURRENCY) {
        const job = await claim();
        if (!job) break;
        start(job);
      }
    } catch (error) {
      log.error({ err: error }, 'job queue poll failed');
    } finally {
      polling = false;
    }
  };

  function wake() {
    if (!closing && names.length > 0) setImmediate(() => void poll());
  }

  return {
    engine: 'sqlite',
    runs,
    send: (name, data, options) => insert(name, data, options),
    async sendMany(name, items) {
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < items.length; i += 100) {
          await trx
            .insertInto('jobs')
            .values(
              items.slice(i, i + 100).map((data) => ({
                id: randomUUID(),
                name,
                data: JSON.stringify(data),
                key: null,
                state: 'waiting' as const,
                run_at: now(),
                attempts: 0,
                locked_until: null,
                created_at: new Date(now()).toISOString(),
              })),
            )
            .execute();
        }
      });
      wake();
    },
    async work(given, only = JOB_NAMES) {
      handlers = { ...handlers, ...Object.fromEntries(only.map((name) => [name, given[name]])) };
      names = Object.keys(handlers) as JobName[];
      if (!poller) {
        // Not unref'd: a process working the queue keeps running until close(), as with pg-boss.
        poller = setInterval(() => void poll(), timing.pollMs);
      }
      wake();
    },
    every(name, periodMs) {
      const timer = setInterval(() => {
        insert(name, {}, { key: name }).catch((error: unknown) => {
          if (!closing) log.error({ err: error, job: name }, 'could not schedule a periodic job');
        });
      }, periodMs);
      timer.unref();
      timers.add(timer);
    },
    async ping() {
      await db.selectFrom('jobs').select('id').limit(1).execute();
    },
    async pending() {
      const row = await db
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    close() {
      closed ??= (async () => {
        closing = true;
        if (poller) clearInterval(poller);
        for (const timer of timers) clearInterval(timer);
        const deadline = new Promise((resolve) => setTimeout(resolve, timing.closeTimeoutMs).unref());
        await Promise.race([Promise.allSettled([...running.values()]), deadline]);
        // Still running: stop them and let go of them, so the next start takes them at once.
        limits.abortAll();
        if (running.size > 0) {
          log.error({ jobs: running.size }, 'jobs still running at close; released to run again');
          await db
            .updateTable('jobs')
            .set({ state: 'waiting', locked_until: null })
            .where('id', 'in', [...running.keys()])
            .execute()
            .catch(() => undefined);
        }
      })();
      return closed;
    },
  };
}
