import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { FileStore } from '@tus/file-store';
import { Server, type Upload } from '@tus/server';
import { BACKUP_ID_PATTERN, SHA256_PATTERN, TUS_ENDPOINT } from '../../src/shared/backup';
import type { AuthenticatedDevice } from '../auth/authenticate';
import { ApiError } from '../errors';
import { hashFile } from './receive';
import type { BackupFiles } from './store';

/** The device behind each tus request, set by the Fastify route before it hands the request to tus. */
const devices = new WeakMap<IncomingMessage, AuthenticatedDevice>();

export function bindDevice(request: IncomingMessage, device: AuthenticatedDevice): void {
  devices.set(request, device);
}

/** tus hooks receive a Web Request; srvx keeps the Node request behind it. */
function deviceOf(request: unknown): AuthenticatedDevice {
  const node = (request as { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;
  const device = node && devices.get(node);
  if (!device) throw { status_code: 401, body: json(401, 'UNAUTHORIZED', 'missing device token') };
  return device;
}

/**
 * FileStore's constructor creates its directory with a callback that throws, so a server closed
 * (and its DATA_DIR removed) before that callback runs dies of an uncaught ENOENT. The directory
 * is created synchronously before construction instead, and the asynchronous check skipped.
 */
class PreparedFileStore extends FileStore {}
// checkOrCreateDirectory is private in the typings, so it is shadowed on the prototype.
Object.defineProperty(PreparedFileStore.prototype, 'checkOrCreateDirectory', { value: () => {} });

/**
 * The tus 1.0.0 server for resumable backup uploads (https://tus.io/protocols/resumable-upload).
 * Partial uploads live in DATA_DIR/backups/uploads (data file + JSON info); the offset is the
 * data file's size, so an upload resumes after a server restart. When the last byte arrives
 * the file is hashed and, if it matches the SHA-256 the client declared at creation, linked
 * into the account's backups; otherwise it is deleted and the last PATCH answers 422.
 */
export function createTusServer(files: BackupFiles, maxBytes: number): Server {
  fs.mkdirSync(files.uploadsDir, { recursive: true });
  const datastore = new PreparedFileStore({ directory: files.uploadsDir });
  return new Server({
    path: TUS_ENDPOINT,
    datastore,
    maxSize: maxBytes,
    relativeLocation: true,
    exposedHeaders: ['X-Steady-Backup-Id'],
    async onUploadCreate(request, upload) {
      const device = deviceOf(request);
      const { backupId, sha256 } = upload.metadata ?? {};
      if (!backupId || !new RegExp(BACKUP_ID_PATTERN).test(backupId)) {
        throw { status_code: 400, body: json(400, 'VALIDATION', 'Upload-Metadata/backupId must be a UUID') };
      }
      if (!sha256 || !new RegExp(SHA256_PATTERN).test(sha256)) {
        throw { status_code: 400, body: json(400, 'VALIDATION', 'Upload-Metadata/sha256 must be 64 lower-case hex digits') };
      }
      // The owner comes from the token, never from what the client wrote.
      return { metadata: { ...upload.metadata, accountId: device.accountId, deviceId: device.deviceId } };
    },
    async onUploadFinish(_request, upload) {
      const info = await finish(files, datastore, upload);
      return { headers: { 'X-Steady-Backup-Id': info.id } };
    },
  });
}

/** Verifies a finished upload and stores it as the account's backup. */
async function finish(files: BackupFiles, datastore: FileStore, upload: Upload) {
  const meta = upload.metadata ?? {};
  const [accountId, deviceId, backupId, sha256] = [meta.accountId, meta.deviceId, meta.backupId, meta.sha256].map((v) => v ?? '') as [
    string,
    string,
    string,
    string,
  ];
  const file = upload.storage?.path ?? `${files.uploadsDir}/${upload.id}`;
  const actual = await hashFile(file);
  if (actual.sha256 !== sha256) {
    await datastore.remove(upload.id).catch(() => undefined);
    throw { status_code: 422, body: json(422, 'CHECKSUM_MISMATCH', `archive SHA-256 is ${actual.sha256}, the client declared ${sha256}`) };
  }
  try {
    const { info } = await files.commit(
      file,
      { accountId, deviceId, id: backupId, kind: 'upload', sha256, bytes: actual.bytes },
      { link: true },
    );
    return info;
  } catch (error) {
    if (error instanceof ApiError) throw { status_code: 422, body: json(422, error.code, error.message) };
    throw error;
  }
}

/** The upload's owner, or null when there is no such upload. */
export async function uploadOwner(server: Server, id: string): Promise<string | null> {
  try {
    const upload = await server.datastore.getUpload(id);
    return upload.metadata?.accountId ?? null;
  } catch {
    return null; // unknown or expired: tus answers 404/410 itself
  }
}

/** Error bodies in the API's usual shape. */
function json(statusCode: number, code: string, message: string): string {
  return JSON.stringify({ statusCode, code, error: statusCode === 422 ? 'Unprocessable Entity' : 'Error', message });
}
