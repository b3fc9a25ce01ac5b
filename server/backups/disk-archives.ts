import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FileStore } from '@tus/file-store';
import type { Upload } from '@tus/server';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { ArchiveStore, StagedArchive, StagingCleanup } from './archive-store';
import type { ByteRange } from './range';

/**
 * FileStore's constructor creates its directory with a callback that throws, so a server closed
 * (and its DATA_DIR removed) before that callback runs dies of an uncaught ENOENT. The directory
 * is created synchronously before construction instead, and the asynchronous check skipped.
 */
class PreparedFileStore extends FileStore {}
// checkOrCreateDirectory is private in the typings, so it is shadowed on the prototype.
Object.defineProperty(PreparedFileStore.prototype, 'checkOrCreateDirectory', { value: () => {} });

/** A file that bytes are written to once and read back from. */
class StagedFile implements StagedArchive {
  constructor(readonly path: string) {}
  writable() {
    return fs.createWriteStream(this.path, { flags: 'wx' });
  }
  readable() {
    return fs.createReadStream(this.path);
  }
  discard() {
    return fs.promises.rm(this.path, { force: true });
  }
}

/**
 * Archives on this instance's disk (SQLite, one process): DATA_DIR/backups/<accountId>/<id>.gz,
 * direct uploads arriving as `<random>.partial` beside them, tus uploads in
 * DATA_DIR/backups/uploads (data file + JSON info, @tus/file-store; the offset is the data
 * file's size, so an upload resumes after a restart). Account ids are UUIDs, so the `uploads`
 * folder cannot collide with an account's.
 */
export class DiskArchives implements ArchiveStore {
  readonly root: string;
  readonly uploadsDir: string;
  readonly locker = undefined;
  private fileStore: PreparedFileStore | undefined;

  constructor(
    dataDir: string,
    private readonly db: Kysely<Database>,
  ) {
    this.root = path.join(dataDir, 'backups');
    this.uploadsDir = path.join(this.root, 'uploads');
  }

  /** Created on first use: the account deletion never needs it. */
  get uploads(): PreparedFileStore {
    if (!this.fileStore) {
      fs.mkdirSync(this.uploadsDir, { recursive: true });
      this.fileStore = new PreparedFileStore({ directory: this.uploadsDir });
    }
    return this.fileStore;
  }

  archivePath(accountId: string, id: string): string {
    return path.join(this.root, accountId, `${id}.gz`);
  }

  async stage(accountId: string): Promise<StagedFile> {
    const dir = path.join(this.root, accountId);
    await fs.promises.mkdir(dir, { recursive: true });
    return new StagedFile(path.join(dir, `${randomUUID()}.partial`));
  }

  stagedUpload(uploadId: string): StagedFile {
    return new StagedFile(path.join(this.uploadsDir, uploadId));
  }

  /** Upload ids name their account (server/backups/tus.ts), so the account's are found by listing names. */
  async unfinishedUploads(accountId: string): Promise<Upload[]> {
    const uploads: Upload[] = [];
    for (const name of await readDir(this.uploadsDir)) {
      if (!name.startsWith(`${accountId}_`) || path.extname(name) === '.json') continue;
      const upload = await this.uploads.getUpload(name).catch(() => null); // removed meanwhile
      if (upload && upload.offset < (upload.size ?? Number.POSITIVE_INFINITY)) uploads.push(upload);
    }
    return uploads;
  }

  async place(
    staged: StagedArchive,
    target: { accountId: string; id: string },
    record: (db: Kysely<Database>) => Promise<void>,
    { keep }: { keep: boolean },
  ): Promise<void> {
    if (!(staged instanceof StagedFile)) throw new TypeError('DiskArchives places only its own staged files');
    const file = this.archivePath(target.accountId, target.id);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    await fs.promises.rm(file, { force: true }); // left by a crash between the move and the insert
    if (keep) await fs.promises.link(staged.path, file).catch(() => fs.promises.copyFile(staged.path, file));
    else await fs.promises.rename(staged.path, file);
    await record(this.db);
  }

  read(accountId: string, id: string, range: ByteRange) {
    return fs.createReadStream(this.archivePath(accountId, id), { start: range.start, end: range.end });
  }

  async remove(accountId: string, id: string): Promise<void> {
    await fs.promises.rm(this.archivePath(accountId, id), { force: true });
  }

  async removeAccount(accountId: string): Promise<void> {
    await fs.promises.rm(path.join(this.root, accountId), { recursive: true, force: true });
    // A tus upload is a data file beside `<id>.json`, whose metadata names its owner.
    for (const name of await readDir(this.uploadsDir)) {
      if (!name.endsWith('.json')) continue;
      const info = await fs.promises.readFile(path.join(this.uploadsDir, name), 'utf8').catch(() => null);
      let owner: unknown;
      try {
        owner = info && (JSON.parse(info) as { metadata?: { accountId?: unknown } }).metadata?.accountId;
      } catch {
        continue; // being written this instant: left to the expiry clean-up (the owner's token no longer works anyway)
      }
      if (owner !== accountId) continue;
      const id = name.slice(0, -'.json'.length);
      await fs.promises.rm(path.join(this.uploadsDir, id), { force: true });
      await fs.promises.rm(path.join(this.uploadsDir, name), { force: true });
    }
  }

  /** By the files' modification times: the last write, unlike FileStore's own expiry (from creation). */
  async cleanUpStaging(cutoff: number): Promise<StagingCleanup> {
    const result: StagingCleanup = { uploads: 0, partials: 0 };
    for (const name of await readDir(this.uploadsDir)) {
      if (name.endsWith('.json')) continue;
      const stat = await fs.promises.stat(path.join(this.uploadsDir, name)).catch(() => null);
      if (!stat?.isFile() || stat.mtimeMs > cutoff) continue;
      await this.uploads.remove(name).then(
        () => result.uploads++,
        () => fs.promises.rm(path.join(this.uploadsDir, name), { force: true }),
      );
    }
    for (const account of await readDir(this.root)) {
      const dir = path.join(this.root, account);
      if (dir === this.uploadsDir) continue;
      for (const name of await readDir(dir)) {
        if (!name.endsWith('.partial')) continue;
        const stat = await fs.promises.stat(path.join(dir, name)).catch(() => null);
        if (stat && stat.mtimeMs <= cutoff) {
          await fs.promises.rm(path.join(dir, name), { force: true });
          result.partials++;
        }
      }
    }
    return result;
  }

  async close(): Promise<void> {}
}

async function readDir(dir: string): Promise<string[]> {
  try {
    return await fs.promises.readdir(dir);
  } catch {
    return []; // nothing stored yet
  }
}
