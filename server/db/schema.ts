/** Kysely's view of the tables. Timestamps are ISO-8601 UTC strings in every dialect. */
export interface AccountsTable {
  id: string;
  /** SHA-256 of the normalised sync code; the code itself is never stored. */
  sync_code_hash: string;
  created_at: string;
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

export interface Database {
  accounts: AccountsTable;
  devices: DevicesTable;
}
