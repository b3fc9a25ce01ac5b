import type { Generated } from 'kysely';

/** Kysely's view of the tables. Timestamps are ISO-8601 UTC strings in every dialect. */
export interface AccountsTable {
  id: string;
  /**
   * Retired with the permanent sync code (migration 0005): always `retired:<id>`. SQLite cannot
   * drop a UNIQUE column, so it stays, holding nothing secret.
   */
  sync_code_hash: string;
  created_at: string;
  /** Highest sync sequence number handed out in this account (server order). */
  last_seq: Generated<number>;
  /** Sync records stored, for the record quota (uploads keep it; server-written messages are not counted). */
  record_count: Generated<number>;
}

export interface DevicesTable {
  id: string;
  account_id: string;
  name: string;
  /** SHA-256 of the bearer token; the token itself is never stored. */
  token_hash: string;
  created_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
}

/** One-time codes a trusted device makes for another to join its account (server/auth/pairing-codes.ts). */
export interface PairingCodesTable {
  /** The code's first group: a non-secret id to find the row by. */
  lookup: string;
  account_id: string;
  /** The device that made it; its codes die when it is revoked. */
  device_id: string;
  /** scrypt salt and hash (hex) of the code's secret part; the code itself is never stored. */
  salt: string;
  hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  /** The device that joined with it. */
  used_by: string | null;
}

/** Everything that syncs: heart-rate chunks and JSON documents, in server order. */
export interface SyncRecordsTable {
  account_id: string;
  /** `chunk` or a DocKind. */
  kind: string;
  record_id: string;
  /** Position in the account's server order; changes on every accepted change. */
  seq: number;
  /** The device whose upload last changed the record. */
  device_id: string;
  /** For chunks, the minute's start (epoch ms): the readings range index. */
  t: number | null;
  /** Chunks: base64 of the chunk in the sync wire format; documents: JSON. */
  body: string;
  body_hash: string;
  updated_at: string;
}

/**
 * Sync records moved out of `sync_records` because the sync format can no longer carry them:
 * minutes an older server stored with more samples or intervals than CHUNK_LIMITS
 * (migration 0010, server/sync/quarantine.ts). Kept unchanged, never synced, deleted with the account.
 */
export interface QuarantinedRecordsTable extends SyncRecordsTable {
  /** The limit it passes, e.g. `samples: 900 in one minute; at most 600`. */
  reason: string;
  /** When it was moved. */
  quarantined_at: string;
}

/** Accepted upload batches, so a replay answers as the first time and writes nothing. */
export interface SyncBatchesTable {
  account_id: string;
  batch_id: string;
  device_id: string;
  body_hash: string;
  response: string;
  created_at: string;
}

/** Stored backup archives: files under DATA_DIR/backups/<account_id>/ (SQLite), or `backup_parts` (Postgres). */
export interface BackupsTable {
  account_id: string;
  /** Client-chosen for uploads (idempotency key), server-chosen for exports. */
  id: string;
  device_id: string;
  /** `upload` (a device's archive) or `export` (the account's synced data, built on request). */
  kind: string;
  bytes: number;
  /** Hex SHA-256 of the archive file. */
  sha256: string;
  created_at: string;
}

/** One part of a stored archive's bytes (Postgres only; server/backups/postgres-archives.ts). */
export interface BackupPartsTable {
  account_id: string;
  backup_id: string;
  /** Offset of the part's first byte in the archive. */
  start: number;
  bytes: Buffer;
}

/** An archive still arriving (Postgres only): a tus upload, a direct upload or a stored export being written. */
export interface BackupStagingTable {
  id: string;
  account_id: string;
  /** `tus`, `direct` or `export`. */
  kind: string;
  /** The declared length (tus); null when not known. */
  size: number | null;
  /** Bytes stored so far: the tus offset. */
  received: number;
  /** JSON of the tus upload's metadata. */
  metadata: string | null;
  created_at: string;
  /** The last write: abandonment is measured from it. */
  updated_at: string;
}

/** One part of an archive still arriving. */
export interface BackupStagingPartsTable {
  staging_id: string;
  account_id: string;
  start: number;
  bytes: Buffer;
}

/** A device's Web Push subscription (`PushSubscription.toJSON()`), one per device. */
export interface PushSubscriptionsTable {
  device_id: string;
  account_id: string;
  endpoint: string;
  /** base64url, 65-byte P-256 point. */
  p256dh: string;
  /** base64url, 16 bytes. */
  auth: string;
  /** Epoch ms after which the push service drops it; null: no expiry. */
  expiration_time: number | null;
  /** Key id of the VAPID key the device subscribed with. */
  key_id: string;
  created_at: string;
  updated_at: string;
}

/** Outcome of each push the server attempted. */
export interface PushSendsTable {
  id: string;
  account_id: string;
  device_id: string;
  /** `refresh`, `sync` or `message`. */
  type: string;
  /** `sent`, `removed` (subscription gone), `failed`, `skipped`, or `retrying` while a push-retry job holds it. */
  status: string;
  http_status: number | null;
  attempts: number;
  error: string | null;
  created_at: string;
  finished_at: string;
  /** The tickle's id (one per push to an audience); null for rows written before it was kept. */
  tickle_id: string | null;
}

/** Messages the server posted to an account (also written as `message` sync documents). */
export interface MessagesTable {
  id: string;
  account_id: string;
  text: string;
  created_at: string;
  read_at: string | null;
}

/** Per-device push bookkeeping. */
export interface PushStateTable {
  device_id: string;
  /** When the stale-device check last sent this device a `sync` push. */
  stale_sync_at: string | null;
}

/** A request counter of one rate limit for one address or account (server/rate-limit/). */
export interface RateLimitsTable {
  /** `${limit}:${scope}:${address or account id}` */
  key: string;
  count: number;
  /** Epoch ms when the window ends and the count starts again. */
  reset_at: number;
}

/** A job waiting or running in the SQLite job queue (server/jobs/sqlite-queue.ts). */
export interface JobsTable {
  id: string;
  name: string;
  /** The payload, JSON. */
  data: string;
  /** Coalescing key: at most one waiting job per (name, key). */
  key: string | null;
  state: 'waiting' | 'running';
  /** Epoch ms it may start. */
  run_at: number;
  /** Runs started so far. */
  attempts: number;
  /** Epoch ms the running process's lease ends; after it another run may take the job. */
  locked_until: number | null;
  created_at: string;
}

/** A device that uploaded since its account's last `refresh` push. */
export interface RefreshUploadersTable {
  account_id: string;
  device_id: string;
  uploaded_at: string;
}

export interface Database {
  accounts: AccountsTable;
  devices: DevicesTable;
  pairing_codes: PairingCodesTable;
  sync_records: SyncRecordsTable;
  sync_batches: SyncBatchesTable;
  quarantined_records: QuarantinedRecordsTable;
  backups: BackupsTable;
  backup_parts: BackupPartsTable;
  backup_staging: BackupStagingTable;
  backup_staging_parts: BackupStagingPartsTable;
  push_subscriptions: PushSubscriptionsTable;
  push_sends: PushSendsTable;
  messages: MessagesTable;
  push_state: PushStateTable;
  rate_limits: RateLimitsTable;
  jobs: JobsTable;
  refresh_uploaders: RefreshUploadersTable;
}
