import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PushTickleType } from '../../src/shared/push-tickle';
import type { Database, PushSubscriptionsTable } from '../db/schema';
import { PUSH_POLICIES, type PushPolicy } from './policy';
import { SendLog } from './send-log';
import type { DeliveryResult, PushLog, PushSender } from './sender';

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
}

export interface SendOptions {
  /** Count the targets, send nothing. */
  dryRun?: boolean;
  /** Overrides of the type's policy: `urgency: 'high'` is for real alerts only. */
  policy?: Partial<PushPolicy>;
  signal?: AbortSignal;
}

type TargetRow = Pick<PushSubscriptionsTable, 'device_id' | 'account_id' | 'endpoint' | 'p256dh' | 'auth' | 'expiration_time' | 'key_id'>;

/** Pushes tickles to devices' subscriptions and records each outcome in `push_sends`. */
export class PushService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly sender: PushSender,
    private readonly keyId: string,
    private readonly log: PushLog,
    private readonly now: () => number = Date.now,
  ) {}

  async send(audience: PushAudience, type: PushTickleType, options: SendOptions = {}): Promise<PushReport> {
    const targets = await this.#targets(audience);
    const report: PushReport = { targets: targets.length, sent: 0, failed: 0, removed: 0, skipped: 0 };
    if (options.dryRun) {
      report.skipped = targets.filter((t) => t.key_id !== this.keyId).length;
      return report;
    }
    const policy = { ...PUSH_POLICIES[type], ...options.policy };
    // One id for this push: each device deduplicates redeliveries by it.
    const tickle = { type, id: randomUUID() };
    const sendLog = new SendLog(this.db, (error) => this.log.error({ err: error }, 'could not record push outcomes'));
    const deliveries = Promise.all(
      targets.map(async (target) => {
        const createdAt = new Date(this.now()).toISOString();
        let result: DeliveryResult;
        let status: 'sent' | 'failed' | 'removed' | 'skipped';
        if (target.key_id !== this.keyId) {
          status = 'skipped';
          result = {
            status: 'failed',
            httpStatus: null,
            attempts: 0,
            error: `subscribed under VAPID key ${target.key_id}; current is ${this.keyId}`,
          };
        } else if (target.expiration_time !== null && target.expiration_time <= this.now()) {
          status = 'removed';
          result = { status: 'gone', httpStatus: null, attempts: 0, error: 'subscription expired' };
        } else {
          result = await this.sender.deliver(
            { deviceId: target.device_id, endpoint: target.endpoint, p256dh: target.p256dh, auth: target.auth },
            tickle,
            policy,
            options.signal,
          );
          status = result.status === 'gone' ? 'removed' : result.status;
        }
        if (status === 'removed') await this.#forget(target.device_id, target.endpoint);
        report[status]++;
        sendLog.add({
          id: randomUUID(),
          account_id: target.account_id,
          device_id: target.device_id,
          type,
          status,
          http_status: result.httpStatus,
          attempts: result.attempts,
          error: result.error,
          created_at: createdAt,
          finished_at: new Date(this.now()).toISOString(),
        });
      }),
    );
    try {
      await deliveries;
    } finally {
      // Outcomes reached before an abort are recorded too.
      await sendLog.flush();
    }
    if (report.targets > 0) this.log.info({ type, ...report }, 'push sent');
    return report;
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
