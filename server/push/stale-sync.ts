import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { PushReport, PushService } from './service';

/**
 * Sends a `sync` push to every subscribed device unseen for `staleHours`, at most once per such
 * period: the send is recorded in `push_state` before it goes out, so overlapping runs (two
 * servers, a slow tick) do not double it.
 */
export async function sendStaleSyncs(
  db: Kysely<Database>,
  service: PushService,
  staleHours: number,
  now: number = Date.now(),
  signal?: AbortSignal,
): Promise<PushReport> {
  // ISO-8601 UTC strings sort as times do.
  const cutoff = new Date(now - staleHours * 3600_000).toISOString();
  const stale = await db
    .selectFrom('devices as d')
    .innerJoin('push_subscriptions as s', 's.device_id', 'd.id')
    .leftJoin('push_state as p', 'p.device_id', 'd.id')
    .select('d.id')
    .where('d.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('d.last_seen_at', 'is', null), eb('d.last_seen_at', '<', cutoff)]))
    .where((eb) => eb.or([eb('p.stale_sync_at', 'is', null), eb('p.stale_sync_at', '<', cutoff)]))
    .execute();
  const deviceIds = stale.map((row) => row.id);
  if (deviceIds.length === 0) return { targets: 0, sent: 0, failed: 0, removed: 0, skipped: 0 };
  const at = new Date(now).toISOString();
  // In slices: SQLite caps the variables in one statement.
  for (let i = 0; i < deviceIds.length; i += 500) {
    await db
      .insertInto('push_state')
      .values(deviceIds.slice(i, i + 500).map((device_id) => ({ device_id, stale_sync_at: at })))
      .onConflict((oc) => oc.column('device_id').doUpdateSet({ stale_sync_at: at }))
      .execute();
  }
  return service.send({ deviceIds }, 'sync', { signal });
}
