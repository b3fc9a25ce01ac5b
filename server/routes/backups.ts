import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  BACKUP_ID_HEADER,
  BACKUP_ID_PATTERN,
  BACKUP_MEDIA_TYPE,
  type BackupInfo,
  SHA256_HEADER,
  SHA256_PATTERN,
} from '../../src/shared/backup';
import { deviceOf, requireDevice } from '../auth/authenticate';
import { type CleanupResult, cleanUpBackups, scheduleCleanup } from '../backups/cleanup';
import { exportArchive } from '../backups/export';
import { openArchiveStore } from '../backups/open-archives';
import { backupError, quotaExceeded } from '../backups/quota';
import { type ByteRange, parseRange } from '../backups/range';
import { hashing, receiveArchive } from '../backups/receive';
import { BackupFiles } from '../backups/store';
import { bindDevice, createTusServer, reservedBytes } from '../backups/tus';
import type { Config } from '../config';
import type { OpenDatabase } from '../db/open';
import { ApiError, notFound } from '../errors';
import { warnQuarantined } from '../sync/quarantine';
import { routeRegistrar } from './route';

export interface BackupRouteOptions {
  database: OpenDatabase;
  config: Pick<
    Config,
    | 'dataDir'
    | 'databaseUrl'
    | 'databaseSchema'
    | 'backupMaxBytes'
    | 'backupExpiryMs'
    | 'backupCleanupIntervalMs'
    | 'backupQuotaBytes'
    | 'backupKeepCount'
  >;
  /** Receives the cleanup of this instance's backup stores, for the `backup-expiry` job; without it the routes schedule it themselves. */
  onCleanupReady?: (cleanUp: () => Promise<CleanupResult>) => void;
}

/**
 * Backups (src/shared/backup.ts): direct and tus uploads, listing, exports, ranged downloads.
 * All account-scoped, and bounded per account: uploads by BACKUP_QUOTA_BYTES and BACKUP_KEEP_COUNT,
 * exports to one being built at a time. Paths and schemas come from src/shared/routes.ts.
 */
export async function backupRoutes(app: FastifyInstance, { database, config, onCleanupReady }: BackupRouteOptions) {
  const quota = { bytes: config.backupQuotaBytes, count: config.backupKeepCount };
  const archives = openArchiveStore(database, config);
  const files = new BackupFiles(archives, database.db, quota);
  const tus = createTusServer(files, config.backupMaxBytes, (error) => app.log.error({ err: error }, 'tus request failed'));
  const route = routeRegistrar(app, requireDevice(database.db));
  /** Direct uploads being received, by `${accountId}/${backupId}`. */
  const inflight = new Map<string, AbortController>();
  /** Accounts whose export is being built: an export reads every record of the account, so one at a time. */
  const exporting = new Set<string>();
  const startExport = (accountId: string) => {
    if (exporting.has(accountId)) {
      throw backupError(409, 'EXPORT_IN_PROGRESS', 'an export of this account is being built already: try again when it is done');
    }
    exporting.add(accountId);
    return () => exporting.delete(accountId);
  };

  // Bodies of archives and tus PATCHes are streamed by the handlers: leave them unread here.
  // ('*' too, so that a wrong media type reaches the handler, which names the right one.)
  const leaveUnread = (_request: FastifyRequest, _payload: unknown, done: (error: null) => void) => done(null);
  app.addContentTypeParser([BACKUP_MEDIA_TYPE, 'application/offset+octet-stream'], leaveUnread);
  app.addContentTypeParser('*', leaveUnread);

  const lifetime = new AbortController();
  app.addHook('onReady', async () => {
    const cleanUp = () => cleanUpBackups(files, config.backupExpiryMs);
    if (onCleanupReady) return onCleanupReady(cleanUp);
    scheduleCleanup(cleanUp, config.backupCleanupIntervalMs, lifetime.signal, (error) =>
      app.log.error({ err: error }, 'backup cleanup failed'),
    );
  });
  app.addHook('onClose', async () => {
    lifetime.abort();
    await archives.close();
  });

  route('uploadBackup', {}, async (request, reply) => {
    const me = deviceOf(request);
    if (request.headers['content-type']?.split(';')[0]?.trim() !== BACKUP_MEDIA_TYPE) {
      throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `send the archive as ${BACKUP_MEDIA_TYPE}`);
    }
    const sha256 = header(request, SHA256_HEADER, SHA256_PATTERN, '64 lower-case hex digits');
    const id = header(request, BACKUP_ID_HEADER, BACKUP_ID_PATTERN, 'a UUID');
    const declared = Number(request.headers['content-length'] ?? Number.NaN);
    if (declared > config.backupMaxBytes) {
      // Refused before reading: close the connection rather than drain what the client is still sending.
      reply.header('connection', 'close');
      throw new ApiError(413, 'BACKUP_TOO_LARGE', `archive is ${declared} bytes; this server accepts at most ${config.backupMaxBytes}`);
    }
    const existing = await files.find(me.accountId, id);
    if (existing) {
      reply.header('connection', 'close');
      if (existing.sha256 !== sha256) throw new ApiError(409, 'BACKUP_ID_REUSED', `backup ${id} is already stored with different content`);
      return { ...existing, removed: [] }; // a retry of an upload that did arrive
    }
    // Refused before reading, as above, when the length is declared; otherwise the body is cut
    // where it would pass the room left, rather than written out to BACKUP_MAX_BYTES first.
    const kept = await files.keptBytes(me.accountId);
    const reserved = await reservedBytes(files, me.accountId);
    if (declared > 0 && kept + reserved + declared > quota.bytes) {
      reply.header('connection', 'close');
      throw quotaExceeded(quota, declared, kept, reserved);
    }
    const room = quota.bytes - kept - reserved;
    const limit =
      room < config.backupMaxBytes
        ? { bytes: room, error: () => quotaExceeded(quota, room, kept, reserved, true) }
        : { bytes: config.backupMaxBytes };
    const temp = await archives.stage(me.accountId, 'direct');
    let received: Awaited<ReturnType<typeof receiveArchive>>;
    const key = `${me.accountId}/${id}`;
    const cancel = new AbortController();
    inflight.set(key, cancel);
    try {
      received = await receiveArchive(request.raw, temp, limit, cancel.signal);
    } catch (error) {
      reply.header('connection', 'close');
      throw error;
    } finally {
      inflight.delete(key);
    }
    if (received.sha256 !== sha256) {
      await temp.discard();
      throw new ApiError(422, 'CHECKSUM_MISMATCH', `archive SHA-256 is ${received.sha256}, ${SHA256_HEADER} said ${sha256}`);
    }
    const { info, fresh, removed } = await files.commit(temp, {
      accountId: me.accountId,
      deviceId: me.deviceId,
      id,
      kind: 'upload',
      ...received,
    });
    reply.code(fresh ? 201 : 200);
    return { ...info, removed };
  });

  // Cancelling a Background Fetch upload: the client cannot safely abort it (see TransferRecord.cancelRequested),
  // so the server stops reading and answers the upload 409 with `Connection: close`. An answer, not a
  // cut connection: Chromium resends a request body on a reset connection, but not after an answer.
  route('cancelBackupUpload', {}, async (request, reply) => {
    const me = deviceOf(request);
    const upload = inflight.get(`${me.accountId}/${request.params.id}`);
    if (!upload) throw notFound('upload in progress');
    upload.abort(new ApiError(409, 'UPLOAD_CANCELLED', 'the upload was cancelled from another request'));
    reply.code(204);
  });

  route('listBackups', {}, async (request) => {
    const me = deviceOf(request);
    return { backups: await files.list(me.accountId), maxBytes: config.backupMaxBytes, quota };
  });

  route('exportBackup', {}, async (request, reply) => {
    const me = deviceOf(request);
    const done = startExport(me.accountId);
    // Whether the archive was sent whole or the client went away, the socket's answer ends here.
    reply.raw.once('close', done);
    reply
      .header('content-type', BACKUP_MEDIA_TYPE)
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="steady-history-${today()}.ndjson.gz"`);
    return reply.send(exportArchive(database.db, me.accountId, me.deviceId, () => warnQuarantined(request, me.accountId, 1)));
  });

  route('storeExport', {}, async (request, reply) => {
    const me = deviceOf(request);
    const done = startExport(me.accountId);
    const temp = await archives.stage(me.accountId, 'export').catch((error: unknown) => {
      done();
      throw error;
    });
    try {
      const hashed = hashing();
      await pipeline(
        exportArchive(database.db, me.accountId, me.deviceId, () => warnQuarantined(request, me.accountId, 1)),
        hashed.meter,
        temp.writable(),
      );
      const { bytes, sha256 } = hashed.result();
      const { info } = await files.commit(temp, {
        accountId: me.accountId,
        deviceId: me.deviceId,
        id: randomUUID(),
        kind: 'export',
        bytes,
        sha256,
      });
      reply.code(201);
      return info;
    } finally {
      done();
      await temp.discard(); // committed: already gone
    }
  });

  route('deleteBackup', {}, async (request, reply) => {
    const me = deviceOf(request);
    if (!(await files.find(me.accountId, request.params.id))) throw notFound('backup');
    await files.remove(me.accountId, request.params.id);
    reply.code(204);
  });

  route('downloadBackup', {}, async (request, reply) => {
    const me = deviceOf(request);
    // Scoped by account: another account's backup is indistinguishable from a missing one.
    const backup = await files.find(me.accountId, request.params.id);
    if (!backup) throw notFound('backup');
    return sendArchive(request, reply, archives.read.bind(archives, me.accountId, backup.id), backup);
  });

  // tus: Fastify authenticates, then hands the raw request to @tus/server, whose hooks check the
  // upload's owner with the id tus itself reads from the URL (server/backups/tus.ts). Creation
  // only on the endpoint, the rest only on an upload's URL; there is no GET (nothing is read back).
  const tusHandler = async (request: FastifyRequest, reply: FastifyReply) => {
    bindDevice(request.raw, deviceOf(request));
    reply.hijack();
    await tus.handle(request.raw, reply.raw);
  };
  route('tusCreate', {}, tusHandler);
  route('tusUpload', {}, tusHandler);
  route('tusOptions', {}, async (request, reply) => {
    reply.hijack();
    await tus.handle(request.raw, reply.raw);
  });
}

/** The stored archive, whole or the one byte range asked for (If-Range with its ETag). */
function sendArchive(request: FastifyRequest, reply: FastifyReply, read: (range: ByteRange) => Readable, backup: BackupInfo) {
  const etag = `"${backup.sha256}"`;
  const ifRange = request.headers['if-range'];
  const range = ifRange && ifRange !== etag ? 'whole' : parseRange(request.headers.range, backup.bytes);
  reply
    .header('content-type', BACKUP_MEDIA_TYPE)
    .header('accept-ranges', 'bytes')
    .header('etag', etag)
    .header('cache-control', 'no-store')
    .header('content-disposition', `attachment; filename="steady-${backup.kind}-${backup.createdAt.slice(0, 10)}.ndjson.gz"`);
  if (range === 'unsatisfiable') {
    reply.code(416).header('content-range', `bytes */${backup.bytes}`);
    throw new ApiError(416, 'RANGE_NOT_SATISFIABLE', `the archive has ${backup.bytes} bytes`);
  }
  if (range === 'whole') {
    reply.header('content-length', backup.bytes);
    return reply.send(read({ start: 0, end: backup.bytes - 1 }));
  }
  reply
    .code(206)
    .header('content-range', `bytes ${range.start}-${range.end}/${backup.bytes}`)
    .header('content-length', range.end - range.start + 1);
  return reply.send(read(range));
}

function header(request: FastifyRequest, name: string, pattern: string, what: string): string {
  const value = request.headers[name];
  if (typeof value !== 'string' || !new RegExp(pattern).test(value))
    throw new ApiError(400, 'VALIDATION', `headers/${name} must be ${what}`);
  return value;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}
