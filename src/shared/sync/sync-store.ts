import type { SyncBatch } from './batch-codec';
import type { UploadBatchResponse } from './protocol';

/** What started a sync run; shown in the background log. */
export type SyncTrigger = 'periodicsync' | 'sync' | 'push' | 'page' | 'manual' | 'backgroundfetch';

/** A record waiting to go up. `queuedAt` changes whenever the record changes again. */
export interface OutboxEntry {
  /** `${kind}|${recordId}`, kind being `chunk` or a DocKind. */
  key: string;
  kind: string;
  recordId: string;
  queuedAt: number;
  /** For chunks: the end of the chunk's minute. Not sent before it is over. */
  readyAt: number;
}

/** A batch that was built and may have reached the server: resent byte for byte until acknowledged. */
export interface InflightBatch {
  batchId: string;
  /** Compressed body exactly as sent, so a replay matches the first attempt. */
  body: Uint8Array<ArrayBuffer>;
  /** The outbox entries it carries, with the `queuedAt` they had when it was built. */
  entries: { key: string; queuedAt: number }[];
  records: number;
  createdAt: number;
}

/** A batch the server refused with a 4xx other than 408/429: never dropped, shown to the user. */
export interface AttentionItem {
  batchId: string;
  keys: string[];
  records: number;
  status: number;
  code: string;
  reason: string;
  at: number;
}

export type SyncMetaRecord =
  | { key: 'cursor'; cursor: string }
  | { key: 'inflight'; batch: InflightBatch }
  | { key: 'retryAt'; at: number; reason: string }
  /** Ids of the latest pushes handled, so a redelivered push does nothing twice. */
  | { key: 'pushIds'; ids: string[] };

/** `server-full`: the account holds as many records as the server allows (507 QUOTA_RECORDS); nothing is retried until the user acts. */
export type SyncOutcome =
  | 'ok'
  | 'nothing-to-do'
  | 'offline'
  | 'retry-later'
  | 'needs-attention'
  | 'error'
  | 'not-signed-in'
  | 'cancelled'
  | 'server-full';

/** One run, as the background log keeps it. */
export interface SyncLogEntry {
  id?: number;
  trigger: SyncTrigger;
  startedAt: number;
  durationMs: number;
  upRecords: number;
  upBytes: number;
  downRecords: number;
  downBytes: number;
  outcome: SyncOutcome;
  error?: string;
  /** What the pull brought, for a notification that says what changed. */
  pulled?: { chunks: number; docs: Partial<Record<string, number>> };
  /** The browser's last try for this `sync` event: it gives up, the next trigger carries on. */
  lastChance?: boolean;
  /** For `backgroundfetch` entries: which transfer, and which event of it (`backgroundfetch${event}`). */
  transfer?: { id: string; direction: 'upload' | 'download'; event: 'success' | 'fail' | 'abort' | 'click' };
}

/** The storage a sync run needs. IndexedDB in the app (src/db/sync-store.ts); memory in unit tests. */
export interface SyncStore {
  getInflight(): Promise<InflightBatch | null>;
  /**
   * Up to `maxRecords` outbox records that are ready at `now`, in key order, with their content,
   * or null. With `after`, only records whose key sorts after it (the next batch, built while
   * the one ending at `after` is still on the wire).
   */
  takeBatch(
    maxRecords: number,
    now: number,
    after?: string | null,
  ): Promise<{ batch: SyncBatch; entries: InflightBatch['entries'] } | null>;
  saveInflight(batch: InflightBatch): Promise<void>;
  /** The server stored it: drop the inflight batch and the outbox entries it carried (unless changed since). */
  acknowledge(batch: InflightBatch, response: UploadBatchResponse): Promise<void>;
  /** The server refused it: keep it in the attention list, out of the outbox. */
  park(batch: InflightBatch, item: AttentionItem): Promise<void>;
  outboxSize(): Promise<number>;
  getCursor(): Promise<string | null>;
  /** Stores a pulled page and the cursor after it in one transaction. Returns records applied. */
  applyPull(page: SyncBatch, cursor: string): Promise<number>;
  getRetryAt(): Promise<number | null>;
  setRetryAt(at: number | null, reason?: string): Promise<void>;
  appendLog(entry: SyncLogEntry): Promise<void>;
}
