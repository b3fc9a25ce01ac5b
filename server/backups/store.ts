import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { BackupInfo } from '../../src/shared/backup';
import type { BackupsTable, Database } from '../db/schema';
import { ApiError } from '../errors';

/**
 * Where archives live: DATA_DIR/backups/<accountId>/<id>.gz, indexed by the `backups` table.
 * Account ids are UUIDs, so the tus directory (`uploads`) cannot collide with an account's.
 */
export class BackupFiles {
  readonly root: string;
  readonly uploadsDir: string;

  constructor(
    dataDir: string,
    readonly db: Kysely<Database>,
  ) {
    this.root = path.join(dataDir, 'backups');
    this.uploadsDir = path.join(this.root, 'uploads');
  }

  archivePath(accountId: string, id: string): string {
    return path.join(this.root, accountId, `${id}.gz`);
  }

  /** A fresh file name in the account's folder for an archive still arriving. */
  async tempPath(accountId: string): Promise<string> {
    const dir = path.join(this.root, accountId);
    await fs.mkdir(dir, { recursive: true });
    return path.join(dir, `${randomUUID()}.partial`);
  }

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

  /**
   * Makes a verified archive at `source` the account's backup `id`, idempotently: the same id
   * with the same SHA-256 answers the stored one (fresh: false); with another, 409.
   * `link` keeps `source` (a finished tus upload stays answerable to HEAD until it expires).
   */
  async commit(
    source: string,
    backup: { accountId: string; deviceId: string; id: string; kind: BackupInfo['kind']; sha256: string; bytes: number },
    options: { link?: boolean } = {},
  ): Promise<{ info: BackupInfo; fresh: boolean }> {
    const existing = await this.find(backup.accountId, backup.id);
    if (existing) {
      if (!options.link) await fs.rm(source, { force: true });
      if (existing.sha256 !== backup.sha256) throw reused(backup.id);
      return { info: existing, fresh: false };
    }
    const target = this.archivePath(backup.accountId, backup.id);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.rm(target, { force: true }); // left by a crash between the move and the insert
    if (options.link) await fs.link(source, target).catch(() => fs.copyFile(source, target));
    else await fs.rename(source, target);
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
      await this.db.insertInto('backups').values(row).execute();
    } catch (error) {
      // Two uploads of the same id raced (Background Fetch and its tus fallback): the first won.
      const winner = await this.find(backup.accountId, backup.id);
      if (!winner) throw error;
      if (winner.sha256 !== backup.sha256) throw reused(backup.id);
      return { info: winner, fresh: false };
    }
    return { info: toInfo(row), fresh: true };
  }

  async remove(accountId: string, id: string): Promise<void> {
    await this.db.deleteFrom('backups').where('account_id', '=', accountId).where('id', '=', id).execute();
    await fs.rm(this.archivePath(accountId, id), { force: true });
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
