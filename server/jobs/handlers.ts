import type { Kysely } from 'kysely';
import type { CleanupResult } from '../backups/cleanup';
import type { Database } from '../db/schema';
import type { PushService } from '../push/service';
import { runBackupExpiry } from './backup-expiry-job';
import { runFanOutSlice } from './fan-out-job';
import { runPushRetry } from './push-retry-job';
import type { JobHandlers, JobLog, JobQueue } from './queue';
import { runRefresh } from './refresh-job';
import { runStaleSweep } from './stale-sweep-job';

export interface JobDependencies {
  db: Kysely<Database>;
  queue: Pick<JobQueue, 'send' | 'sendMany'>;
  push: PushService;
  /** STALE_SYNC_HOURS */
  staleSyncHours: number;
  /** The backup cleanup, once the backup routes are ready. */
  backupCleanup: () => (() => Promise<CleanupResult>) | undefined;
  log: JobLog;
}

/** Every job's handler, the same for both engines. */
export function jobHandlers(deps: JobDependencies): JobHandlers {
  return {
    refresh: (job, signal) => runRefresh(deps.db, deps.push, job, signal),
    'stale-sweep': () => runStaleSweep(deps.db, deps.queue, deps.staleSyncHours),
    'fan-out': (job, signal) => runFanOutSlice(deps.push, job, signal),
    'push-retry': (job, signal) => runPushRetry(deps.push, job, signal),
    'backup-expiry': () => runBackupExpiry(deps.backupCleanup(), deps.log),
  };
}
