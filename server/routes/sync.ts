import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  PULL_PAGE_LIMIT,
  QUOTA_RECORDS,
  READINGS_MAX_RANGE_MS,
  type ReadingsResponse,
  SYNC_MEDIA_TYPE,
} from '../../src/shared/sync/protocol';
import { deviceOf, requireDevice } from '../auth/authenticate';
import type { OpenDatabase } from '../db/open';
import { ApiError } from '../errors';
import { BatchPool, type BatchPoolOptions } from '../sync/batch-pool';
import { ingestBatch } from '../sync/ingest';
import { pullChanges, readingsPage } from '../sync/pull';
import { warnQuarantined } from '../sync/quarantine';
import { decodeCursor, decodeReadingsCursor, encodeReadingsCursor } from '../sync/record-codec';
import { routeRegistrar } from './route';

export interface SyncRouteOptions {
  database: OpenDatabase;
  /** Largest compressed batch accepted. */
  bodyLimit: number;
  /** Records one account may store (config `syncMaxRecords`). */
  maxRecords: number;
  /** Worker threads and queue for decoding uploads. */
  pool?: BatchPoolOptions;
  /** Called after a batch changed the account's data (push triggers listen here); never rejects. */
  onDataUploaded?: (accountId: string, deviceId: string) => Promise<void>;
}

/** Seconds a client waits when every decoding thread and queue slot is taken. */
const BUSY_RETRY_AFTER_S = 5;

/**
 * Answers an error the app's error handler would hide: it turns every 5xx into "internal
 * error", but a 503 here says to come back, and a 507 what the user can do.
 */
function sendError(reply: FastifyReply, statusCode: 503 | 507, code: string, message: string) {
  const error = statusCode === 503 ? 'Service Unavailable' : 'Insufficient Storage';
  return reply.code(statusCode).send({ statusCode, code, error, message });
}

function busy(reply: FastifyReply) {
  reply.header('Retry-After', String(BUSY_RETRY_AFTER_S));
  return sendError(reply, 503, 'BUSY', `the server is busy with other uploads and pulls; try again in ${BUSY_RETRY_AFTER_S} seconds`);
}

/** The sync protocol (docs/sync-protocol.md): idempotent batch upload, cursor pull, readings. */
export async function syncRoutes(app: FastifyInstance, options: SyncRouteOptions) {
  const { database, bodyLimit, maxRecords, onDataUploaded } = options;
  const { db } = database;
  const pool = new BatchPool(options.pool);
  app.addHook('onClose', () => pool.close());
  app.addContentTypeParser(SYNC_MEDIA_TYPE, { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));
  const route = routeRegistrar(app, requireDevice(db));

  route('uploadBatch', { bodyLimit }, async (request, reply) => {
    if (!Buffer.isBuffer(request.body)) {
      throw new ApiError(415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE', `send the batch as ${SYNC_MEDIA_TYPE}`);
    }
    const me = deviceOf(request);
    let prepared: Awaited<ReturnType<BatchPool['prepare']>>;
    try {
      prepared = await pool.prepare(request.body);
    } catch (error) {
      // The worker died on this batch (its resource limits): the content is to blame, not the server.
      request.log.warn({ err: error }, 'batch worker failed');
      throw new ApiError(400, 'MALFORMED_BATCH', 'batch rejected: it could not be decoded within the server limits');
    }
    if (prepared === null) return busy(reply);
    if (!prepared.ok) throw new ApiError(prepared.status, prepared.code, prepared.message);
    try {
      const result = await ingestBatch(db, {
        accountId: me.accountId,
        deviceId: me.deviceId,
        batchId: request.params.batchId,
        contentHash: prepared.contentHash,
        records: prepared.records,
        quota: { maxRecords },
      });
      // Awaited: the refresh job is recorded before the client hears its upload is stored.
      if (result.changed) await onDataUploaded?.(me.accountId, me.deviceId);
      reply.code(result.fresh ? 201 : 200);
      return result.response;
    } catch (error) {
      if (error instanceof ApiError && error.code === QUOTA_RECORDS) return sendError(reply, 507, error.code, error.message);
      throw error;
    }
  });

  route('pullChanges', {}, async (request, reply) => {
    const me = deviceOf(request);
    const after = request.query.cursor ? decodeCursor(request.query.cursor) : 0;
    if (after === null) throw new ApiError(400, 'BAD_CURSOR', 'querystring/cursor is not a cursor this server issued');
    const limit = Math.min(PULL_PAGE_LIMIT, Number(request.query.limit ?? PULL_PAGE_LIMIT));
    const page = await pullChanges(db, me.accountId, me.deviceId, after, limit);
    warnQuarantined(request, me.accountId, page.quarantined);
    const body = await pool.encodePage(page);
    if (body === null) return busy(reply);
    reply.header('Content-Type', SYNC_MEDIA_TYPE).header('Cache-Control', 'no-store');
    return reply.send(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  });

  route('readings', {}, async (request, reply) => {
    const me = deviceOf(request);
    const from = Date.parse(request.query.from);
    const to = Date.parse(request.query.to);
    if (!(to > from)) throw new ApiError(400, 'VALIDATION', 'querystring/to must be after querystring/from');
    if (to - from > READINGS_MAX_RANGE_MS) throw new ApiError(400, 'VALIDATION', 'querystring: ask for at most 7 days at a time');
    const after = request.query.cursor === undefined ? null : decodeReadingsCursor(request.query.cursor);
    if (after === null && request.query.cursor !== undefined)
      throw new ApiError(400, 'BAD_CURSOR', 'querystring/cursor is not a readings cursor this server issued');
    const page = await readingsPage(db, me.accountId, from, to, after);
    warnQuarantined(request, me.accountId, page.quarantined);
    const items = await pool.readingsJson({ bodies: page.bodies, from, to });
    if (items === null) return busy(reply);
    // Written out here, not by Fastify's serialiser: the worker made the readings' JSON. The shape is ReadingsResponse.
    const head: Omit<ReadingsResponse, 'readings' | 'next'> = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    const next: ReadingsResponse['next'] = page.next && encodeReadingsCursor(page.next);
    reply.type('application/json; charset=utf-8');
    return reply.send(`${JSON.stringify(head).slice(0, -1)},"readings":[${items}],"next":${JSON.stringify(next)}}`);
  });
}
