import type { PushTickleType } from '../../src/shared/push-tickle';
import type { PushPolicy } from '../push/policy';

/** A `refresh` push to an account's devices once its burst of uploads is over (refresh-job.ts). */
export interface RefreshJob {
  accountId: string;
}

/** One slice of a push to many devices (fan-out-job.ts): the same tickle to each of `deviceIds`. */
export interface FanOutJob {
  type: PushTickleType;
  tickleId: string;
  deviceIds: string[];
}

/** Another attempt at one push the push service answered 429/5xx (or did not answer), push-retry-job.ts. */
export interface PushRetryJob {
  /** The `push_sends` row that records this push; updated with each attempt. */
  sendId: string;
  deviceId: string;
  /** The endpoint the first attempt went to: a device that re-subscribed since gets no retry of the old push. */
  endpoint: string;
  type: PushTickleType;
  tickleId: string;
  /** Attempts made so far. */
  attempts: number;
  /** Epoch ms when the push's TTL runs out: no attempt after it. */
  deadline: number;
  policy?: Partial<PushPolicy>;
}

/** Every job and its payload; payloads are JSON. */
export interface JobPayloads {
  refresh: RefreshJob;
  'stale-sweep': Record<string, never>;
  'fan-out': FanOutJob;
  'push-retry': PushRetryJob;
  'backup-expiry': Record<string, never>;
}

export type JobName = keyof JobPayloads;

export const JOB_NAMES: readonly JobName[] = ['refresh', 'stale-sweep', 'fan-out', 'push-retry', 'backup-expiry'];

/**
 * What runs each job; shared by both engines. A handler that throws is retried (with backoff, a
 * few times). `signal` aborts when the job's time is up or the queue has closed: stop then.
 */
export type JobHandlers = { [N in JobName]: (data: JobPayloads[N], signal: AbortSignal) => Promise<void> };

export interface SendJobOptions {
  /** Start no earlier than this many ms from now. */
  delayMs?: number;
  /** While a job of this name and key is waiting to start, another send with the key is dropped. */
  key?: string;
}

/** Runs handled and failed in this process, per job: tests count them. */
export type JobRunCounts = Record<JobName, { done: number; failed: number }>;

/** Timings both engines share (JOB_* in config). */
export interface JobTiming {
  /** How often an idle worker looks for due jobs. */
  pollMs: number;
  /**
   * A job running this long without finishing is taken to be lost with its process (killed) and
   * runs again elsewhere; also the longest a handler may take.
   */
  expireSeconds: number;
  /** How often expired jobs are looked for (pg-boss maintenance). */
  maintenanceSeconds: number;
  /** How long `close()` waits for jobs in flight. */
  closeTimeoutMs: number;
}

/**
 * A durable job queue: on Postgres pg-boss (pg-boss-queue.ts), on SQLite a table polled by this
 * process (sqlite-queue.ts). Jobs outlive the process that sent them; each runs on one instance.
 */
export interface JobQueue {
  readonly engine: 'pg-boss' | 'sqlite';
  /** Enqueues a job; false when a waiting job with the same name and key absorbed it. */
  send<N extends JobName>(name: N, data: JobPayloads[N], options?: SendJobOptions): Promise<boolean>;
  /** Enqueues many jobs of one name in few writes (fan-out slices). */
  sendMany<N extends JobName>(name: N, items: readonly JobPayloads[N][]): Promise<void>;
  /** Starts running jobs `names` (default: all) in this process with these handlers. */
  work(handlers: JobHandlers, names?: readonly JobName[]): Promise<void>;
  /** Sends `name` every `periodMs` from this instance; across instances it still runs about once a period. */
  every(name: 'stale-sweep' | 'backup-expiry', periodMs: number): void;
  /** Throws when the queue's storage does not answer. */
  ping(): Promise<void>;
  /** Jobs waiting, scheduled or running, in every instance (0: the queue is idle). */
  pending(): Promise<number>;
  /** Handler runs in this process, per job. */
  readonly runs: JobRunCounts;
  /** Stops taking jobs, waits up to `closeTimeoutMs` for those in flight, then lets go of the rest. */
  close(): Promise<void>;
}

/** The log the queue writes to; Fastify's (pino) logger fits. */
export interface JobLog {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

export function emptyRunCounts(): JobRunCounts {
  return Object.fromEntries(JOB_NAMES.map((name) => [name, { done: 0, failed: 0 }])) as JobRunCounts;
}
