import type { CleanupResult } from '../backups/cleanup';
import type { JobLog } from './queue';

/**
 * The `backup-expiry` job: deletes abandoned uploads and old exports (cleanUpBackups). The backup
 * routes own the stores it cleans and hand over `cleanUp` once they are ready; before that there
 * is nothing of this instance's to clean.
 */
export async function runBackupExpiry(cleanUp: (() => Promise<CleanupResult>) | undefined, log: JobLog): Promise<void> {
  if (!cleanUp) return;
  const result = await cleanUp();
  if (result.uploads + result.partials + result.exports > 0) log.info({ ...result }, 'expired backups deleted');
}
