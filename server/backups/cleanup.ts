import type { BackupFiles } from './store';

export interface CleanupResult {
  uploads: number;
  partials: number;
  exports: number;
}

/**
 * Deletes what nobody will come back for: tus uploads not written for `maxAgeMs` (abandoned
 * partial uploads, and finished ones whose backup is already stored), other archives cut off
 * while arriving, and exports older than that. Measured from the last write, unlike
 * @tus/file-store's own expiry (from creation), so a slow upload that keeps going is never cut off.
 * The same on both stores (server/backups/archive-store.ts), and safe to run on several instances at once.
 */
export async function cleanUpBackups(files: BackupFiles, maxAgeMs: number, now = Date.now()): Promise<CleanupResult> {
  const cutoff = now - maxAgeMs;
  const result: CleanupResult = { ...(await files.archives.cleanUpStaging(cutoff)), exports: 0 };
  const stale = await files.db
    .selectFrom('backups')
    .select(['account_id', 'id'])
    .where('kind', '=', 'export')
    .where('created_at', '<', new Date(cutoff).toISOString())
    .execute();
  for (const row of stale) {
    await files.remove(row.account_id, row.id);
    result.exports++;
  }
  return result;
}

/** Runs `cleanUp` every `intervalMs` until `signal` aborts; a failed run is logged and the next one tries again. */
export function scheduleCleanup(
  cleanUp: () => Promise<unknown>,
  intervalMs: number,
  signal: AbortSignal,
  log: (error: unknown) => void,
): void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    cleanUp()
      .catch(log)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}
