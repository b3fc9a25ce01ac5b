import type { Kysely, Transaction } from 'kysely';
import { CHUNK_LIMITS, chunkWithinLimits, mergeChunks, sameChunk } from '../../src/shared/samples';
import { QUOTA_RECORDS, type UploadBatchResponse } from '../../src/shared/sync/protocol';
import { DecodeError } from '../../src/shared/sync/varint';
import type { Database } from '../db/schema';
import { ApiError } from '../errors';
import type { PreparedRecord } from './prepare-batch';
import { bodyToChunk, chunkToBody, sha256 } from './record-codec';

export interface IngestRequest {
  accountId: string;
  deviceId: string;
  batchId: string;
  /** Hash of the decompressed batch: a replay must carry exactly the same content. */
  contentHash: string;
  records: PreparedRecord[];
  /** Records an account may store; past it the batch is refused whole (507 QUOTA_RECORDS). */
  quota: { maxRecords: number };
}

export interface IngestResult {
  response: UploadBatchResponse;
  /** False for a replay: nothing was written. */
  fresh: boolean;
  /** Some record was created or changed: other devices have something to pull. */
  changed: boolean;
}

const LOOKUP_SLICE = 500;
const INSERT_SLICE = 400; // 9 columns a row, well under SQLite's 32,766 bound parameters
/** Merges between two turns of the event loop: each is bounded by CHUNK_LIMITS, a few hundred take milliseconds. */
const MERGES_PER_TURN = 100;

/**
 * Stores one upload batch in one transaction, idempotently: by batch id (a replay returns the
 * first answer and writes nothing; the same id with other content is a 409) and by record id
 * (a record already stored as sent is left alone; a chunk with other samples is merged).
 */
export async function ingestBatch(db: Kysely<Database>, request: IngestRequest): Promise<IngestResult> {
  const incoming = request.records;
  const { maxRecords } = request.quota;
  return db.transaction().execute(async (trx) => {
    // Taking the account row first serialises uploads per account (a row lock on Postgres,
    // the write lock on SQLite) before anything is read.
    const account = await trx
      .updateTable('accounts')
      .set((eb) => ({ last_seq: eb.ref('last_seq') }))
      .where('id', '=', request.accountId)
      .returning(['last_seq', 'record_count'])
      .executeTakeFirstOrThrow();
    const previous = await trx
      .selectFrom('sync_batches')
      .select(['body_hash', 'response'])
      .where('account_id', '=', request.accountId)
      .where('batch_id', '=', request.batchId)
      .executeTakeFirst();
    if (previous) {
      if (previous.body_hash !== request.contentHash) {
        throw new ApiError(409, 'BATCH_ID_REUSED', `batch ${request.batchId} was already accepted with different content`);
      }
      return { response: JSON.parse(previous.response) as UploadBatchResponse, fresh: false, changed: false };
    }

    let seq = Number(account.last_seq);
    const existing = await loadExisting(trx, request.accountId, incoming);
    const response: UploadBatchResponse = {
      batchId: request.batchId,
      records: incoming.length,
      created: 0,
      unchanged: 0,
      merged: 0,
      replaced: 0,
    };
    const inserts: PreparedRecord[] = [];
    const now = new Date().toISOString();
    let merges = 0;
    for (const record of incoming) {
      const stored = existing.get(`${record.kind}|${record.recordId}`);
      if (!stored) {
        inserts.push(record);
        response.created++;
        continue;
      }
      if (stored.body_hash === record.hash) {
        response.unchanged++;
        continue;
      }
      let body = record.body;
      let hash = record.hash;
      if (record.kind === 'chunk') {
        if (++merges % MERGES_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
        const current = storedChunk(stored.body, record.field);
        const merged = mergeChunks(current, bodyToChunk(record.body));
        if (!chunkWithinLimits(merged))
          throw new ApiError(
            400,
            'MALFORMED_BATCH',
            `batch rejected: ${record.field}: with the samples stored already this minute would hold ${merged.offsets.length} samples and ${merged.intervalsMs.length} intervals; at most ${CHUNK_LIMITS.samples} and ${CHUNK_LIMITS.intervals}`,
          );
        if (sameChunk(merged, current)) {
          response.unchanged++; // everything sent is stored already
          continue;
        }
        body = chunkToBody(merged);
        hash = sha256(body);
        response.merged++;
      } else {
        response.replaced++; // documents: last edit in server order wins
      }
      await trx
        .updateTable('sync_records')
        .set({ body, body_hash: hash, seq: ++seq, device_id: request.deviceId, updated_at: now })
        .where('account_id', '=', request.accountId)
        .where('kind', '=', record.kind)
        .where('record_id', '=', record.recordId)
        .execute();
    }
    if (inserts.length > 0) {
      const stored = Number(account.record_count);
      if (stored + inserts.length > maxRecords)
        throw new ApiError(
          507,
          QUOTA_RECORDS,
          `this account stores ${stored} records and this batch adds ${inserts.length}; the server keeps at most ${maxRecords} per account. Nothing was lost: the data stays on your devices. Export and delete old data, or ask the server's operator to raise SYNC_MAX_RECORDS.`,
        );
    }
    for (let i = 0; i < inserts.length; i += INSERT_SLICE) {
      const rows = inserts.slice(i, i + INSERT_SLICE).map((r) => ({
        account_id: request.accountId,
        kind: r.kind,
        record_id: r.recordId,
        seq: ++seq,
        device_id: request.deviceId,
        t: r.t,
        body: r.body,
        body_hash: r.hash,
        updated_at: now,
      }));
      await trx.insertInto('sync_records').values(rows).execute();
    }
    await trx
      .updateTable('accounts')
      .set((eb) => ({ last_seq: seq, record_count: eb('record_count', '+', inserts.length) }))
      .where('id', '=', request.accountId)
      .execute();
    await trx
      .insertInto('sync_batches')
      .values({
        account_id: request.accountId,
        batch_id: request.batchId,
        device_id: request.deviceId,
        body_hash: request.contentHash,
        response: JSON.stringify(response),
        created_at: now,
      })
      .execute();
    return { response, fresh: true, changed: seq !== Number(account.last_seq) };
  });
}

/**
 * The stored version of a chunk being merged. One stored before today's limits may hold more
 * than the codec now reads: the upload is then refused like any other merge past the limits
 * (400), rather than failing as a 500 that the client would retry for ever.
 */
function storedChunk(body: string, field: string) {
  try {
    return bodyToChunk(body);
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    throw new ApiError(400, 'MALFORMED_BATCH', `batch rejected: ${field}: the minute stored already cannot be merged (${error.message})`);
  }
}

async function loadExisting(trx: Transaction<Database>, accountId: string, incoming: PreparedRecord[]) {
  const found = new Map<string, { body: string; body_hash: string }>();
  const byKind = new Map<string, PreparedRecord[]>();
  for (const record of incoming) {
    const list = byKind.get(record.kind);
    if (list) list.push(record);
    else byKind.set(record.kind, [record]);
  }
  for (const [kind, records] of byKind) {
    for (let i = 0; i < records.length; i += LOOKUP_SLICE) {
      const ids = records.slice(i, i + LOOKUP_SLICE).map((r) => r.recordId);
      const rows = await trx
        .selectFrom('sync_records')
        .select(['record_id', 'body', 'body_hash'])
        .where('account_id', '=', accountId)
        .where('kind', '=', kind)
        .where('record_id', 'in', ids)
        .execute();
      for (const row of rows) found.set(`${kind}|${row.record_id}`, row);
    }
  }
  return found;
}
