import { ApiRequestError, type FetchLike, NetworkError, request } from '../http-client';
import { pathOf, type ResponseOf, ROUTES, urlOf } from '../routes';
import { BATCH_LIMITS, decodeBatch, encodeBatch, type SyncBatch } from './batch-codec';
import { type PullHeader, QUOTA_RECORDS, SYNC_MEDIA_TYPE } from './protocol';
import type { InflightBatch, SyncLogEntry, SyncStore, SyncTrigger } from './sync-store';

export interface SyncRunOptions {
  store: SyncStore;
  fetch: FetchLike;
  /** '' for same-origin. */
  baseUrl: string;
  token: string;
  trigger: SyncTrigger;
  compress(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>>;
  decompress(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>>;
  newBatchId(): string;
  now?: () => number;
  signal?: AbortSignal;
  /** Records per upload batch: thousands of minute chunks compress to a few hundred KB. */
  maxRecordsPerBatch?: number;
  /** The browser's last attempt of a `sync` event. */
  lastChance?: boolean;
}

/** Stops a run early; the log entry says why. */
class RunStopped extends Error {
  constructor(
    readonly outcome: SyncLogEntry['outcome'],
    message: string,
  ) {
    super(message);
  }
}

/**
 * One sync run: push the outbox up in bounded batches, then pull what other devices changed,
 * saving progress after every batch and page so a run cut short resumes where it stopped.
 * Callers hold the sync-run lock (`LOCKS.syncRun`, src/db/sync-runner.ts) so that one run happens at a time.
 * Never throws for network or server trouble: the outcome is in the returned log entry,
 * which is also appended to the store's log.
 */
export async function runSync(options: SyncRunOptions): Promise<SyncLogEntry> {
  const now = options.now ?? Date.now;
  const entry: SyncLogEntry = {
    trigger: options.trigger,
    startedAt: now(),
    durationMs: 0,
    upRecords: 0,
    upBytes: 0,
    downRecords: 0,
    downBytes: 0,
    outcome: 'ok',
    ...(options.lastChance ? { lastChance: true } : {}),
  };
  let parked = false;
  try {
    const retryAt = await options.store.getRetryAt();
    if (retryAt !== null && retryAt > now() && options.trigger !== 'manual') {
      throw new RunStopped('retry-later', `the server asked to wait until ${new Date(retryAt).toISOString()}`);
    }
    parked = await pushOutbox(options, entry, now);
    await pullChanges(options, entry);
    await options.store.setRetryAt(null);
    if (parked) entry.outcome = 'needs-attention';
    else if (entry.upRecords === 0 && entry.downRecords === 0) entry.outcome = 'nothing-to-do';
  } catch (error) {
    const { outcome, message } = classify(error);
    entry.outcome = outcome;
    entry.error = message;
    if (error instanceof ApiRequestError && error.retryable) {
      const waitMs = error.retryAfter !== null ? error.retryAfter * 1000 : 0;
      if (waitMs > 0) await options.store.setRetryAt(now() + waitMs, message);
    }
  }
  entry.durationMs = now() - entry.startedAt;
  await options.store.appendLog(entry);
  return entry;
}

function classify(error: unknown): { outcome: SyncLogEntry['outcome']; message: string } {
  if (error instanceof RunStopped) return { outcome: error.outcome, message: error.message };
  if (error instanceof NetworkError) return { outcome: 'offline', message: error.message };
  if (error instanceof ApiRequestError) {
    if (error.status === 401) return { outcome: 'not-signed-in', message: `${error.message} (HTTP 401)` };
    return { outcome: error.retryable ? 'retry-later' : 'error', message: `${error.message} (HTTP ${error.status})` };
  }
  if (error instanceof Error && error.name === 'AbortError') return { outcome: 'error', message: 'cancelled' };
  return { outcome: 'error', message: error instanceof Error ? error.message : String(error) };
}

/**
 * Uploads until the outbox has nothing ready. Returns true when some batch was parked.
 * While one batch is on the wire, the next is read, encoded and compressed from the records
 * after it, so reading IndexedDB and waiting for the server overlap (a week offline is five
 * batches); it becomes the batch in flight only once the one before is acknowledged.
 */
async function pushOutbox(options: SyncRunOptions, entry: SyncLogEntry, now: () => number): Promise<boolean> {
  const { store } = options;
  let parked = false;
  let inflight = await store.getInflight();
  let next: Promise<InflightBatch | null> | null = null;
  for (;;) {
    options.signal?.throwIfAborted();
    if (!inflight) {
      // What was built during the last upload; else a fresh look at the whole outbox, which also
      // finds records queued meanwhile under keys before the last batch's.
      inflight = (await next) ?? (await buildBatch(options, now, null));
      next = null;
      if (!inflight) return parked;
      // Saved before it is sent: if the answer is lost, the same bytes go again under the same id.
      await store.saveInflight(inflight);
    }
    const sending = inflight;
    inflight = null;
    const answer = upload(options, sending);
    next = buildBatch(options, now, lastKey(sending));
    // Dropped unused when this upload fails; its own failure then does not matter.
    next.catch(() => undefined);
    try {
      const response = await answer;
      await store.acknowledge(sending, response);
      entry.upRecords += sending.records;
      entry.upBytes += sending.body.byteLength;
    } catch (error) {
      // The account is full on the server: retrying cannot help, and parking would hide the
      // data from the next run. Stop; the batch stays in flight and the outbox as it is.
      if (error instanceof ApiRequestError && error.code === QUOTA_RECORDS) throw new RunStopped('server-full', error.message);
      if (!(error instanceof ApiRequestError) || error.retryable || error.status === 401 || error.status === 403) throw error;
      // The server will refuse this batch again whatever we do: keep it for the user, go on.
      await store.park(sending, {
        batchId: sending.batchId,
        keys: sending.entries.map((e) => e.key),
        records: sending.records,
        status: error.status,
        code: error.code,
        reason: error.message,
        at: now(),
      });
      parked = true;
    }
  }
}

/** Takes the next ready records (after the key `after`, when given) and encodes them; null when none. */
async function buildBatch(options: SyncRunOptions, now: () => number, after: string | null): Promise<InflightBatch | null> {
  const whole = await options.store.takeBatch(options.maxRecordsPerBatch ?? 2_000, now(), after);
  if (!whole) return null;
  const taken = withinLimits(whole);
  return {
    batchId: options.newBatchId(),
    body: await options.compress(encodeBatch(taken.batch)),
    entries: taken.entries,
    records: taken.batch.chunks.length + taken.batch.docs.length,
    createdAt: now(),
  };
}

/** Bytes of documents a batch carries at most: half the header the server reads. */
const DOC_BYTES_PER_BATCH = BATCH_LIMITS.headerBytes / 2;

/**
 * The longest run of the taken records, in key order, that the server's BATCH_LIMITS accept
 * (always at least one record); the rest stay in the outbox for the next batch, which starts
 * after this one's last key. A chunk is at most CHUNK_LIMITS, so one alone always fits.
 */
export function withinLimits(taken: { batch: SyncBatch; entries: InflightBatch['entries'] }): typeof taken {
  const chunks = new Map(taken.batch.chunks.map((c) => [`chunk|${c.id}`, c]));
  const docs = new Map(taken.batch.docs.map((d) => [`${d.kind}|${d.id}`, d]));
  const batch: SyncBatch = { header: taken.batch.header, chunks: [], docs: [] };
  const entries: InflightBatch['entries'] = [];
  let samples = 0;
  let intervals = 0;
  let docBytes = 0;
  for (const entry of taken.entries) {
    const chunk = chunks.get(entry.key);
    const doc = docs.get(entry.key);
    const size = doc ? JSON.stringify(doc.body).length : 0;
    const full =
      batch.chunks.length + (chunk ? 1 : 0) > BATCH_LIMITS.chunks ||
      batch.docs.length + (doc ? 1 : 0) > BATCH_LIMITS.docs ||
      samples + (chunk?.offsets.length ?? 0) > BATCH_LIMITS.samples ||
      intervals + (chunk?.intervalsMs.length ?? 0) > BATCH_LIMITS.intervals ||
      docBytes + size > DOC_BYTES_PER_BATCH;
    if (full && entries.length > 0) break;
    entries.push(entry);
    if (chunk) {
      batch.chunks.push(chunk);
      samples += chunk.offsets.length;
      intervals += chunk.intervalsMs.length;
    }
    if (doc) {
      batch.docs.push(doc);
      docBytes += size;
    }
  }
  return { batch, entries };
}

/** The greatest outbox key a batch carries (keys compare by code unit, as in IndexedDB). */
function lastKey(batch: InflightBatch): string {
  return (
    batch.entries
      .map((e) => e.key)
      .sort()
      .at(-1) ?? ''
  );
}

async function upload(options: SyncRunOptions, batch: InflightBatch): Promise<ResponseOf<'uploadBatch'>> {
  const response = await request(options.fetch, options.baseUrl + pathOf('uploadBatch', { batchId: batch.batchId }), {
    method: ROUTES.uploadBatch.method,
    headers: { 'content-type': SYNC_MEDIA_TYPE, authorization: `Bearer ${options.token}` },
    body: batch.body,
    signal: options.signal,
  });
  return (await answerBody(() => response.json())) as ResponseOf<'uploadBatch'>;
}

/**
 * Reads an answer's body. A connection cut after the status arrived (the server committed, the
 * rest was lost) is a network failure like any other: the run stops as offline and the batch
 * stays in flight, rather than ending as an unexplained error.
 */
async function answerBody<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') throw error;
    throw new NetworkError(`the answer was cut off (${String(error)})`, { cause: error });
  }
}

async function pullChanges(options: SyncRunOptions, entry: SyncLogEntry): Promise<void> {
  for (;;) {
    options.signal?.throwIfAborted();
    const cursor = await options.store.getCursor();
    const response = await request(options.fetch, options.baseUrl + urlOf('pullChanges', undefined, { cursor: cursor || undefined }), {
      headers: { authorization: `Bearer ${options.token}`, accept: SYNC_MEDIA_TYPE },
      signal: options.signal,
    });
    const compressed = new Uint8Array(await answerBody(() => response.arrayBuffer()));
    const page = decodeBatch(await options.decompress(compressed));
    const header = page.header as Partial<PullHeader>;
    if (typeof header.cursor !== 'string') throw new Error('pull page without a cursor');
    entry.downRecords += await options.store.applyPull(page, header.cursor);
    entry.pulled ??= { chunks: 0, docs: {} };
    const pulled = entry.pulled;
    pulled.chunks += page.chunks.length;
    for (const doc of page.docs) pulled.docs[doc.kind] = (pulled.docs[doc.kind] ?? 0) + 1;
    entry.downBytes += compressed.byteLength;
    if (!header.more) return;
  }
}
