/**
 * The sync protocol's HTTP contract (docs/sync-protocol.md).
 *
 *   PUT /api/sync/batches/:batchId   body: gzip(encodeBatch(...))   → UploadBatchResponse
 *   GET /api/sync/changes?cursor=…&limit=…                          → gzip(encodeBatch(pull page))
 *   GET /api/readings?from=ISO&to=ISO[&cursor=…]                    → ReadingsResponse (one page)
 *
 * Paths and schemas are defined once, in ../routes.ts (`uploadBatch`, `pullChanges`, `readings`).
 */

/** Media type of batch bodies in both directions: a gzip-compressed `STB` batch. */
export const SYNC_MEDIA_TYPE = 'application/vnd.steady.batch+gzip';

/** Batch ids are client-generated UUIDs. */
export const BATCH_ID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/** The server's answer to an accepted batch; a replay of the same batch gets the same answer. */
export interface UploadBatchResponse {
  batchId: string;
  /** Records in the batch. */
  records: number;
  /** New to the server. */
  created: number;
  /** Already stored exactly so (an earlier upload whose answer was lost, or another path). */
  unchanged: number;
  /** Chunks stored already with other samples: the union is kept. */
  merged: number;
  /** Documents replaced by this newer edit. */
  replaced: number;
}

/**
 * Error code of `507` answers to an upload: the account stores as many records as the server
 * allows (SYNC_MAX_RECORDS). Retrying cannot help; the app stops and tells the user.
 */
export const QUOTA_RECORDS = 'QUOTA_RECORDS';

/** Header of a pull page (`GET /api/sync/changes`). */
export interface PullHeader extends Record<string, unknown> {
  /** Opaque; pass it back to get what changed after this page. */
  cursor: string;
  /** More changes wait after this page. */
  more: boolean;
}

/** Largest page a pull returns, in records. */
export const PULL_PAGE_LIMIT = 2_000;

/**
 * Largest page a pull returns, in stored bytes (a page also stays within BATCH_LIMITS): what
 * the server holds in memory for one pull whatever the account holds.
 */
export const PULL_PAGE_BYTES = 4 * 1024 * 1024;

/** One heart-rate sample as `GET /api/readings` returns it. */
export interface Reading {
  t: string;
  bpm: number;
  contact: boolean | null;
  intervalsMs: number[];
  intervalKind: 'rr' | 'ppi';
  sourceId: string;
  demo: boolean;
}

/** One page of readings; ask again with `cursor=next` until `next` is null. */
export interface ReadingsResponse {
  from: string;
  to: string;
  readings: Reading[];
  /** Opaque; where the next page starts, or null after the last. */
  next: string | null;
}

/** Samples a readings page holds, about (whole minutes: up to one chunk more). ~1.5 MB of JSON. */
export const READINGS_PAGE_SAMPLES = 10_000;
/**
 * Samples a readings page never passes. A page ends between minutes once it holds
 * READINGS_PAGE_SAMPLES; a minute whose sources together hold more (dozens of armbands at once)
 * is cut between two of its chunks here and continues on the next page.
 */
export const READINGS_PAGE_MAX_SAMPLES = 2 * READINGS_PAGE_SAMPLES;

/** Longest range one readings request may ask for. */
export const READINGS_MAX_RANGE_MS = 7 * 24 * 3600 * 1000;
