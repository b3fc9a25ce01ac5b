import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PushTickle, PushTickleType } from '../../src/shared/push-tickle';
import type { Database, PushSubscriptionsTable } from '../db/schema';
import type { PushRetryJob } from '../jobs/queue';
import { PUSH_POLICIES, type PushPolicy } from './policy';
import { DEFAULT_RETRY_POLICY, nextAttempt, type RetryPolicy } from './retry-policy';
import { SendLog } from './send-log';
import type { PushLog, PushSender } from './sender';

/** Which devices a push goes to. Revoked devices and devices without a subscription are never targets. */
export type PushAudience = { deviceIds: readonly string[] } | { accountId: string; exceptDeviceIds?: readonly string[] } | { all: true };

/** Counts for one push to an audience. */
export interface PushReport {
  /** Subscribed devices in the audience. */
  targets: number;
  sent: number;
  failed: number;
  /** Subscriptions deleted: the push service said they are gone, or they had expired. */
  removed: number;
  /** Subscribed under an older VAPID key: the device re-subscribes when it next checks. */
  skipped: number;
  /** Answered 429/5xx or not at all: a push-retry job tries again later. */
  retrying: number;
}

export interface SendOptions {
  /** Count the targets, send nothing. */
  dryRun?: boolean;
  /** Overrides of the type's policy: `urgency: 'high'` is for real alerts only. */
  policy?: Partial<PushPolicy>;
  signal?: AbortSignal;
  /**
   * The push's id when it was chosen before (a fan-out slice): devices already recorded in
   * `push_sends` under it are skipped, so a slice that runs twice sends each device one push.
   */
  tickleId?: string;
}

/** Where a push that should be tried again goes: the job queue, as a `push-retry` job. */
export interface PushRetryScheduler {
  schedule(job: PushRetryJob, delayMs: number): Promise<void>;
}

export interface PushServiceOptions {
  retries: PushRetryScheduler;
  retryPolicy?: RetryPolicy;
  now?: () => number;
}

type TargetRow = Pick<PushSubscriptionsTable, 'device_id' | 'account_id' | 'endpoint' | 'p256dh' | 'auth' | 'expiration_time' | 'key_id'>;

/** One attempt's outcome as `push_sends` records it, and the retry to schedule, if any. */
interface Outcome {
  status: 'sent' | 'failed' | 'removed' | 'retrying';
  httpStatus: number | null;
  error: string | null;
  retryInMs: number | null;
  /** False when no request went out (the endpoint is no longer allowed). */
  attempted?: boolean;
}

/** Pushes tickles to devices' subscriptions and records each outcome in `push_sends`. */
export class PushService {
  readonly #retries: PushRetryScheduler;
  readonly #retryPolicy: RetryPolicy;
  readonly #now: () => number;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly sender: PushSender,
    private readonly keyId: string,
    private readonly log: PushLog,
    options: PushServiceOptions,
  ) {
    this.#retries = options.retries;
    this.#retryPolicy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    this.#now = options.now ?? Date.now;
  }

  /** The subscribed devices an audience reaches, in device id order. */
  async targetDeviceIds(audience: PushAudience): Promise<string[]> {
    return (await this.#targets(audience)).map((t) => t.device_id);
  }

  /**
   * One attempt to each subscribed device of the audience, now; what the push service asks to
   * have again later becomes a `push-retry` job. Every device gets one `push_sends` row.
   */
  async send(audience: PushAudience, type: PushTickleType, options: SendOptions = {}): Promise<PushReport> {
    let targets = await this.#targets(audience);
    if (options.tickleId) targets = await this.#notYetSent(targets, options.tickleId);
    const report: PushReport = { targets: targets.length, sent: 0, failed: 0, removed: 0, skipped: 0, retrying: 0 };
    if (options.dryRun) {
      report.skipped = targets.filter((t) => t.key_id !== this.keyId).length;
      return report;
    }
    const policy = { ...PUSH_POLICIES[type], ...options.policy };
    // One id for this push: each device deduplicates redeliveries by it.
    const tickle = { type, id: options.tickleId ?? randomUUID() };
    const deadline = this.#now() + policy.ttlSeconds * 1000;
    const sendLog = new SendLog(this.db, (error) => this.log.error({ err: error }, 'could not record push outcomes'));
    const retries: Array<{ job: PushRetryJob; delayMs: number }> = [];
    const deliveries = Promise.all(
      targets.map(async (target) => {
        const createdAt = new Date(this.#now()).toISOString();
        const sendId = randomUUID();
        let outcome: Outcome;
        let status: Outcome['status'] | 'skipped';
        let attempts = 0;
        if (target.key_id !== this.keyId) {
          status = 'skipped';
          outcome = {
            status: 'failed',
            httpStatus: null,
            error: `subscribed under VAPID key ${target.key_id}; current is ${this.keyId}`,
            retryInMs: null,
          };
        } else if (target.expiration_time !== null && target.expiration_time <= this.#now()) {
          status = 'removed';
          outcome = { status: 'removed', httpStatus: null, error: 'subscription expired', retryInMs: null };
        } else {
          outcome = await this.#attempt(target, tickle, policy, deadline, 1, options.signal);
          attempts = outcome.attempted === false ? 0 : 1;
          status = outcome.status;
        }
        if (status === 'removed') await this.#forget(target.device_id, target.endpoint);
        if (outcome.retryInMs !== null) {
          retries.push({
            job: {
              sendId,
              deviceId: target.device_id,
              endpoint: target.endpoint,
              type,
              tickleId: tickle.id,
              attempts,
              deadline,
              ...(options.policy ? { policy: options.policy } : {}),
            },
            delayMs: outcome.retryInMs,
          });
        }
        report[status]++;
        sendLog.add({
          id: sendId,
          account_id: target.account_id,
          device_id: target.device_id,
          type,
          status,
          http_status: outcome.httpStatus,
          attempts,
          error: outcome.error,
          created_at: createdAt,
          finished_at: new Date(this.#now()).toISOString(),
          tickle_id: tickle.id,
        });
      }),
    );
    try {
      await deliveries;
    } finally {
      // Outcomes reached before an abort are recorded too; retries only once their row exists.
      await sendLog.flush();
      await this.#scheduleRetries(retries);
    }
    if (report.targets > 0) this.log.info({ type, ...report }, 'push sent');
    return report;
  }

  /** A `push-retry` job: the next attempt at one push, recorded on its `push_sends` row. */
  async retry(job: PushRetryJob, signal?: AbortSignal): Promise<void> {
    const target = await this.#targets({ deviceIds: [job.deviceId] }).then((rows) => rows[0]);
    let outcome: Outcome;
    let attempts = job.attempts;
    if (!target || target.endpoint !== job.endpoint || target.key_id !== this.keyId) {
      outcome = { status: 'failed', httpStatus: null, error: 'the subscription was removed or replaced before the retry', retryInMs: null };
    } else {
      const policy = { ...PUSH_POLICIES[job.type], ...job.policy };
      outcome = await this.#attempt(target, { type: job.type, id: job.tickleId }, policy, job.deadline, attempts + 1, signal);
      if (outcome.attempted !== false) attempts++;
      if (outcome.status === 'removed') await this.#forget(target.device_id, target.endpoint);
    }
    await this.db
      .updateTable('push_sends')
      .set({
        status: outcome.status,
        http_status: outcome.httpStatus,
        attempts,
        error: outcome.error,
        finished_at: new Date(this.#now()).toISOString(),
      })
      .where('id', '=', job.sendId)
      .execute();
    if (outcome.retryInMs !== null) await this.#scheduleRetries([{ job: { ...job, attempts }, delayMs: outcome.retryInMs }]);
  }

  async #attempt(
    target: TargetRow,
    tickle: PushTickle,
    policy: PushPolicy,
    deadline: number,
    attempts: number,
    signal: AbortSignal | undefined,
  ): Promise<Outcome> {
    const result = await this.sender.deliver(
      { deviceId: target.device_id, endpoint: target.endpoint, p256dh: target.p256dh, auth: target.auth },
      tickle,
      policy,
      deadline,
      signal,
    );
    switch (result.status) {
      case 'sent':
      case 'failed':
        return {
          status: result.status,
          httpStatus: result.httpStatus,
          error: result.error,
          retryInMs: null,
          attempted: !result.notAttempted,
        };
      case 'gone':
        return { status: 'removed', httpStatus: result.httpStatus, error: result.error, retryInMs: null };
      case 'retry': {
        const next = nextAttempt(attempts, result.afterMs, this.#now(), deadline, this.#retryPolicy);
        if (!next.retry)
          return { status: 'failed', httpStatus: result.httpStatus, error: `${next.reason}; last: ${result.error}`, retryInMs: null };
        return { status: 'retrying', httpStatus: result.httpStatus, error: result.error, retryInMs: next.delayMs };
      }
    }
  }

  async #scheduleRetries(retries: Array<{ job: PushRetryJob; delayMs: number }>): Promise<void> {
    for (const { job, delayMs } of retries) {
      try {
        await this.#retries.schedule(job, delayMs);
      } catch (error) {
        // Not queued: say so on the row rather than leave it `retrying` for ever.
        this.log.error({ err: error, deviceId: job.deviceId }, 'could not schedule a push retry');
        await this.db
          .updateTable('push_sends')
          .set({ status: 'failed', error: `retry not scheduled: ${(error as Error).message}` })
          .where('id', '=', job.sendId)
          .execute()
          .catch(() => undefined);
      }
    }
  }

  /** Targets without a `push_sends` row for this tickle yet. */
  async #notYetSent(targets: TargetRow[], tickleId: string): Promise<TargetRow[]> {
    if (targets.length === 0) return targets;
    const done = new Set<string>();
    // In slices: SQLite caps the variables in one statement.
    for (let i = 0; i < targets.length; i += 500) {
      const rows = await this.db
        .selectFrom('push_sends')
        .select('device_id')
        .where('tickle_id', '=', tickleId)
        .where(
          'device_id',
          'in',
          targets.slice(i, i + 500).map((t) => t.device_id),
        )
        .execute();
      for (const row of rows) done.add(row.device_id);
    }
    return targets.filter((t) => !done.has(t.device_id));
  }

  async #targets(audience: PushAudience): Promise<TargetRow[]> {
    // In slices: SQLite caps the variables in one statement.
    if ('deviceIds' in audience && audience.deviceIds.length > 500) {
      const slices: TargetRow[][] = [];
      for (let i = 0; i < audience.deviceIds.length; i += 500)
        slices.push(await this.#targets({ deviceIds: audience.deviceIds.slice(i, i + 500) }));
      return slices.flat();
    }
    let query = this.db
      .selectFrom('push_subscriptions as s')
      .innerJoin('devices as d', 'd.id', 's.device_id')
      .select(['s.device_id', 's.account_id', 's.endpoint', 's.p256dh', 's.auth', 's.expiration_time', 's.key_id'])
      .where('d.revoked_at', 'is', null);
    if ('deviceIds' in audience) {
      if (audience.deviceIds.length === 0) return [];
      query = query.where('s.device_id', 'in', audience.deviceIds);
    } else if ('accountId' in audience) {
      query = query.where('s.account_id', '=', audience.accountId);
      if (audience.exceptDeviceIds?.length) query = query.where('s.device_id', 'not in', audience.exceptDeviceIds);
    }
    return query.orderBy('s.device_id').execute();
  }

  /** Deletes a subscription, unless the device has replaced it meanwhile. */
  async #forget(deviceId: string, endpoint: string): Promise<void> {
    await this.db.deleteFrom('push_subscriptions').where('device_id', '=', deviceId).where('endpoint', '=', endpoint).execute();
  }
}
