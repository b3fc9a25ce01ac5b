import type { Kysely } from 'kysely';
import { chunkSamples } from '../../src/shared/samples';
import { BATCH_LIMITS, DOC_KINDS, type DocKind } from '../../src/shared/sync/batch-codec';
import { PULL_PAGE_BYTES, READINGS_PAGE_SAMPLES, type Reading } from '../../src/shared/sync/protocol';
import type { Database } from '../db/schema';
import { bodyToChunk, chunkBodyCounts, encodeCursor } from './record-codec';

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
): Promise<StoredPage> {
  const chunkBodies: string[] = [];
  const docs: StoredPage['docs'] = [];
  let cursor = afterSeq;
  let records = 0;
  let bytes = 0;
  let samples = 0;
  let intervals = 0;
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
      const counts = !mine && row.kind === 'chunk' ? chunkBodyCounts(row.body) : null;
      const full =
        records >= limit ||
        (!mine && bytes + row.body.length > PULL_PAGE_BYTES) ||
        (counts !== null && (samples + counts.samples > BATCH_LIMITS.samples || intervals + counts.intervals > BATCH_LIMITS.intervals));
      if (full && records > 0) return { chunkBodies, docs, cursor: encodeCursor(cursor), more: true };
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
    if (rows.length < SLICE) return { chunkBodies, docs, cursor: encodeCursor(cursor), more: false };
  }
}

/** Where a readings page starts: after this chunk, in (minute, record id) order. */
export interface ReadingsCursor {
  t: number;
  recordId: string;
}

/** Gives other requests a turn: building a page is split into steps of one minute each. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One page of the account's heart-rate samples between two instants, as JSON text: whole
 * minutes in time order, about READINGS_PAGE_SAMPLES samples (at most one minute more), with
 * where the next page starts, or null after the last. Each minute (all sources' chunks of it,
 * oldest sample first) is serialised on its own turn of the event loop, so a big page never
 * holds other requests up for long.
 */
export async function readReadingsJson(
  db: Kysely<Database>,
  accountId: string,
  from: number,
  to: number,
  after: ReadingsCursor | null,
): Promise<{ json: string; count: number; next: ReadingsCursor | null }> {
  const parts: string[] = [];
  let count = 0;
  let position = after;
  let minute: { t: number; readings: Reading[]; last: ReadingsCursor } | null = null;
  const flush = async () => {
    if (!minute) return;
    const readings = minute.readings.sort((a, b) => a.t.localeCompare(b.t));
    if (readings.length > 0) parts.push(readings.map((r) => JSON.stringify(r)).join(','));
    count += readings.length;
    position = minute.last;
    minute = null;
    await yieldToEventLoop();
  };
  for (let cursor = after; ; ) {
    let query = db
      .selectFrom('sync_records')
      .select(['body', 't', 'record_id'])
      .where('account_id', '=', accountId)
      .where('kind', '=', 'chunk')
      .where('t', '>', from - 60_000)
      .where('t', '<', to);
    if (cursor) {
      const { t, recordId } = cursor;
      query = query.where((eb) => eb.or([eb('t', '>', t), eb.and([eb('t', '=', t), eb('record_id', '>', recordId)])]));
    }
    const rows = await query.orderBy('t').orderBy('record_id').limit(SLICE).execute();
    for (const row of rows) {
      const t = Number(row.t);
      if (minute && minute.t !== t) {
        await flush();
        if (count >= READINGS_PAGE_SAMPLES) return { json: parts.join(','), count, next: position };
      }
      minute ??= { t, readings: [], last: { t, recordId: row.record_id } };
      minute.last = { t, recordId: row.record_id };
      const chunk = bodyToChunk(row.body);
      for (const sample of chunkSamples(chunk)) {
        if (sample.t < from || sample.t >= to) continue;
        minute.readings.push({
          t: new Date(sample.t).toISOString(),
          bpm: sample.bpm,
          contact: sample.contact,
          intervalsMs: sample.intervalsMs,
          intervalKind: chunk.intervalKind,
          sourceId: chunk.sourceId,
          demo: chunk.demo,
        });
      }
    }
    const last = rows[rows.length - 1];
    if (rows.length < SLICE || !last) {
      await flush();
      return { json: parts.join(','), count, next: null };
    }
    cursor = { t: Number(last.t), recordId: last.record_id };
  }
}
