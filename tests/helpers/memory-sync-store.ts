import { MINUTE_MS, mergeChunks, type SampleChunk } from '../../src/shared/samples';
import type { DocKind, DocRecord, SyncBatch } from '../../src/shared/sync/batch-codec';
import type { AttentionItem, InflightBatch, OutboxEntry, SyncLogEntry, SyncStore } from '../../src/shared/sync/sync-store';

type StoredDoc = DocRecord & { key: string; updatedAt: number };

/**
 * The sync engine's storage in memory, with the semantics of IdbSyncStore (src/db/sync-store.ts):
 * outbox in key order, `readyAt` honoured, acknowledge/park drop only entries whose `queuedAt`
 * is unchanged, pulled chunks merged with local ones, pulled documents never overwrite a local
 * edit still queued. Values are copied in and out, as IndexedDB's structured clone does.
 */
export class MemorySyncStore implements SyncStore {
  readonly chunks = new Map<string, SampleChunk>();
  readonly docs = new Map<string, StoredDoc>();
  readonly outbox = new Map<string, OutboxEntry>();
  readonly attention = new Map<string, AttentionItem>();
  readonly log: SyncLogEntry[] = [];
  inflight: InflightBatch | null = null;
  cursor: string | null = null;
  retryAt: { at: number; reason: string } | null = null;

  /** Writes a chunk and queues it, as the recorder does in one transaction; ready once its minute is over. */
  recordChunk(chunk: SampleChunk, now = Date.now()): void {
    this.chunks.set(chunk.id, structuredClone(chunk));
    this.outbox.set(`chunk|${chunk.id}`, {
      key: `chunk|${chunk.id}`,
      kind: 'chunk',
      recordId: chunk.id,
      queuedAt: now,
      readyAt: chunk.minuteStart + MINUTE_MS,
    });
  }

  /** Saves a document and queues it, as src/db/docs.ts saveDoc does. */
  saveDoc(kind: DocKind, id: string, body: Record<string, unknown>, now = Date.now()): void {
    const key = `${kind}|${id}`;
    this.docs.set(key, { kind, id, body: structuredClone(body), key, updatedAt: now });
    this.outbox.set(key, { key, kind, recordId: id, queuedAt: now, readyAt: 0 });
  }

  async getInflight(): Promise<InflightBatch | null> {
    return this.inflight ? structuredClone(this.inflight) : null;
  }

  async takeBatch(maxRecords: number, now: number, after: string | null = null) {
    const ready: OutboxEntry[] = [];
    for (const key of [...this.outbox.keys()].sort()) {
      if (after !== null && key <= after) continue;
      const entry = this.outbox.get(key);
      if (entry && entry.readyAt <= now) ready.push({ ...entry });
      if (ready.length >= maxRecords) break;
    }
    if (ready.length === 0) return null;
    const batch: SyncBatch = { header: {}, chunks: [], docs: [] };
    for (const entry of ready) {
      if (entry.kind === 'chunk') {
        const chunk = this.chunks.get(entry.recordId);
        if (chunk) batch.chunks.push(structuredClone(chunk));
      } else {
        const doc = this.docs.get(entry.key);
        if (doc) batch.docs.push(structuredClone({ kind: doc.kind, id: doc.id, body: doc.body }));
      }
    }
    return { batch, entries: ready.map(({ key, queuedAt }) => ({ key, queuedAt })) };
  }

  async saveInflight(batch: InflightBatch): Promise<void> {
    this.inflight = structuredClone(batch);
  }

  async acknowledge(batch: InflightBatch): Promise<void> {
    this.dropEntries(batch.entries);
    this.inflight = null;
  }

  async park(batch: InflightBatch, item: AttentionItem): Promise<void> {
    this.attention.set(item.batchId, structuredClone(item));
    this.dropEntries(batch.entries);
    this.inflight = null;
  }

  private dropEntries(entries: InflightBatch['entries']): void {
    for (const e of entries) if (this.outbox.get(e.key)?.queuedAt === e.queuedAt) this.outbox.delete(e.key);
  }

  async outboxSize(): Promise<number> {
    return this.outbox.size;
  }

  async getCursor(): Promise<string | null> {
    return this.cursor;
  }

  async applyPull(page: SyncBatch, cursor: string): Promise<number> {
    for (const remote of page.chunks) {
      const mine = this.chunks.get(remote.id);
      this.chunks.set(remote.id, structuredClone(mine ? mergeChunks(mine, remote) : remote));
    }
    for (const doc of page.docs) {
      const key = `${doc.kind}|${doc.id}`;
      if (!this.outbox.has(key)) this.docs.set(key, { ...structuredClone(doc), key, updatedAt: Date.now() });
    }
    this.cursor = cursor;
    return page.chunks.length + page.docs.length;
  }

  async getRetryAt(): Promise<number | null> {
    return this.retryAt?.at ?? null;
  }

  async setRetryAt(at: number | null, reason = ''): Promise<void> {
    this.retryAt = at === null ? null : { at, reason };
  }

  async appendLog(entry: SyncLogEntry): Promise<void> {
    this.log.push({ ...structuredClone(entry), id: this.log.length + 1 });
  }
}
