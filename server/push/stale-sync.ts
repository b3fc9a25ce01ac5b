import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema';

/**
 * Claims every subscribed device unseen for `staleHours` and not nudged within that time:
 * marks it in `push_state` and returns its id, in one statement. Two sweeps at once (two
 * instances) cannot both claim a device: the upsert's WHERE is checked against the row as the
 * other sweep left it (Postgres re-checks a conflicting row after the other commits; SQLite has
 * one writer), so the second finds it freshly marked and skips it.
 */
export async function claimStaleDevices(db: Kysely<Database>, staleHours: number, now: number = Date.now()): Promise<string[]> {
  // ISO-8601 UTC strings sort as times do.
  const cutoff = new Date(now - staleHours * 3600_000).toISOString();
  const at = new Date(now).toISOString();
  const claimed = await db
    .insertInto('push_state')
    .columns(['device_id', 'stale_sync_at'])
    .expression((eb) =>
      eb
        .selectFrom('devices as d')
        .innerJoin('push_subscriptions as s', 's.device_id', 'd.id')
        .leftJoin('push_state as p', 'p.device_id', 'd.id')
        .select(['d.id', sql.lit(at).as('stale_sync_at')])
        .where('d.revoked_at', 'is', null)
        .where((w) => w.or([w('d.last_seen_at', 'is', null), w('d.last_seen_at', '<', cutoff)]))
        .where((w) => w.or([w('p.stale_sync_at', 'is', null), w('p.stale_sync_at', '<', cutoff)])),
    )
    .onConflict((oc) =>
      oc
        .column('device_id')
        .doUpdateSet({ stale_sync_at: at })
        .where((w) => w.or([w('push_state.stale_sync_at', 'is', null), w('push_state.stale_sync_at', '<', cutoff)])),
    )
    .returning('device_id')
    .execute();
  return claimed.map((row) => row.device_id).sort();
}
