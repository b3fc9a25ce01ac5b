import { mergeChunks } from '../shared/samples';
import type { DocRecord, SyncBatch } from '../shared/sync/batch-codec';
import type { AttentionItem, InflightBatch, OutboxEntry, SyncLogEntry, SyncStore } from '../shared/sync/sync-store';
import { openSteadyDb, type SteadyDb } from './schema';

/** How many runs the background log keeps. */
const LOG_KEEP = 500;

/** The outbox entry for a record; `readyAt` holds a chunk back until its minute is over. */
export function outboxEntry(kind: string, recordId: string, now: number, readyAt = 0): OutboxEntry {
  return { key: `${kind}|${recordId}`, kind, recordId, queuedAt: now, readyAt };
}

/** The device joined another account while a run was pulling: the run stops; the next one starts afresh. */
export class AccountChangedError extends Error {
  constructor() {
    super('this device joined another account during the run; the next run pulls that account from the start');
    this.name = 'AccountChangedError';
  }
}

/** The sync engine's storage over IndexedDB. Works in the page, Web Workers and the service worker. */
export class IdbSyncStore implements SyncStore {
  /**
   * `accountId`: the account the run syncs with. A pull page is only applied while this device
   * still belongs to it: a run that began before the device joined another account
   * (src/db/account-switch.ts) must not write its old account's cursor over the cleared one.
   */
  constructor(
    private readonly open: () => Promise<SteadyDb> = openSteadyDb,
    private readonly accountId: string | null = null,
  ) {}

  async getInflight(): Promise<InflightBatch | null> {
    const record = await (await this.open()).get('syncMeta', 'inflight');
    return record?.key === 'inflight' ? record.batch : null;
  }

  async takeBatch(maxRecords: number, now: number, afterKey: string | null = null) {
    const db = await this.open();
    const tx = db.transaction(['outbox', 'chunks', 'docs'], 'readonly');
    const outbox = tx.objectStore('outbox');
    const ready: OutboxEntry[] = [];
    // Pages of getAll in key order, not a cursor: one request per page instead of one per entry
    // (a week offline is 10,000 entries). Entries not ready yet are skipped over.
    for (let after = afterKey; ready.length < maxRecords; ) {
      const page: OutboxEntry[] = await outbox.getAll(
        after === null ? null : IDBKeyRange.lowerBound(after, true),
        maxRecords - ready.length,
      );
      for (const entry of page) if (entry.readyAt <= now) ready.push(entry);
      const last = page[page.length - 1];
      if (!last) break;
      after = last.key;
    }
    if (ready.length === 0) return null;
    const batch: SyncBatch = { header: {}, chunks: [], docs: [] };
    const contents = await Promise.all(
      ready.map((entry) => (entry.kind === 'chunk' ? tx.objectStore('chunks').get(entry.recordId) : tx.objectStore('docs').get(entry.key))),
    );
    contents.forEach((content, i) => {
      const entry = ready[i];
      if (!content || !entry) return; // deleted since it was queued: the entry just goes
      if (entry.kind === 'chunk') batch.chunks.push(content as SyncBatch['chunks'][number]);
      else {
        const { kind, id, body } = content as DocRecord;
        batch.docs.push({ kind, id, body });
      }
    });
    await tx.done;
    return { batch, entries: ready.map(({ key, queuedAt }) => ({ key, queuedAt })) };
  }

  async saveInflight(batch: InflightBatch): Promise<void> {
    await (await this.open()).put('syncMeta', { key: 'inflight', batch });
  }

  async acknowledge(batch: InflightBatch): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(['outbox', 'syncMeta'], 'readwrite');
    await this.dropEntries(tx.objectStore('outbox'), batch.entries);
    await tx.objectStore('syncMeta').delete('inflight');
    await tx.done;
  }

  async park(batch: InflightBatch, item: AttentionItem): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(['outbox', 'syncMeta', 'attention'], 'readwrite');
    await tx.objectStore('attention').put(item);
    await this.dropEntries(tx.objectStore('outbox'), batch.entries);
    await tx.objectStore('syncMeta').delete('inflight');
    await tx.done;
  }

  /**
   * Removes outbox entries a batch carried, unless the record changed (was queued again) since.
   * A batch is a run of neighbouring keys, so its entries are read with one getAll over its key
   * range and, when nothing else sits in that range, deleted with one request too: thousands of
   * single gets and deletes took most of a run's time.
   */
  private async dropEntries(
    outbox: { getAll(query: IDBKeyRange): Promise<OutboxEntry[]>; delete(key: string | IDBKeyRange): Promise<void> },
    entries: InflightBatch['entries'],
  ): Promise<void> {
    const sent = new Map(entries.map((e) => [e.key, e.queuedAt]));
    const keys = [...sent.keys()].sort(); // code-unit order, as IndexedDB orders string keys
    const first = keys[0];
    const last = keys[keys.length - 1];
    if (first === undefined || last === undefined) return;
    const range = IDBKeyRange.bound(first, last);
    const current = await outbox.getAll(range);
    const unchanged = current.filter((entry) => sent.get(entry.key) === entry.queuedAt);
    if (unchanged.length === current.length) await outbox.delete(range);
    else await Promise.all(unchanged.map((entry) => outbox.delete(entry.key)));
  }

  async outboxSize(): Promise<number> {
    return (await this.open()).count('outbox');
  }

  async getCursor(): Promise<string | null> {
    const record = await (await this.open()).get('syncMeta', 'cursor');
    return record?.key === 'cursor' ? record.cursor : null;
  }

  async applyPull(page: SyncBatch, cursor: string): Promise<number> {
    const db = await this.open();
    const tx = db.transaction(['chunks', 'docs', 'outbox', 'syncMeta', 'meta'], 'readwrite');
    if (this.accountId !== null && (await tx.objectStore('meta').get('credentials'))?.accountId !== this.accountId) {
      tx.abort();
      throw new AccountChangedError();
    }
    const chunks = tx.objectStore('chunks');
    const local = await Promise.all(page.chunks.map((c) => chunks.get(c.id)));
    const writes: Promise<unknown>[] = page.chunks.map((remote, i) => {
      const mine = local[i];
      // Both sides keep every sample: this device may hold minutes the other has not sent.
      return chunks.put(mine ? mergeChunks(mine, remote) : remote);
    });
    const docs = tx.objectStore('docs');
    const pending = await Promise.all(page.docs.map((d) => tx.objectStore('outbox').get(`${d.kind}|${d.id}`)));
    page.docs.forEach((doc, i) => {
      // A local edit still waiting to go up is newer in server order than anything pulled now.
      if (!pending[i]) writes.push(docs.put({ ...doc, key: `${doc.kind}|${doc.id}`, updatedAt: Date.now() }));
    });
    writes.push(tx.objectStore('syncMeta').put({ key: 'cursor', cursor }));
    await Promise.all(writes);
    await tx.done;
    return page.chunks.length + page.docs.length;
  }

  async getRetryAt(): Promise<number | null> {
    const record = await (await this.open()).get('syncMeta', 'retryAt');
    return record?.key === 'retryAt' ? record.at : null;
  }

  async setRetryAt(at: number | null, reason = ''): Promise<void> {
    const db = await this.open();
    if (at === null) await db.delete('syncMeta', 'retryAt');
    else await db.put('syncMeta', { key: 'retryAt', at, reason });
  }

  async appendLog(entry: SyncLogEntry): Promise<void> {
    const db = await this.open();
    const tx = db.transaction('syncLog', 'readwrite');
    await tx.store.add(entry);
    const excess = (await tx.store.count()) - LOG_KEEP;
    if (excess > 0) {
      let cursor = await tx.store.openCursor();
      for (let i = 0; i < excess && cursor; i++) {
        await cursor.delete();
        cursor = await cursor.continue();
      }
    }
    await tx.done;
  }
}

/** Puts a refused batch's records back in the outbox, to go up with the next run. */
export async function retryAttentionItem(batchId: string, now = Date.now()): Promise<void> {
  const db = await openSteadyDb();
  const tx = db.transaction(['attention', 'outbox'], 'readwrite');
  const item = await tx.objectStore('attention').get(batchId);
  if (item) {
    for (const key of item.keys) {
      const [kind = '', ...rest] = key.split('|');
      await tx.objectStore('outbox').put(outboxEntry(kind, rest.join('|'), now));
    }
    await tx.objectStore('attention').delete(batchId);
  }
  await tx.done;
}
