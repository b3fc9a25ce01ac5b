import type { Readable, Writable } from 'node:stream';
import type { DataStore, Locker, Upload } from '@tus/server';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { ByteRange } from './range';

/** Bytes of an archive still arriving (a direct upload, a stored export, a tus upload), before they become a backup. */
export interface StagedArchive {
  /** The sink for the bytes, from the first; it finishes once they are stored. */
  writable(): Writable;
  /** The bytes stored so far. */
  readable(): Readable;
  /** Deletes the bytes; already gone is not an error. */
  discard(): Promise<void>;
}

/** What the clean-up removed: tus uploads, and other archives that stopped arriving. */
export interface StagingCleanup {
  uploads: number;
  partials: number;
}

/**
 * Where archive bytes live, so that nothing else branches on the database: DATA_DIR on SQLite
 * (server/backups/disk-archives.ts), `backup_parts` on Postgres, where every instance reads
 * and resumes the same bytes (server/backups/postgres-archives.ts). The `backups` rows that
 * index them are BackupFiles' (server/backups/store.ts).
 */
export interface ArchiveStore {
  /** tus's store of uploads in progress, and the lock that keeps two requests from writing one upload. */
  readonly uploads: DataStore;
  /** Undefined: @tus/server's in-memory locker, enough for one process. */
  readonly locker: Locker | undefined;
  /** A new, empty place for an archive arriving for `accountId`. */
  stage(accountId: string, kind: 'direct' | 'export'): Promise<StagedArchive>;
  /** The bytes of tus upload `uploadId`. */
  stagedUpload(uploadId: string): StagedArchive;
  /** The account's tus uploads still arriving. */
  unfinishedUploads(accountId: string): Promise<Upload[]>;
  /**
   * Makes `staged` the bytes of backup `id`; `record` inserts its `backups` row (in the same
   * transaction where the store has one, after locking the account's commits across
   * instances), and a failure of `record` stores nothing. `keep`
   * leaves the upload answerable to a tus HEAD until the clean-up removes it.
   */
  place(
    staged: StagedArchive,
    target: { accountId: string; id: string },
    record: (db: Kysely<Database>) => Promise<void>,
    options: { keep: boolean },
  ): Promise<void>;
  /** The bytes of backup `id` in `range` (inclusive), read as the consumer pulls. */
  read(accountId: string, id: string, range: ByteRange): Readable;
  /** Deletes the bytes of a backup whose row was just deleted. */
  remove(accountId: string, id: string): Promise<void>;
  /** Deletes every byte an account left behind, after its rows are gone. */
  removeAccount(accountId: string): Promise<void>;
  /** Deletes archives still arriving that were last written before `cutoff` (epoch ms). */
  cleanUpStaging(cutoff: number): Promise<StagingCleanup>;
  close(): Promise<void>;
}
