import type { BackupErrorCode } from '../../src/shared/backup';
import { ApiError } from '../errors';

/** Per-account limits on stored backups (server/config.ts: BACKUP_QUOTA_BYTES, BACKUP_KEEP_COUNT). */
export interface BackupQuota {
  /** Stored uploads of an account, in bytes, counting tus uploads still arriving at their full length. */
  bytes: number;
  /** Uploads kept: when one more is stored, the oldest go. */
  count: number;
}

/** Unfinished tus uploads an account may have at once: each holds its full length of the byte quota until it ends or expires. */
export const MAX_UPLOADS_IN_FLIGHT = 4;
/** Stored exports kept per account (a history download uses one for a few minutes; they also expire). */
export const EXPORTS_KEPT = 2;
/** The smallest gzip member (RFC 1952 §2.3: a 10-byte header, an empty deflate block, an 8-byte trailer). */
export const MIN_ARCHIVE_BYTES = 20;

/** An error of the backup API whose code the app knows (src/shared/backup.ts). */
export const backupError = (statusCode: number, code: BackupErrorCode, message: string) => new ApiError(statusCode, code, message);

/**
 * The refusal of an upload of `bytes` that does not fit: `kept` is what stays stored beside it
 * (the account's newest `count - 1` uploads), `reserved` what its other unfinished uploads hold.
 * `atLeast`: a body of unknown length, cut once it passed the room left.
 */
export function quotaExceeded(quota: BackupQuota, bytes: number, kept: number, reserved: number, atLeast = false): ApiError {
  const size = `${atLeast ? 'over ' : ''}${mib(bytes)}`;
  if (kept + reserved === 0) {
    // Nothing to delete would make room: say so rather than send the user looking.
    return backupError(
      413,
      'QUOTA_BACKUP_BYTES',
      `this backup is ${size}, more than this account's ${mib(quota.bytes)} of backup space: ask the server operator for more space.`,
    );
  }
  const held = reserved > 0 ? `, and uploads still arriving hold ${mib(reserved)}` : '';
  return backupError(
    413,
    'QUOTA_BACKUP_BYTES',
    `this backup is ${size} and does not fit in this account's ${mib(quota.bytes)} of backup space: ` +
      `the backups kept beside it take ${mib(kept)}${held}. Delete older backups, or ask the server operator for more space.`,
  );
}

export const tooManyUploads = () =>
  backupError(
    429,
    'QUOTA_UPLOADS_IN_FLIGHT',
    `this account already has ${MAX_UPLOADS_IN_FLIGHT} backup uploads under way: let one finish, or wait a day for abandoned ones to expire`,
  );

function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}
