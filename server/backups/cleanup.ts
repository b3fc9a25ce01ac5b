import fs from 'node:fs/promises';
import path from 'node:path';
import type { Server } from '@tus/server';
import type { BackupFiles } from './store';

export interface CleanupResult {
  uploads: number;
  partials: number;
  exports: number;
}

/**
 * Deletes what nobody will come back for: tus uploads whose data file has not been written
 * for `maxAgeMs` (abandoned partial uploads, and finished ones whose backup is already linked
 * into place), direct uploads cut off mid-body (`*.partial`), and exports older than that.
 * Measured from the last write, unlike FileStore's own expiry (from creation), so a slow
 * upload that keeps going is never cut off.
 */
export async function cleanUpBackups(files: BackupFiles, tus: Server, maxAgeMs: number, now = Date.now()): Promise<CleanupResult> {
  const result: CleanupResult = { uploads: 0, partials: 0, exports: 0 };
  const cutoff = now - maxAgeMs;
  for (const name of await readDir(files.uploadsDir)) {
    if (name.endsWith('.json')) continue;
    const stat = await fs.stat(path.join(files.uploadsDir, name)).catch(() => null);
    if (!stat?.isFile() || stat.mtimeMs > cutoff) continue;
    await tus.datastore.remove(name).then(
      () => result.uploads++,
      () => fs.rm(path.join(files.uploadsDir, name), { force: true }),
    );
  }
  for (const account of await readDir(files.root)) {
    const dir = path.join(files.root, account);
    if (dir === files.uploadsDir) continue;
    for (const name of await readDir(dir)) {
      if (!name.endsWith('.partial')) continue;
      const stat = await fs.stat(path.join(dir, name)).catch(() => null);
      if (stat && stat.mtimeMs <= cutoff) {
        await fs.rm(path.join(dir, name), { force: true });
        result.partials++;
      }
    }
  }
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

async function readDir(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch {
    return []; // nothing stored yet
  }
}
