import type { Kysely } from 'kysely';
import type { BackupInfo } from '../../src/shared/backup';
import type { BackupsTable, Database } from '../db/schema';
import { ApiError } from '../errors';
import type { ArchiveStore, StagedArchive } from './archive-store';
import { type BackupQuota, backupError, EXPORTS_KEPT, MIN_ARCHIVE_BYTES, quotaExceeded } from './quota';

/**
 * The account's stored archives: the `backups` table that indexes them, with their bytes in
 * `archives` (DATA_DIR on SQLite, Postgres parts with Postgres: server/backups/archive-store.ts).
 */
export class BackupFiles {
  /**
   * Commits in progress, by account: one at a time in this process, so two cannot both fit in
   * the room left for one (across instances, the store's `place` serialises them too).
   */
  private commits = new Map<string, Promise<unknown>>();

  /** Without `quota`, nothing is limited (the account deletion only removes). */
  constructor(
    readonly archives: ArchiveStore,
    readonly db: Kysely<Database>,
    readonly quota: BackupQuota = { bytes: Number.POSITIVE_INFINITY, count: Number.POSITIVE_INFINITY },
  ) {}

  async find(accountId: string, id: string): Promise<BackupInfo | undefined> {
    const row = await this.db.selectFrom('backups').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
    return row && toInfo(row);
  }

  /** The account's archives, newest first. */
  async list(accountId: string): Promise<BackupInfo[]> {
    const rows = await this.db
      .selectFrom('backups')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(toInfo);
  }

  /** Bytes of the uploads that stay when one more is stored: the account's newest `quota.count - 1`. */
  async keptBytes(accountId: string, db = this.db): Promise<number> {
    if (this.quota.count <= 1) return 0;
    const rows = await this.newest(accountId, 'upload', db)
      .select('bytes')
      .limit(Math.min(this.quota.count - 1, 2 ** 31 - 1))
      .execute();
    return rows.reduce((sum, row) => sum + Number(row.bytes), 0);
  }

  /** Refuses (413 QUOTA_BACKUP_BYTES) an upload of `bytes` that would not fit beside what is kept and `reserved`. */
  async ensureRoom(accountId: string, bytes: number, reserved = 0, db = this.db): Promise<void> {
    const kept = await this.keptBytes(accountId, db);
    if (kept + reserved + bytes > this.quota.bytes) throw quotaExceeded(this.quota, bytes, kept, reserved);
  }

  /**
   * Makes a verified archive `source` the account's backup `id`, idempotently: the same id
   * with the same SHA-256 answers the stored one (fresh: false); with another, 409. A new upload
   * must fit in the quota (413 otherwise, `source` discarded unless kept); the account's uploads
   * past `quota.count` (exports past EXPORTS_KEPT), oldest first, are then removed and returned.
   * `keep` keeps `source` (a finished tus upload stays answerable to HEAD until it expires).
   */
  commit(
    source: StagedArchive,
    backup: { accountId: string; deviceId: string; id: string; kind: BackupInfo['kind']; sha256: string; bytes: number },
    options: { keep?: boolean } = {},
  ): Promise<{ info: BackupInfo; fresh: boolean; removed: BackupInfo[] }> {
    const previous = this.commits.get(backup.accountId) ?? Promise.resolve();
    const next = previous.then(
      () => this.commitNow(source, backup, options),
      () => this.commitNow(source, backup, options),
    );
    this.commits.set(backup.accountId, next);
    const release = () => {
      if (this.commits.get(backup.accountId) === next) this.commits.delete(backup.accountId);
    };
    next.then(release, release);
    return next;
  }

  private async commitNow(
    source: StagedArchive,
    backup: { accountId: string; deviceId: string; id: string; kind: BackupInfo['kind']; sha256: string; bytes: number },
    options: { keep?: boolean },
  ): Promise<{ info: BackupInfo; fresh: boolean; removed: BackupInfo[] }> {
    const existing = await this.find(backup.accountId, backup.id);
    if (existing) {
      if (!options.keep) await source.discard();
      if (existing.sha256 !== backup.sha256) throw reused(backup.id);
      return { info: existing, fresh: false, removed: [] };
    }
    try {
      // A zero-byte file must never be stored: nothing could read it, and a Range of it has no bytes to send.
      if (backup.bytes < MIN_ARCHIVE_BYTES) throw backupError(400, 'NOT_AN_ARCHIVE', `${backup.bytes} bytes cannot be a gzip archive`);
      if (backup.kind === 'upload') await this.ensureRoom(backup.accountId, backup.bytes);
    } catch (error) {
      if (!options.keep) await source.discard();
      throw error;
    }
    const row: BackupsTable = {
      account_id: backup.accountId,
      id: backup.id,
      device_id: backup.deviceId,
      kind: backup.kind,
      bytes: backup.bytes,
      sha256: backup.sha256,
      created_at: new Date().toISOString(),
    };
    try {
      await this.archives.place(
        source,
        { accountId: backup.accountId, id: backup.id },
        async (db) => {
          // Again where the store serialises an account's commits across instances (Postgres
          // locks the account row first): another instance may have stored one meanwhile.
          if (backup.kind === 'upload') await this.ensureRoom(backup.accountId, backup.bytes, 0, db);
          await db.insertInto('backups').values(row).execute();
        },
        { keep: options.keep ?? false },
      );
    } catch (error) {
      // Two uploads of the same id raced (Background Fetch and its tus fallback): the first won.
      const winner = await this.find(backup.accountId, backup.id);
      if (!options.keep) await source.discard();
      if (!winner) throw error;
      if (winner.sha256 !== backup.sha256) throw reused(backup.id);
      return { info: winner, fresh: false, removed: [] };
    }
    // The one just stored is always kept, whatever a tie of timestamps would sort first.
    const others = backup.kind === 'upload' ? this.quota.count - 1 : EXPORTS_KEPT - 1;
    const older = await this.newest(backup.accountId, backup.kind).selectAll().where('id', '!=', backup.id).execute();
    const removed = older.slice(others).map(toInfo);
    for (const old of removed) await this.remove(backup.accountId, old.id);
    return { info: toInfo(row), fresh: true, removed };
  }

  /** The account's backups of one kind, newest first (ties by id, so the order is the same every time). */
  private newest(accountId: string, kind: BackupInfo['kind'], db = this.db) {
    return db
      .selectFrom('backups')
      .where('account_id', '=', accountId)
      .where('kind', '=', kind)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc');
  }

  async remove(accountId: string, id: string): Promise<void> {
    await this.db.deleteFrom('backups').where('account_id', '=', accountId).where('id', '=', id).execute();
    await this.archives.remove(accountId, id);
  }
}

const reused = (id: string) => new ApiError(409, 'BACKUP_ID_REUSED', `backup ${id} is already stored with different content`);

function toInfo(row: BackupsTable): BackupInfo {
  return {
    id: row.id,
    kind: row.kind === 'export' ? 'export' : 'upload',
    bytes: Number(row.bytes),
    sha256: row.sha256,
    createdAt: row.created_at,
    deviceId: row.device_id,
  };
}
