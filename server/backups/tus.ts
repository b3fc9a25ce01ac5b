import { randomBytes } from 'node:crypto';
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import { ERRORS, Server, type Upload } from '@tus/server';
import { BACKUP_ID_PATTERN, SHA256_PATTERN, type StoredBackupResponse } from '../../src/shared/backup';
import { ROUTES } from '../../src/shared/routes';
import type { AuthenticatedDevice } from '../auth/authenticate';
import { ApiError, notFound } from '../errors';
import { MAX_UPLOADS_IN_FLIGHT, MIN_ARCHIVE_BYTES, tooManyUploads } from './quota';
import { inspectArchive } from './receive';
import type { BackupFiles } from './store';

/** The device behind each tus request, set by the Fastify route before it hands the request to tus. */
const devices = new WeakMap<IncomingMessage, AuthenticatedDevice>();

export function bindDevice(request: IncomingMessage, device: AuthenticatedDevice): void {
  devices.set(request, device);
}

/** tus hooks receive a Web Request; srvx keeps the Node request behind it. */
function nodeRequestOf(request: Request): IncomingMessage | undefined {
  return (request as { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;
}

function deviceOf(request: Request): AuthenticatedDevice {
  const node = nodeRequestOf(request);
  const device = node && devices.get(node);
  if (!device) throw new ApiError(401, 'UNAUTHORIZED', 'missing device token');
  return device;
}

/**
 * Upload ids name their account (`<accountId>_<128 random bits>`), so on disk an account's unfinished
 * uploads are found by listing names, without reading every upload's metadata. Ids made before
 * that (32 hex digits) are still accepted; whose they are is always read from the metadata.
 */
const UPLOAD_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}_)?[0-9a-f]{32}$/;
const UPLOAD_PATH = new RegExp(`^${ROUTES.tusCreate.path}/([^/?#]+)$`);

/**
 * The upload a request is about: the last segment of the path exactly as it arrived, and only
 * an id of ours. @tus/server would otherwise take the last `/`-separated piece of the whole URL,
 * query string included, so `/api/uploads?x=/<someone else's id>` named another upload than the
 * one the route saw. Anything else (a query string, an encoded slash, a trailing slash, `..`)
 * names no upload: tus answers 404.
 */
export function uploadIdOf(url: string | undefined): string | undefined {
  const id = UPLOAD_PATH.exec(url ?? '')?.[1];
  return id && UPLOAD_ID.test(id) ? id : undefined;
}

/** tus's own refusals, with the codes the rest of the API would give them. */
const TUS_CODES = new Map<unknown, string>(Object.entries(ERRORS).map(([name, error]) => [error, `TUS_${name}`]));

/**
 * The tus 1.0.0 server for resumable backup uploads (https://tus.io/protocols/resumable-upload).
 * Partial uploads live in the archive store's tus store (DATA_DIR/backups/uploads on SQLite,
 * Postgres otherwise, with a lock that holds across instances), so an upload resumes after a
 * restart, and with Postgres on any instance. Every request about an upload
 * is checked against the upload's owner, with the id tus itself uses. An upload must declare
 * its length, which must fit in the account's quota. When the last byte arrives the file is
 * checked (gzip, and the SHA-256 the client declared) and placed among the account's backups;
 * otherwise it is deleted and the last PATCH answers 4xx. Every refusal is the API's JSON error.
 */
export function createTusServer(files: BackupFiles, maxBytes: number, log: (error: unknown) => void): Server {
  const { uploads: datastore, locker } = files.archives;
  return new Server({
    path: ROUTES.tusCreate.path,
    datastore,
    ...(locker ? { locker } : {}),
    maxSize: maxBytes,
    relativeLocation: true,
    exposedHeaders: ['X-Steady-Backup-Id'],
    namingFunction: (request) => `${deviceOf(request).accountId}_${randomBytes(16).toString('hex')}`,
    getFileIdFromRequest: (request) => uploadIdOf(nodeRequestOf(request)?.url),
    // HEAD, PATCH, DELETE (and GET, were it routed): an upload of another account is as missing as one that never was.
    async onIncomingRequest(request, id) {
      const device = deviceOf(request);
      if (request.method === 'POST') return; // a new id, named for this account
      const upload = await datastore.getUpload(id).catch(() => null);
      if (upload && upload.metadata?.accountId !== device.accountId) throw notFound('upload');
    },
    async onUploadCreate(request, upload) {
      const device = deviceOf(request);
      const { backupId, sha256 } = upload.metadata ?? {};
      if (!backupId || !new RegExp(BACKUP_ID_PATTERN).test(backupId)) {
        throw new ApiError(400, 'VALIDATION', 'Upload-Metadata/backupId must be a UUID');
      }
      if (!sha256 || !new RegExp(SHA256_PATTERN).test(sha256)) {
        throw new ApiError(400, 'VALIDATION', 'Upload-Metadata/sha256 must be 64 lower-case hex digits');
      }
      // The quota is checked against the length: an upload of unknown length could not be.
      if (upload.size === undefined)
        throw new ApiError(400, 'VALIDATION', 'Upload-Length is required (Upload-Defer-Length is not accepted)');
      if (upload.size < MIN_ARCHIVE_BYTES) {
        throw new ApiError(400, 'NOT_AN_ARCHIVE', `Upload-Length ${upload.size} is too short for a gzip archive`);
      }
      const unfinished = await files.archives.unfinishedUploads(device.accountId);
      if (unfinished.length >= MAX_UPLOADS_IN_FLIGHT) throw tooManyUploads();
      await files.ensureRoom(device.accountId, upload.size, heldBy(unfinished));
      // The owner comes from the token, never from what the client wrote.
      return { metadata: { ...upload.metadata, accountId: device.accountId, deviceId: device.deviceId } };
    },
    async onUploadFinish(_request, upload) {
      const stored = await finish(files, upload);
      return {
        status_code: 200,
        headers: { 'X-Steady-Backup-Id': stored.id, 'Content-Type': 'application/json' },
        body: JSON.stringify(stored),
      };
    },
    onResponseError(_request, error) {
      if (error instanceof ApiError) return { status_code: error.statusCode, body: json(error.statusCode, error.code, error.message) };
      const code = TUS_CODES.get(error);
      if (code && 'status_code' in error && error.status_code < 500) {
        // tus's own message, without its trailing newline; a missing upload reads like any other 404.
        const message = error === ERRORS.FILE_NOT_FOUND ? 'upload not found' : error.body.trim();
        return {
          status_code: error.status_code,
          body: json(error.status_code, code === 'TUS_FILE_NOT_FOUND' ? 'NOT_FOUND' : code, message),
        };
      }
      // Anything else (a failed disk write, a database error): logged here, never shown.
      log(error);
      return { status_code: 500, body: json(500, 'INTERNAL', 'internal error') };
    },
  });
}

/** Bytes of the account's backup space that its tus uploads still arriving hold (their full length). */
export async function reservedBytes(files: BackupFiles, accountId: string): Promise<number> {
  return heldBy(await files.archives.unfinishedUploads(accountId));
}

const heldBy = (uploads: Upload[]) => uploads.reduce((sum, upload) => sum + (upload.size ?? 0), 0);

/** Verifies a finished upload and stores it as the account's backup; a refused one is deleted. */
async function finish(files: BackupFiles, upload: Upload): Promise<StoredBackupResponse> {
  const meta = upload.metadata ?? {};
  const [accountId, deviceId, backupId, sha256] = [meta.accountId, meta.deviceId, meta.backupId, meta.sha256].map((v) => v ?? '') as [
    string,
    string,
    string,
    string,
  ];
  const staged = files.archives.stagedUpload(upload.id);
  const refuse = async (error: ApiError) => {
    await files.archives.uploads.remove(upload.id).catch(() => undefined); // already gone: nothing left to remove
    return error;
  };
  const actual = await inspectArchive(staged.readable());
  if (!actual.gzip) throw await refuse(new ApiError(400, 'NOT_AN_ARCHIVE', 'the upload is not a gzip archive'));
  if (actual.sha256 !== sha256) {
    throw await refuse(new ApiError(422, 'CHECKSUM_MISMATCH', `archive SHA-256 is ${actual.sha256}, the client declared ${sha256}`));
  }
  try {
    const { info, removed } = await files.commit(
      staged,
      { accountId, deviceId, id: backupId, kind: 'upload', sha256, bytes: actual.bytes },
      { keep: true },
    );
    return { ...info, removed };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // tus clients retry a 409 (an offset conflict, in tus) forever: a reused backup id is answered 422.
    throw await refuse(error.statusCode === 409 ? new ApiError(422, error.code, error.message) : error);
  }
}

/** Error bodies in the API's usual shape. */
function json(statusCode: number, code: string, message: string): string {
  return JSON.stringify({ statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message });
}
