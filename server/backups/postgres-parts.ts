import { Readable } from 'node:stream';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema';
import type { StagedArchive } from './archive-store';
import { overlap, partWriter } from './parts';
import type { ByteRange } from './range';

/** A stored part: its bytes and the offset of the first. */
export interface Part {
  start: number;
  bytes: Buffer;
}

/** Finds the part that starts exactly at `start` (exact) or the last one that starts at or before it. */
export type FindPart = (start: number, exact: boolean) => Promise<Part | undefined>;

/**
 * The bytes of `range`, part by part: the part holding its first byte, then each following part
 * by its start, until the range ends. One part in memory at a time; a part missing where bytes
 * should be fails the stream rather than send a short archive that looks whole.
 */
export async function* readParts(find: FindPart, range: ByteRange): AsyncGenerator<Buffer> {
  let next = range.start;
  let part = await find(next, false);
  while (next <= range.end) {
    const piece = part && overlap(part.start, part.bytes, next, range.end);
    if (!piece) throw new Error(`archive part holding byte ${next} is missing`);
    yield piece;
    next += piece.length;
    if (next <= range.end) part = await find(next, true);
  }
}

/** The parts of backup `backupId`. */
export function backupParts(db: Kysely<Database>, accountId: string, backupId: string): FindPart {
  return (start, exact) =>
    db
      .selectFrom('backup_parts')
      .select(['start', 'bytes'])
      .where('account_id', '=', accountId)
      .where('backup_id', '=', backupId)
      .where('start', exact ? '=' : '<=', start)
      .orderBy('start', 'desc')
      .limit(1)
      .executeTakeFirst();
}

/** The parts of archive `stagingId`, still arriving. */
export function stagingParts(db: Kysely<Database>, stagingId: string): FindPart {
  return (start, exact) =>
    db
      .selectFrom('backup_staging_parts')
      .select(['start', 'bytes'])
      .where('staging_id', '=', stagingId)
      .where('start', exact ? '=' : '<=', start)
      .orderBy('start', 'desc')
      .limit(1)
      .executeTakeFirst();
}

/**
 * Appends part `bytes` at `start` of staged archive `stagingId`, moving its offset on in the
 * same transaction, and only if the offset is `start`: bytes cannot be written twice or out
 * of order, whatever happens to locks. False when the offset was elsewhere (or the upload gone).
 */
export async function appendPart(db: Kysely<Database>, stagingId: string, start: number, bytes: Buffer): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('backup_staging')
      .set({ received: start + bytes.length, updated_at: new Date().toISOString() })
      .where('id', '=', stagingId)
      .where('received', '=', start)
      .returning('account_id')
      .executeTakeFirst();
    if (!moved) return false;
    await trx.insertInto('backup_staging_parts').values({ staging_id: stagingId, account_id: moved.account_id, start, bytes }).execute();
    return true;
  });
}

/** An archive arriving into `backup_staging`: a direct upload, a stored export, or a tus upload read back when whole. */
export class StagedParts implements StagedArchive {
  constructor(
    private readonly db: Kysely<Database>,
    readonly id: string,
  ) {}

  writable() {
    return partWriter(async (start, bytes) => {
      if (!(await appendPart(this.db, this.id, start, bytes)))
        throw new Error(`staged archive ${this.id} is gone or was written elsewhere`);
    });
  }

  readable() {
    const { db, id } = this;
    return Readable.from(
      (async function* () {
        const row = await db.selectFrom('backup_staging').select('received').where('id', '=', id).executeTakeFirst();
        if (!row || row.received === 0) return;
        yield* readParts(stagingParts(db, id), { start: 0, end: row.received - 1 });
      })(),
    );
  }

  async discard() {
    await this.db.deleteFrom('backup_staging').where('id', '=', this.id).execute();
  }

  /**
   * Copies the parts into `backup_parts` as backup `backupId`, inside `trx` (Postgres copies
   * them: no byte passes through this process). `keep` leaves the staging row, emptied.
   */
  async placeInto(trx: Kysely<Database>, accountId: string, backupId: string, keep: boolean): Promise<void> {
    await sql`insert into backup_parts (account_id, backup_id, start, bytes)
      select ${accountId}::text, ${backupId}::text, start, bytes from backup_staging_parts where staging_id = ${this.id}`.execute(trx);
    if (keep) await trx.deleteFrom('backup_staging_parts').where('staging_id', '=', this.id).execute();
    else await trx.deleteFrom('backup_staging').where('id', '=', this.id).execute();
  }
}
