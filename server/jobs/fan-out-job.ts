import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PushTickleType } from '../../src/shared/push-tickle';
import type { Database } from '../db/schema';
import type { PushAudience, PushReport, PushService } from '../push/service';
import type { FanOutJob, JobQueue } from './queue';

/**
 * Devices per `fan-out` job. Small enough that a slice finishes well within the job's expiry
 * even when its push service is slow (32 requests in flight, each with its own deadline), large
 * enough that 100,000 devices are 500 jobs.
 */
export const FAN_OUT_SLICE = 200;

/**
 * Queues one push to many devices as slices, so that every instance working the queue shares a
 * big fan-out. One tickle id for all: a slice that runs twice skips devices it reached already.
 */
export async function enqueueFanOut(
  queue: Pick<JobQueue, 'sendMany'>,
  deviceIds: readonly string[],
  type: PushTickleType,
): Promise<{ tickleId: string; slices: number }> {
  const tickleId = randomUUID();
  const slices: FanOutJob[] = [];
  for (let i = 0; i < deviceIds.length; i += FAN_OUT_SLICE)
    slices.push({ type, tickleId, deviceIds: deviceIds.slice(i, i + FAN_OUT_SLICE) });
  await queue.sendMany('fan-out', slices);
  return { tickleId, slices: slices.length };
}

/** The `fan-out` job: one slice, sent now; 429/5xx answers become push-retry jobs. */
export async function runFanOutSlice(
  push: Pick<PushService, 'send'>,
  { type, tickleId, deviceIds }: FanOutJob,
  signal?: AbortSignal,
): Promise<void> {
  await push.send({ deviceIds }, type, { tickleId, signal });
}

/** A push queued as fan-out slices: its tickle id and how many devices it targets. */
export interface QueuedPush {
  tickleId: string;
  targets: number;
}

/** Queues a push to every subscribed device of an audience (fan-out slices). */
export async function fanOut(
  push: Pick<PushService, 'targetDeviceIds'>,
  queue: Pick<JobQueue, 'sendMany'>,
  audience: PushAudience,
  type: PushTickleType,
): Promise<QueuedPush> {
  const deviceIds = await push.targetDeviceIds(audience);
  const { tickleId } = await enqueueFanOut(queue, deviceIds, type);
  return { tickleId, targets: deviceIds.length };
}

/**
 * Waits until every target of a queued push has its outcome recorded (or `timeoutMs` passes, for
 * a device that unsubscribed meanwhile and so never gets a row), and reports them.
 */
export async function waitForFanOut(db: Kysely<Database>, queued: QueuedPush, timeoutMs: number, pollMs = 100): Promise<PushReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { recorded, ...report } = await fanOutReport(db, queued.tickleId);
    if (recorded >= queued.targets || Date.now() >= deadline) return { targets: queued.targets, ...report };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** How a fanned-out push went so far, from its `push_sends` rows. */
export async function fanOutReport(db: Kysely<Database>, tickleId: string): Promise<Omit<PushReport, 'targets'> & { recorded: number }> {
  const rows = await db
    .selectFrom('push_sends')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('tickle_id', '=', tickleId)
    .groupBy('status')
    .execute();
  const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  const report = {
    sent: count('sent'),
    failed: count('failed'),
    removed: count('removed'),
    skipped: count('skipped'),
    retrying: count('retrying'),
  };
  return { ...report, recorded: rows.reduce((sum, r) => sum + Number(r.n), 0) };
}
