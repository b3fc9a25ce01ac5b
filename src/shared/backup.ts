/**
 * Backups and restores: the HTTP contract with the server, the transfer records every runtime
 * reads, and the messages between the page, the backup worker and the service worker.
 * The archive itself is described in docs/backup-format.md (codec: ./backup-archive.ts).
 *
 *   POST /api/backups                 body: the archive          → 201 BackupInfo (200 when already stored)
 *   GET  /api/backups                                             → ListBackupsResponse
 *   GET  /api/backups/export          the account's data, streamed as an archive (no Range)
 *   POST /api/backups/export          the same, stored first      → 201 BackupInfo (kind 'export')
 *   GET  /api/backups/:id             a stored archive; Range, If-Range, ETag
 *   DELETE /api/backups/:id           removes a stored archive → 204
 *   DELETE /api/backups/:id/upload    cuts a direct upload of that id in flight → 204, or 404 when none is
 *   /api/uploads/…                    tus 1.0.0 resumable uploads (metadata: UploadMetadata)
 *
 * Paths and schemas are defined once, in ./routes.ts; the list above is an overview.
 */

/** Media type of an archive: gzip-compressed NDJSON. */
export const BACKUP_MEDIA_TYPE = 'application/vnd.steady.backup+gzip';
/** Request header carrying the archive's SHA-256 (64 lower-case hex digits) on upload. */
export const SHA256_HEADER = 'x-steady-sha256';
/** Request header carrying the client-chosen backup id (a UUID): uploads are idempotent by it. */
export const BACKUP_ID_HEADER = 'x-steady-backup-id';
export const SHA256_PATTERN = '^[0-9a-f]{64}$';
export const BACKUP_ID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
/** tus PATCH size: a dropped connection costs at most this much again. */
export const TUS_CHUNK_BYTES = 2 * 1024 * 1024;

/** A stored archive, as the server lists it. */
export interface BackupInfo {
  id: string;
  /** `upload`: a device's own data, sent by it; `export`: the account's synced data, built by the server. */
  kind: 'upload' | 'export';
  bytes: number;
  /** SHA-256 of the archive bytes, hex. */
  sha256: string;
  createdAt: string;
  /** The device that uploaded it or asked for the export. */
  deviceId: string;
}

export interface ListBackupsResponse {
  /** Newest first. */
  backups: BackupInfo[];
  /** Largest archive the server accepts: a client checks before it sends one. */
  maxBytes: number;
  /** The account's limits: its uploads may take `bytes` in all, and only the newest `count` are kept. */
  quota: { bytes: number; count: number };
}

/**
 * The answer to a stored upload (`POST /api/backups`, and the last tus `PATCH`): the backup,
 * and the older ones the server removed to keep only the newest `quota.count`.
 */
export interface StoredBackupResponse extends BackupInfo {
  removed: BackupInfo[];
}

/** `code` of the backup API's refusals that the app explains (every error body is an `ApiErrorBody`). */
export type BackupErrorCode =
  /** The upload does not fit in the account's backup space (413, at creation when its length is known). */
  | 'QUOTA_BACKUP_BYTES'
  /** Too many tus uploads of the account are unfinished (429). */
  | 'QUOTA_UPLOADS_IN_FLIGHT'
  /** An export of the account is being built already (409): one at a time. */
  | 'EXPORT_IN_PROGRESS'
  /** Empty, or not gzip (400). */
  | 'NOT_AN_ARCHIVE';

/** `Upload-Metadata` a tus upload must carry; the server adds the account. */
export interface UploadMetadata {
  backupId: string;
  sha256: string;
  [key: string]: string;
}

/** Records in an archive, by kind. */
export interface ArchiveCounts {
  chunks: number;
  gaps: number;
  docs: number;
}

/** What importing an archive did: importing the same archive again creates and changes nothing. */
export interface ImportResult extends ArchiveCounts {
  /** Records that were not on this device. */
  created: number;
  /** Chunks already here with other samples: the union was kept. */
  merged: number;
  /** Chunks already here with the same samples; gaps and documents already here (never replaced by an archive's). */
  unchanged: number;
}

export type TransferDirection = 'upload' | 'download';
/** `background-fetch`: the browser carries it, tab open or not. `tus` / `ranged`: the page carries it and resumes it. */
export type TransferMode = 'background-fetch' | 'tus' | 'ranged';
export type TransferState = 'packing' | 'running' | 'importing' | 'done' | 'failed' | 'aborted';

/**
 * One backup or restore, kept in IndexedDB (`transfers`) so that every runtime can report on
 * it and the page shows the result of what finished while it was closed.
 */
export interface TransferRecord<B = unknown> {
  /** Also the backup id for uploads. */
  id: string;
  direction: TransferDirection;
  /** Uploads: the device's archive. Downloads: the account's history, or a stored backup. */
  source: 'device' | 'history' | 'stored-backup';
  mode: TransferMode;
  state: TransferState;
  /** The Background Fetch registration id of the current attempt (ids cannot be reused while active). */
  fetchId: string | null;
  attempt: number;
  bytesDone: number;
  /** null while unknown (a streamed export has no length). */
  bytesTotal: number | null;
  sha256: string | null;
  /** Uploads: the packed archive, kept until the server has it, so a retry or resume sends the same bytes. */
  archive: B | null;
  /** Ranged downloads: the bytes received so far, so a reload resumes instead of starting over. */
  partial: B | null;
  /** Stored backup to download, or the server's id once an upload is stored. */
  backupId: string | null;
  counts: ArchiveCounts | null;
  imported: ImportResult | null;
  /** Uploads: older backups the server removed when it stored this one (it keeps the newest `quota.count`). */
  removed?: BackupInfo[];
  error: string | null;
  /**
   * The user cancelled a Background Fetch upload. It is stopped by the server cutting the
   * connection, not by `abort()`, which crashes Chromium while a request body is in flight
   * (Chromium 156, see docs/backup-format.md); the service worker then records the failure
   * as a cancellation.
   */
  cancelRequested: boolean;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

/** Where a Background Fetch notification takes the user. */
export const TRANSFERS_URL = '/settings#transfers';
