import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { PushService } from '../push/service';
import type { JobQueue, RefreshJob } from './queue';

/**
 * After an upload changed an account's data: notes the uploader and makes sure a `refresh` job
 * for the account is waiting to run `debounceMs` from the first upload of the burst. Uploads
 * during that window, on any instance, join the waiting job (its key is the account).
 */
export async function noteUpload(
  db: Kysely<Database>,
  queue: Pick<JobQueue, 'send'>,
  { accountId, deviceId, debounceMs, now = Date.now() }: { accountId: string; deviceId: string; debounceMs: number; now?: number },
): Promise<void> {
  const uploadedAt = new Date(now).toISOString();
  await db
    .insertInto('refresh_uploaders')
    .values({ account_id: accountId, device_id: deviceId, uploaded_at: uploadedAt })
    .onConflict((oc) => oc.columns(['account_id', 'device_id']).doUpdateSet({ uploaded_at: uploadedAt }))
    .execute();
  await queue.send('refresh', { accountId }, { key: accountId, delayMs: debounceMs });
}

/**
 * The `refresh` job: a push to every device of the account but the one that uploaded (when
 * several uploaded, each hears of the others' data). The uploaders are cleared after the push,
 * and only those read: a crash in between sends the push again rather than never, and an upload
 * that lands meanwhile stays for the next job. No uploaders left means an earlier job announced
 * them already.
 */
export async function runRefresh(
  db: Kysely<Database>,
  push: Pick<PushService, 'send'>,
  { accountId }: RefreshJob,
  signal?: AbortSignal,
): Promise<void> {
  const uploaders = await db
    .selectFrom('refresh_uploaders')
    .select(['device_id', 'uploaded_at'])
    .where('account_id', '=', accountId)
    .execute();
  if (uploaders.length === 0) return;
  const exceptDeviceIds = uploaders.length === 1 ? uploaders.map((u) => u.device_id) : [];
  await push.send({ accountId, exceptDeviceIds }, 'refresh', { signal });
  // Exactly the rows read: one rewritten since (the device uploaded again) has a new time and stays.
  await db
    .deleteFrom('refresh_uploaders')
    .where('account_id', '=', accountId)
    .where((eb) => eb.or(uploaders.map((u) => eb.and([eb('device_id', '=', u.device_id), eb('uploaded_at', '=', u.uploaded_at)]))))
    .execute();
}
