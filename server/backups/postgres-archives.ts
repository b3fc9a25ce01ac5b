import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Upload } from '@tus/server';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { ArchiveStore, StagedArchive, StagingCleanup } from './archive-store';
import { PostgresLocker } from './postgres-locker';
import { backupParts, readParts, StagedParts } from './postgres-parts';
import { PostgresUploads } from './postgres-uploads';
import type { ByteRange } from './range';

/**
 * Archives in Postgres, so that every instance serves and resumes the same bytes: a backup is
 * parts in `backup_parts` (deleted with its row), an archive still arriving parts in
 * `backup_staging_parts`. Bytes are written and read a part at a time, never a whole archive.
 */
export class PostgresArchives implements ArchiveStore {
  readonly uploads: PostgresUploads;
  private lockerInstance: PostgresLocker | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly connection: { url: string; schema?: string },
  ) {
    this.uploads = new PostgresUploads(db);
  }

  /** Created on first use: its connections are only for tus requests. */
  get locker(): PostgresLocker {
    this.lockerInstance ??= new PostgresLocker(this.connection);
    return this.lockerInstance;
  }

  async stage(accountId: string, kind: 'direct' | 'export'): Promise<StagedParts> {
    const id = randomUUID();
    const now = new Date().toISOString();
    await this.db
      .insertInto('backup_staging')
      .values({ id, account_id: accountId, kind, size: null, received: 0, metadata: null, created_at: now, updated_at: now })
      .execute();
    return new StagedParts(this.db, id);
  }

  stagedUpload(uploadId: string): StagedParts {
    return new StagedParts(this.db, uploadId);
  }

  async unfinishedUploads(accountId: string): Promise<Upload[]> {
    const rows = await this.db
      .selectFrom('backup_staging')
      .select('id')
      .where('account_id', '=', accountId)
      .where('kind', '=', 'tus')
      .where((eb) => eb.or([eb('size', 'is', null), eb('received', '<', eb.ref('size'))]))
      .execute();
    const uploads: Upload[] = [];
    for (const { id } of rows) {
      const upload = await this.uploads.getUpload(id).catch(() => null); // removed meanwhile
      if (upload) uploads.push(upload);
    }
    return uploads;
  }

  async place(
    staged: StagedArchive,
    target: { accountId: string; id: string },
    record: (db: Kysely<Database>) => Promise<void>,
    { keep }: { keep: boolean },
  ): Promise<void> {
    if (!(staged instanceof StagedParts)) throw new TypeError('PostgresArchives places only its own staged parts');
    await this.db.transaction().execute(async (trx) => {
      // One commit per account at a time across instances, as the sync upload does: the
      // account's row is locked first, so `record` checks the quota against every commit before it.
      await trx.selectFrom('accounts').select('id').where('id', '=', target.accountId).forUpdate().execute();
      await record(trx);
      await staged.placeInto(trx, target.accountId, target.id, keep);
    });
  }

  read(accountId: string, id: string, range: ByteRange): Readable {
    return Readable.from(readParts(backupParts(this.db, accountId, id), range));
  }

  async remove(): Promise<void> {
    // The parts went with the backup's row (ON DELETE CASCADE).
  }

  async removeAccount(): Promise<void> {
    // Parts and staging rows went with the account's rows, in the deletion's transaction.
  }

  async cleanUpStaging(cutoff: number): Promise<StagingCleanup> {
    const removed = await this.db
      .deleteFrom('backup_staging')
      .where('updated_at', '<=', new Date(cutoff).toISOString())
      .returning('kind')
      .execute();
    const uploads = removed.filter((row) => row.kind === 'tus').length;
    return { uploads, partials: removed.length - uploads };
  }

  async close(): Promise<void> {
    await this.lockerInstance?.close();
  }
}
