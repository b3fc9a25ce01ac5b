import type { Kysely } from 'kysely';
import { BATCH_LIMITS, DOC_KINDS, type DocKind } from '../../src/shared/sync/batch-codec';
import { PULL_PAGE_BYTES, READINGS_PAGE_MAX_SAMPLES, READINGS_PAGE_SAMPLES } from '../../src/shared/sync/protocol';
import type { Database } from '../db/schema';
import { quarantinedHere } from './quarantine';
import { chunkBodyCounts, encodeCursor } from './record-codec';

/**
 * A pull page as stored: chunk and document bodies as the database holds them, turned into the
 * wire format by a worker thread (prepare-batch.ts `encodePage`), not on the event loop.
 */
export interface StoredPage {
  chunkBodies: string[];
  docs: { kind: DocKind; id: string; body: string }[];
  cursor: string;
  more: boolean;
}

/** What a page left out: minutes past the chunk limits it met and moved to quarantine (quarantine.ts). */
export interface Quarantined {
  quarantined: number;
}

/** Rows read from the database at a time: a page is built from a few such slices, never all at once. */
const SLICE = 200;

/**
 * Changes in the account after `afterSeq`, in server order, written by other devices (a device
 * already has what it uploaded itself). The cursor moves past the device's own changes too.
 * A page stops at `limit` records, at PULL_PAGE_BYTES of stored bodies, or where the next
 * chunk would take it past the batch limits the client's decoder holds it to, whichever
 * comes first; it always carries at least one record, so a pull always moves on.
 */
export async function pullChanges(
  db: Kysely<Database>,
  accountId: string,
  deviceId: string,
  afterSeq: number,
  limit: number,
): Promise<StoredPage & Quarantined> {
  const chunkBodies: string[] = [];
  const docs: StoredPage['docs'] = [];
  let cursor = afterSeq;
  let records = 0;
  let bytes = 0;
  let samples = 0;
  let intervals = 0;
  let quarantined = 0;
  for (;;) {
    const rows = await db
      .selectFrom('sync_records')
      .select(['kind', 'record_id', 'seq', 'device_id', 'body'])
      .where('account_id', '=', accountId)
      .where('seq', '>', cursor)
      .orderBy('seq')
      .limit(SLICE)
      .execute();
    for (const row of rows) {
      const mine = row.device_id === deviceId;
      // Only the chunk's counts are read here (a few bytes); the worker decodes the rest.
      const chunk = row.kind === 'chunk' ? chunkBodyCounts(row.body) : null;
      if (chunk && (await quarantinedHere(db, accountId, row, chunk))) {
        quarantined++;
        continue;
      }
      const counts = mine ? null : chunk;
      const full =
        records >= limit ||
        (!mine && bytes + row.body.length > PULL_PAGE_BYTES) ||
        (counts !== null && (samples + counts.samples > BATCH_LIMITS.samples || intervals + counts.intervals > BATCH_LIMITS.intervals));
      if (full && records > 0) return { chunkBodies, docs, cursor: encodeCursor(cursor), more: true, quarantined };
      cursor = Number(row.seq);
      records++;
      if (mine) continue;
      bytes += row.body.length;
      if (counts) {
        chunkBodies.push(row.body);
        samples += counts.samples;
        intervals += counts.intervals;
      } else if (DOC_KINDS.includes(row.kind as DocKind)) {
        docs.push({ kind: row.kind as DocKind, id: row.record_id, body: row.body });
      }
    }
    if (rows.length < SLICE) return { chunkBodies, docs, cursor: encodeCursor(cursor), more: false, quarantined };
  }
}

/** Where a readings page starts: after this chunk, in (minute, record id) order. */
export interface ReadingsCursor {
  t: number;
  recordId: string;
}

/**
 * The stored chunks of one page of readings between two instants: whole minutes in time
 * order, about READINGS_PAGE_SAMPLES samples (at most one minute more) and never more than
 * READINGS_PAGE_MAX_SAMPLES, with where the next page starts, or null after the last. Only each chunk's counts are read here; a worker thread
 * turns the bodies into JSON (prepare-batch.ts `readingsJson`).
 */
export async function readingsPage(
  db: Kysely<Database>,
  accountId: string,
  from: number,
  to: number,
  after: ReadingsCursor | null,
): Promise<{ bodies: string[]; next: ReadingsCursor | null } & Quarantined> {
  const bodies: string[] = [];
  let samples = 0;
  let quarantined = 0;
  let position = after;
  for (;;) {
    let query = db
      .selectFrom('sync_records')
      .select(['body', 't', 'record_id'])
      .where('account_id', '=', accountId)
      .where('kind', '=', 'chunk')
      .where('t', '>', from - 60_000)
      .where('t', '<', to);
    if (position) {
      const { t, recordId } = position;
      query = query.where((eb) => eb.or([eb('t', '>', t), eb.and([eb('t', '=', t), eb('record_id', '>', recordId)])]));
    }
    const rows = await query.orderBy('t').orderBy('record_id').limit(SLICE).execute();
    for (const row of rows) {
      const t = Number(row.t);
      const counts = chunkBodyCounts(row.body);
      if (await quarantinedHere(db, accountId, { kind: 'chunk', record_id: row.record_id }, counts)) {
        quarantined++;
        continue;
      }
      const count = counts.samples;
      // A page ends between minutes, so that every minute's samples of all sources are sorted
      // together; only a minute too big for one page is cut between its chunks.
      if (position && t !== position.t && samples >= READINGS_PAGE_SAMPLES) return { bodies, next: position, quarantined };
      if (position && samples + count > READINGS_PAGE_MAX_SAMPLES) return { bodies, next: position, quarantined };
      bodies.push(row.body);
      samples += count;
      position = { t, recordId: row.record_id };
    }
    if (rows.length < SLICE) return { bodies, next: null, quarantined };
  }
}
