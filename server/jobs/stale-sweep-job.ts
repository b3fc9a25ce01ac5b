import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { claimStaleDevices } from '../push/stale-sync';
import { enqueueFanOut } from './fan-out-job';
import type { JobQueue } from './queue';

/**
 * The `stale-sweep` job: a `sync` push to every subscribed device unseen for `staleHours`, at
 * most once per such period. Devices are claimed before the push is queued, so overlapping
 * sweeps push each device once; the push itself goes out as fan-out slices.
 */
export async function runStaleSweep(db: Kysely<Database>, queue: Pick<JobQueue, 'sendMany'>, staleHours: number): Promise<void> {
  const deviceIds = await claimStaleDevices(db, staleHours);
  if (deviceIds.length > 0) await enqueueFanOut(queue, deviceIds, 'sync');
}
