/**
 * The sync protocol's HTTP contract (docs/sync-protocol.md).
 *
 *   PUT /api/sync/batches/:batchId   body: gzip(encodeBatch(...))   → UploadBatchResponse
 *   GET /api/sync/changes?cursor=…&limit=…                          → gzip(encodeBatch(pull page))
 *   GET /api/readings?from=ISO&to=ISO                               → ReadingsResponse
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

/** Header of a pull page (`GET /api/sync/changes`). */
export interface PullHeader extends Record<string, unknown> {
  /** Opaque; pass it back to get what changed after this page. */
  cursor: string;
  /** More changes wait after this page. */
  more: boolean;
}

/** Largest page a pull returns, in records. */
export const PULL_PAGE_LIMIT = 2_000;

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

export interface ReadingsResponse {
  from: string;
  to: string;
  readings: Reading[];
}

/** Longest range one readings request may ask for. */
export const READINGS_MAX_RANGE_MS = 7 * 24 * 3600 * 1000;
