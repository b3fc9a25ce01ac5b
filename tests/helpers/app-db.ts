import { DB_NAME, DB_VERSION, type DeviceCredentials } from '../../src/db/schema';
import { MINUTE_MS, type SampleChunk } from '../../src/shared/samples';
import type { AttentionItem, OutboxEntry, SyncLogEntry } from '../../src/shared/sync/sync-store';

/**
 * The app's IndexedDB as tests see it, through `page.evaluate` on a page of the app's origin.
 * The database is opened at the name and version src/db/schema.ts exports, and an upgrade is
 * refused, so a test never creates the database or races the app's upgrade: the app must have
 * opened it first. Store names and record shapes are those of src/db/schema.ts and src/db/sync-store.ts.
 */

/** A page of the app's origin: Playwright's and puppeteer's pages both fit. */
export interface Page {
  evaluate(expression: string): Promise<unknown>;
}

/** IndexedDB's callbacks as promises, for functions that `inAppDb` runs in the page. */
export interface PageIdb {
  /** The result of a request, or its error. */
  result<T>(request: IDBRequest<T>): Promise<T>;
  /** Resolves when the transaction commits, rejects when it aborts (a failed request aborts it). */
  done(tx: IDBTransaction): Promise<void>;
}

/** A function run in the page against the app's open database; it crosses as source, so it can use nothing from this file but its arguments. */
export type InAppDb<A, R> = (db: IDBDatabase, arg: A, idb: PageIdb) => R | Promise<R>;

/** Runs in the page: opens the database, runs `run`, closes it whatever happens. */
async function runInPage<A, R>(name: string, version: number, run: InAppDb<A, R>, arg: A): Promise<R> {
  const idb: PageIdb = {
    result: (request) =>
      new Promise((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      }),
    done: (tx) =>
      new Promise((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
      }),
  };
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name, version);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onupgradeneeded = () => {
      // No database yet (or an older one): upgrading here would give the app a database without its stores.
      request.transaction?.abort();
      reject(new Error(`no ${name} database at version ${version} yet: open the app first`));
    };
  });
  try {
    return await run(db, arg, idb);
  } finally {
    db.close();
  }
}

/**
 * Runs `run(db, arg, idb)` in the page against the app's database and answers its result.
 * `arg` and the result cross as JSON. Evaluated as an expression, which the app's CSP does not
 * apply to (it comes over CDP).
 */
export async function inAppDb<R, A = null>(page: Page, run: InAppDb<A, R>, arg?: A): Promise<R> {
  // tsx (the benches) compiles with keepNames, wrapping named functions in a `__name` helper the page lacks.
  const expression = `(globalThis.__name ??= (target) => target, (${String(runInPage)})(${JSON.stringify(DB_NAME)}, ${DB_VERSION}, ${String(run)}, ${JSON.stringify(arg ?? null)}))`;
  return (await page.evaluate(expression)) as R;
}

/** Whether the app's database exists at all (it does not before the first open, nor after "delete everything"). */
export async function appDbExists(page: Page): Promise<boolean> {
  return (await page.evaluate(`indexedDB.databases().then((all) => all.some((d) => d.name === ${JSON.stringify(DB_NAME)}))`)) as boolean;
}

/**
 * Stores chunks and their outbox entries in one transaction, exactly as the recorder does:
 * each entry `{key: 'chunk|'+id, kind: 'chunk', recordId: id, queuedAt, readyAt: minuteStart + 60 s}`.
 */
export async function putRecording(page: Page, chunks: SampleChunk[], queuedAt?: number): Promise<void> {
  // In slices, crossing as JSON (inAppDb): Playwright's own argument serialisation is ten times
  // slower for thousands of small arrays.
  for (let i = 0; i < chunks.length; i += 2_000) {
    await inAppDb(
      page,
      async (db, { slice, queuedAt: at, minute }, idb) => {
        const tx = db.transaction(['chunks', 'outbox'], 'readwrite');
        const now = at ?? Date.now();
        for (const chunk of slice) {
          tx.objectStore('chunks').put(chunk);
          tx.objectStore('outbox').put({
            key: `chunk|${chunk.id}`,
            kind: 'chunk',
            recordId: chunk.id,
            queuedAt: now,
            readyAt: chunk.minuteStart + minute,
          });
        }
        await idb.done(tx);
      },
      { slice: chunks.slice(i, i + 2_000), queuedAt: queuedAt ?? null, minute: MINUTE_MS },
    );
  }
}

/** One record of a store by key, or all of them without a key. */
function readAll<T>(page: Page, store: string, key?: string): Promise<T> {
  return inAppDb(
    page,
    (db, { store: name, key: id }, idb) => {
      const os = db.transaction(name, 'readonly').objectStore(name);
      return id === null ? idb.result(os.getAll()) : idb.result(os.get(id));
    },
    { store, key: key ?? null },
  ) as Promise<T>;
}

export const readOutbox = (page: Page) => readAll<OutboxEntry[]>(page, 'outbox');
/** Oldest first. */
export const readSyncLog = (page: Page) => readAll<SyncLogEntry[]>(page, 'syncLog');
export const readAttention = (page: Page) => readAll<AttentionItem[]>(page, 'attention');
export const readChunk = (page: Page, id: string) => readAll<SampleChunk | undefined>(page, 'chunks', id);
export const readCredentials = (page: Page) => readAll<DeviceCredentials | undefined>(page, 'meta', 'credentials');
export const readInflight = (page: Page) => readAll<{ batch: { batchId: string } } | undefined>(page, 'syncMeta', 'inflight');
export const readDoc = (page: Page, key: string) => readAll<{ body: Record<string, unknown> } | undefined>(page, 'docs', key);

/** Waits until the app has its account (created on first open while online). */
export async function waitForCredentials(page: Page, timeoutMs = 20_000): Promise<DeviceCredentials> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const credentials = await readCredentials(page).catch(() => undefined);
    if (credentials) return credentials;
    if (Date.now() > deadline) throw new Error('the app created no account');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until every one of `chunks` is stored on the device (brought by a sync the test did not start); answers them as stored. */
export async function waitForChunks(page: Page, chunks: SampleChunk[], timeoutMs = 20_000): Promise<SampleChunk[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stored = await Promise.all(chunks.map((chunk) => readChunk(page, chunk.id)));
    if (stored.every((chunk) => chunk !== undefined)) return stored as SampleChunk[];
    if (Date.now() > deadline) throw new Error(`${stored.filter((chunk) => !chunk).length} of ${chunks.length} chunks never arrived`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the sync log holds an entry that satisfies `predicate`; answers the whole log. */
export async function waitForLog(
  page: Page,
  predicate: (entry: SyncLogEntry, log: SyncLogEntry[]) => boolean,
  timeoutMs = 30_000,
): Promise<SyncLogEntry[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const log = await readSyncLog(page).catch(() => [] as SyncLogEntry[]);
    if (log.some((entry) => predicate(entry, log))) return log;
    if (Date.now() > deadline) throw new Error(`no matching sync log entry; log: ${JSON.stringify(log, null, 1)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Stores chunks as a sync pull leaves them: in `chunks` only, nothing queued for upload (so the
 * app does not spend the test sending them back). Same slicing as putRecording.
 */
export async function putSyncedChunks(page: Page, chunks: SampleChunk[]): Promise<void> {
  for (let i = 0; i < chunks.length; i += 2_000) await putRecords(page, 'chunks', chunks.slice(i, i + 2_000));
}

/** Puts `records` (with their keys in them) into one store of the app's database, in one transaction. */
export async function putRecords(page: Page, store: string, records: unknown[]): Promise<void> {
  await inAppDb(
    page,
    async (db, { store: name, records: list }, idb) => {
      const tx = db.transaction(name, 'readwrite');
      for (const record of list) tx.objectStore(name).put(record);
      await idb.done(tx);
    },
    { store, records },
  );
}

/** Stores documents (`{kind, id, body}`) as a sync pull leaves them: key `${kind}|${id}`, nothing queued. */
export async function putSyncedDocs(page: Page, docs: { kind: string; id: string; body: Record<string, unknown> }[]): Promise<void> {
  await inAppDb(
    page,
    async (db, records, idb) => {
      const tx = db.transaction('docs', 'readwrite');
      const now = Date.now();
      for (const doc of records) tx.objectStore('docs').put({ ...doc, key: `${doc.kind}|${doc.id}`, updatedAt: now });
      await idb.done(tx);
    },
    docs,
  );
}
