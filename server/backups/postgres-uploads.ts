import type { Readable } from 'node:stream';
import { DataStore, ERRORS, Upload } from '@tus/server';
import type { Kysely } from 'kysely';
import type { BackupStagingTable, Database } from '../db/schema';
import { PartCutter } from './parts';
import { appendPart } from './postgres-parts';

/**
 * tus uploads in Postgres (@tus/utils DataStore), so that any instance can resume one: the
 * upload's length, offset and metadata are a `backup_staging` row of kind `tus`, its bytes
 * `backup_staging_parts`. Each part is appended with the offset it must start at, so two
 * writers can never interleave bytes even if a lock failed. No concatenation; expiry is the
 * clean-up's, measured from the last write (server/backups/cleanup.ts).
 */
export class PostgresUploads extends DataStore {
  constructor(private readonly db: Kysely<Database>) {
    super();
    // As @tus/file-store declares them, so both stores answer alike: a deferred length reaches
    // onUploadCreate, which names what is missing; 'expiration' with getExpiration() 0 sets no header.
    this.extensions = ['creation', 'creation-with-upload', 'creation-defer-length', 'termination', 'expiration'];
  }

  async create(upload: Upload): Promise<Upload> {
    const accountId = upload.metadata?.accountId;
    // onUploadCreate (server/backups/tus.ts) always names the owner: an upload without one is a bug.
    if (!accountId) throw new Error(`tus upload ${upload.id} has no owner`);
    const now = new Date().toISOString();
    await this.db
      .insertInto('backup_staging')
      .values({
        id: upload.id,
        account_id: accountId,
        kind: 'tus',
        size: upload.size ?? null,
        received: 0,
        metadata: JSON.stringify(upload.metadata ?? {}),
        created_at: upload.creation_date ?? now,
        updated_at: now,
      })
      .execute();
    upload.storage = { type: 'postgres', path: upload.id };
    return upload;
  }

  async getUpload(id: string): Promise<Upload> {
    const row = await this.db.selectFrom('backup_staging').selectAll().where('id', '=', id).where('kind', '=', 'tus').executeTakeFirst();
    if (!row) throw ERRORS.FILE_NOT_FOUND;
    return toUpload(row);
  }

  async remove(id: string): Promise<void> {
    const { numDeletedRows } = await this.db
      .deleteFrom('backup_staging')
      .where('id', '=', id)
      .where('kind', '=', 'tus')
      .executeTakeFirstOrThrow();
    if (numDeletedRows === 0n) throw ERRORS.FILE_NOT_FOUND;
  }

  /**
   * Stores the PATCH body from `offset`, a part at a time (PART_BYTES; the body's tail as a
   * shorter one). A body cut short (the client went away, or a newer request asked for the lock)
   * keeps what arrived, as a file store would, so the upload resumes from there.
   */
  async write(stream: Readable, id: string, offset: number): Promise<number> {
    const cutter = new PartCutter();
    let next = offset;
    const store = async (part: Buffer) => {
      if (!(await appendPart(this.db, id, next, part))) throw ERRORS.INVALID_OFFSET;
      next += part.length;
    };
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        for (const part of cutter.push(chunk)) await store(part);
      }
    } catch (error) {
      const rest = cutter.rest();
      if (rest.length > 0) await store(rest).catch(() => undefined); // the first error is the one to answer
      throw error;
    }
    const rest = cutter.rest();
    if (rest.length > 0) await store(rest);
    return next;
  }

  async declareUploadLength(id: string, length: number): Promise<void> {
    await this.db.updateTable('backup_staging').set({ size: length }).where('id', '=', id).where('kind', '=', 'tus').execute();
  }
}

function toUpload(row: BackupStagingTable): Upload {
  return new Upload({
    id: row.id,
    size: row.size ?? undefined,
    offset: Number(row.received),
    metadata: row.metadata ? (JSON.parse(row.metadata) as Record<string, string>) : {},
    creation_date: row.created_at,
    storage: { type: 'postgres', path: row.id },
  });
}
