import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { decodeBatch, encodeBatch, SERVER_DOC_KINDS } from '../../src/shared/sync/batch-codec';
import {
  BATCH_ID_PATTERN,
  PULL_PAGE_LIMIT,
  READINGS_MAX_RANGE_MS,
  type ReadingsResponse,
  SYNC_MEDIA_TYPE,
} from '../../src/shared/sync/protocol';
import { DecodeError } from '../../src/shared/sync/varint';
import { deviceOf, requireDevice } from '../auth/authenticate';
import type { OpenDatabase } from '../db/open';
import { ApiError } from '../errors';
import { ingestBatch } from '../sync/ingest';
import { pullChanges, readReadings } from '../sync/pull';
import { decodeCursor, sha256 } from '../sync/record-codec';

const gunzip = promisify(zlib.gunzip);
const gzip = promisify(zlib.gzip);

export interface SyncRouteOptions {
  database: OpenDatabase;
  /** Largest compressed batch accepted. */
  bodyLimit: number;
  /** Called after a batch changed the account's data (push triggers listen here). */
  onDataUploaded?: (accountId: string, deviceId: string) => void;
}

/** Largest batch once decompressed: bounds memory whatever a gzip bomb claims. */
const MAX_DECOMPRESSED = 128 * 1024 * 1024;

/** The sync protocol (docs/sync-protocol.md): idempotent batch upload, cursor pull, readings. */
export async function syncRoutes(app: FastifyInstance, { database, bodyLimit, onDataUploaded }: SyncRouteOptions) {
  const { db } = database;
  app.addContentTypeParser(SYNC_MEDIA_TYPE, { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));
  const authenticated = requireDevice(db);

  app.put<{ Params: { batchId: string }; Body: Buffer }>(
    '/api/sync/batches/:batchId',
    {
      preHandler: authenticated,
      bodyLimit,
      schema: { params: { type: 'object', properties: { batchId: { type: 'string', pattern: BATCH_ID_PATTERN } } } },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) {
        throw new ApiError(415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE', `send the batch as ${SYNC_MEDIA_TYPE}`);
      }
      const me = deviceOf(request);
      const raw = await inflate(request.body);
      let batch: ReturnType<typeof decodeBatch>;
      try {
        batch = decodeBatch(raw);
      } catch (error) {
        if (error instanceof DecodeError) throw new ApiError(400, 'MALFORMED_BATCH', `batch rejected: ${error.message}`);
        throw error;
      }
      const serverOnly = batch.docs.findIndex((doc) => SERVER_DOC_KINDS.includes(doc.kind));
      if (serverOnly >= 0)
        throw new ApiError(
          400,
          'MALFORMED_BATCH',
          `batch rejected: docs[${serverOnly}].kind: ${batch.docs[serverOnly]?.kind} records are written by the server only`,
        );
      const result = await ingestBatch(db, {
        accountId: me.accountId,
        deviceId: me.deviceId,
        batchId: request.params.batchId,
        contentHash: sha256(raw),
        batch,
      });
      if (result.changed) onDataUploaded?.(me.accountId, me.deviceId);
      reply.code(result.fresh ? 201 : 200);
      return result.response;
    },
  );

  app.get<{ Querystring: { cursor?: string; limit?: string } }>(
    '/api/sync/changes',
    {
      preHandler: authenticated,
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { cursor: { type: 'string', maxLength: 64 }, limit: { type: 'string', pattern: '^[1-9][0-9]{0,3}$' } },
        },
      },
    },
    async (request, reply) => {
      const me = deviceOf(request);
      const after = request.query.cursor ? decodeCursor(request.query.cursor) : 0;
      if (after === null) throw new ApiError(400, 'BAD_CURSOR', 'querystring/cursor is not a cursor this server issued');
      const limit = Math.min(PULL_PAGE_LIMIT, Number(request.query.limit ?? PULL_PAGE_LIMIT));
      const page = await pullChanges(db, me.accountId, me.deviceId, after, limit);
      const body = await gzip(encodeBatch({ header: { cursor: page.cursor, more: page.more }, chunks: page.chunks, docs: page.docs }));
      reply.header('Content-Type', SYNC_MEDIA_TYPE).header('Cache-Control', 'no-store');
      return reply.send(body);
    },
  );

  app.get<{ Querystring: { from: string; to: string } }>(
    '/api/readings',
    {
      preHandler: authenticated,
      schema: {
        querystring: {
          type: 'object',
          required: ['from', 'to'],
          properties: { from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' } },
        },
      },
    },
    async (request): Promise<ReadingsResponse> => {
      const me = deviceOf(request);
      const from = Date.parse(request.query.from);
      const to = Date.parse(request.query.to);
      if (!(to > from)) throw new ApiError(400, 'VALIDATION', 'querystring/to must be after querystring/from');
      if (to - from > READINGS_MAX_RANGE_MS) throw new ApiError(400, 'VALIDATION', 'querystring: ask for at most 7 days at a time');
      const readings = await readReadings(db, me.accountId, from, to);
      return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), readings };
    },
  );
}

async function inflate(body: Buffer): Promise<Buffer> {
  try {
    return await gunzip(body, { maxOutputLength: MAX_DECOMPRESSED });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ApiError(413, 'BATCH_TOO_LARGE', `batch is larger than ${MAX_DECOMPRESSED} bytes once decompressed`);
    }
    throw new ApiError(400, 'MALFORMED_BATCH', `batch is not valid gzip (${(error as Error).message})`);
  }
}
