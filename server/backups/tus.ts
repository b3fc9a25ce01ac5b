import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import path from 'node:path';
import { FileStore } from '@tus/file-store';
import { type DataStore, ERRORS, Server, type Upload } from '@tus/server';
import { BACKUP_ID_PATTERN, SHA256_PATTERN, type StoredBackupResponse, TUS_ENDPOINT } from '../../src/shared/backup';
import type { AuthenticatedDevice } from '../auth/authenticate';
import { ApiError, notFound } from '../errors';
import { MAX_UPLOADS_IN_FLIGHT, MIN_ARCHIVE_BYTES, tooManyUploads } from './quota';
import { hashFile, isGzipFile } from './receive';
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
 * Upload ids name their account (`<accountId>_<128 random bits>`), so an account's unfinished
 * uploads are found by listing names, without reading every upload's metadata. Ids made before
 * that (32 hex digits) are still accepted; whose they are is always read from the metadata.
 */
const UPLOAD_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}_)?[0-9a-f]{32}$/;
const UPLOAD_PATH = new RegExp(`^${TUS_ENDPOINT}/([^/?#]+)$`);

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

/**
 * FileStore's constructor creates its directory with a callback that throws, so a server closed
 * (and its DATA_DIR removed) before that callback runs dies of an uncaught ENOENT. The directory
 * is created synchronously before construction instead, and the asynchronous check skipped.
 */
class PreparedFileStore extends FileStore {}
// checkOrCreateDirectory is private in the typings, so it is shadowed on the prototype.
Object.defineProperty(PreparedFileStore.prototype, 'checkOrCreateDirectory', { value: () => {} });

/** tus's own refusals, with the codes the rest of the API would give them. */
const TUS_CODES = new Map<unknown, string>(Object.entries(ERRORS).map(([name, error]) => [error, `TUS_${name}`]));

/**
 * The tus 1.0.0 server for resumable backup uploads (https://tus.io/protocols/resumable-upload).
 * Partial uploads live in DATA_DIR/backups/uploads (data file + JSON info); the offset is the
 * data file's size, so an upload resumes after a server restart. Every request about an upload
 * is checked against the upload's owner, with the id tus itself uses. An upload must declare
 * its length, which must fit in the account's quota. When the last byte arrives the file is
 * checked (gzip, and the SHA-256 the client declared) and linked into the account's backups;
 * otherwise it is deleted and the last PATCH answers 4xx. Every refusal is the API's JSON error.
 */
export function createTusServer(files: BackupFiles, maxBytes: number, log: (error: unknown) => void): Server {
  fs.mkdirSync(files.uploadsDir, { recursive: true });
  const datastore = new PreparedFileStore({ directory: files.uploadsDir });
  return new Server({
    path: TUS_ENDPOINT,
    datastore,
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
      const unfinished = await unfinishedUploads(files, datastore, device.accountId);
      if (unfinished.length >= MAX_UPLOADS_IN_FLIGHT) throw tooManyUploads();
      await files.ensureRoom(device.accountId, upload.size, heldBy(unfinished));
      // The owner comes from the token, never from what the client wrote.
      return { metadata: { ...upload.metadata, accountId: device.accountId, deviceId: device.deviceId } };
    },
    async onUploadFinish(_request, upload) {
      const stored = await finish(files, datastore, upload);
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
export async function reservedBytes(files: BackupFiles, tus: Server, accountId: string): Promise<number> {
  return heldBy(await unfinishedUploads(files, tus.datastore, accountId));
}

const heldBy = (uploads: Upload[]) => uploads.reduce((sum, upload) => sum + (upload.size ?? 0), 0);

/** The account's uploads still arriving (a finished one is already among its backups). */
async function unfinishedUploads(files: BackupFiles, datastore: DataStore, accountId: string): Promise<Upload[]> {
  const names = await fs.promises.readdir(files.uploadsDir).catch(() => [] as string[]);
  const uploads: Upload[] = [];
  for (const name of names) {
    if (!name.startsWith(`${accountId}_`) || path.extname(name) === '.json') continue;
    const upload = await datastore.getUpload(name).catch(() => null); // removed meanwhile
    if (upload && upload.offset < (upload.size ?? Number.POSITIVE_INFINITY)) uploads.push(upload);
  }
  return uploads;
}

/** Verifies a finished upload and stores it as the account's backup; a refused one is deleted. */
async function finish(files: BackupFiles, datastore: FileStore, upload: Upload): Promise<StoredBackupResponse> {
  const meta = upload.metadata ?? {};
  const [accountId, deviceId, backupId, sha256] = [meta.accountId, meta.deviceId, meta.backupId, meta.sha256].map((v) => v ?? '') as [
    string,
    string,
    string,
    string,
  ];
  const file = upload.storage?.path ?? `${files.uploadsDir}/${upload.id}`;
  const refuse = async (error: ApiError) => {
    await datastore.remove(upload.id).catch(() => undefined); // already gone: nothing left to remove
    return error;
  };
  if (!(await isGzipFile(file))) throw await refuse(new ApiError(400, 'NOT_AN_ARCHIVE', 'the upload is not a gzip archive'));
  const actual = await hashFile(file);
  if (actual.sha256 !== sha256) {
    throw await refuse(new ApiError(422, 'CHECKSUM_MISMATCH', `archive SHA-256 is ${actual.sha256}, the client declared ${sha256}`));
  }
  try {
    const { info, removed } = await files.commit(
      file,
      { accountId, deviceId, id: backupId, kind: 'upload', sha256, bytes: actual.bytes },
      { link: true },
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
