import type { Generated } from 'kysely';

/** Kysely's view of the tables. Timestamps are ISO-8601 UTC strings in every dialect. */
export interface AccountsTable {
  id: string;
  /** SHA-256 of the normalised sync code; the code itself is never stored. */
  sync_code_hash: string;
  created_at: string;
  /** Highest sync sequence number handed out in this account (server order). */
  last_seq: Generated<number>;
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

/** Accepted upload batches, so a replay answers as the first time and writes nothing. */
export interface SyncBatchesTable {
  account_id: string;
  batch_id: string;
  device_id: string;
  body_hash: string;
  response: string;
  created_at: string;
}

export interface Database {
  accounts: AccountsTable;
  devices: DevicesTable;
  sync_records: SyncRecordsTable;
  sync_batches: SyncBatchesTable;
}
