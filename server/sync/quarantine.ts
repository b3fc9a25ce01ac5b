import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { CHUNK_LIMITS } from '../../src/shared/samples';
import type { Database } from '../db/schema';

/**
 * Why a stored minute cannot travel in the sync format any more: the limit it passes, or null
 * when it is within CHUNK_LIMITS. Only minutes stored before the limits existed (or written
 * around the server) can pass them; migration 0010 moved those it found.
 */
export function overLimitReason(counts: { samples: number; intervals: number }): string | null {
  const reasons: string[] = [];
  if (counts.samples > CHUNK_LIMITS.samples) reasons.push(`samples: ${counts.samples} in one minute; at most ${CHUNK_LIMITS.samples}`);
  if (counts.intervals > CHUNK_LIMITS.intervals)
    reasons.push(`intervals: ${counts.intervals} in one minute; at most ${CHUNK_LIMITS.intervals}`);
  return reasons.length > 0 ? reasons.join('; ') : null;
}

/** One stored record, by its key. */
export interface RecordKey {
  accountId: string;
  kind: string;
  recordId: string;
}

/**
 * Moves one stored record, unchanged, from `sync_records` to `quarantined_records` with the
 * reason, in one transaction; nothing is deleted. Answers false when another request moved it
 * first: the row is deleted before it is copied, so two requests meeting the same minute at
 * once cannot copy it twice. The account row is taken first, as an upload takes it.
 */
export async function quarantineRecord(db: Kysely<Database>, record: RecordKey, reason: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('accounts')
      .set((eb) => ({ last_seq: eb.ref('last_seq') }))
      .where('id', '=', record.accountId)
      .execute();
    return moveToQuarantine(trx, record, reason, new Date().toISOString());
  });
}

/** The move itself, inside the caller's transaction (quarantineRecord, migration 0010); false when the row is gone. */
export async function moveToQuarantine(trx: Kysely<Database>, record: RecordKey, reason: string, now: string): Promise<boolean> {
  const moved = await trx
    .deleteFrom('sync_records')
    .where('account_id', '=', record.accountId)
    .where('kind', '=', record.kind)
    .where('record_id', '=', record.recordId)
    .returningAll()
    .executeTakeFirst();
  if (!moved) return false;
  await trx
    .insertInto('quarantined_records')
    .values({ ...moved, reason, quarantined_at: now })
    .execute();
  await trx
    .updateTable('accounts')
    .set((eb) => ({ record_count: eb('record_count', '-', 1) }))
    .where('id', '=', record.accountId)
    .execute();
  return true;
}

/**
 * True when a stored chunk passes the chunk limits: it is then moved to `quarantined_records`
 * rather than handed to the encoder, which would refuse it and fail the whole request (a pull,
 * a readings page, an export). Migration 0010 moved every such minute stored before the
 * limits; this catches one written around the server since (or any left by a later change of
 * the limits).
 */
export async function quarantinedHere(
  db: Kysely<Database>,
  accountId: string,
  row: { kind: string; record_id: string },
  counts: { samples: number; intervals: number },
): Promise<boolean> {
  const reason = overLimitReason(counts);
  if (reason === null) return false;
  await quarantineRecord(db, { accountId, kind: row.kind, recordId: row.record_id }, reason);
  return true;
}

/** A request met stored minutes past the chunk limits and moved them to quarantine: said by account id only. */
export function warnQuarantined(request: FastifyRequest, accountId: string, quarantined: number) {
  if (quarantined > 0) request.log.warn({ accountId, quarantined }, 'stored minutes past the chunk limits moved to quarantined_records');
}
