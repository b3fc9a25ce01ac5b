import type { Page } from 'playwright-core';
import type { DeviceCredentials } from '../../src/db/schema';
import { MINUTE_MS, type SampleChunk } from '../../src/shared/samples';
import type { AttentionItem, OutboxEntry, SyncLogEntry } from '../../src/shared/sync/sync-store';

/**
 * The app's IndexedDB as tests see it, through `page.evaluate` on a page of the app's origin.
 * The database is opened WITHOUT a version, so a test never triggers or races an upgrade: the
 * app must have opened (and so created) it first. Store names and record shapes are those of
 * src/db/schema.ts and src/db/sync-store.ts.
 */

/**
 * Opens `steady` at whatever version the app made, in the page. Installed in the page as
 * `__steadyOpenDb` by `installOpener` before each use (functions cross into the page as source).
 */
function openAppDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open('steady');
    request.onsuccess = () => {
      const db = request.result;
      if (db.objectStoreNames.contains('outbox')) return resolve(db);
      db.close();
      reject(new Error('the app has not created its database yet (no outbox store): open the app first'));
    };
    request.onerror = () => reject(request.error);
    request.onupgradeneeded = () => {
      // No database yet: creating one here would give the app a version-1 database without its stores.
      request.transaction?.abort();
      reject(new Error('no steady database yet: open the app first'));
    };
  });
}

/**
 * Stores chunks and their outbox entries in one transaction, exactly as the recorder does:
 * each entry `{key: 'chunk|'+id, kind: 'chunk', recordId: id, queuedAt, readyAt: minuteStart + 60 s}`.
 */
export async function putRecording(page: Page, chunks: SampleChunk[], queuedAt?: number): Promise<void> {
  // Sent as JSON in slices: Playwright's own argument serialisation is ten times slower for
  // thousands of small arrays.
  for (let i = 0; i < chunks.length; i += 2_000) {
    await installOpener(page);
    await page.evaluate(
      async ({ json, queuedAt: at, minute }) => {
        const slice = JSON.parse(json) as SampleChunk[];
        const db = await globalThis.__steadyOpenDb();
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
        await new Promise<void>((resolve, reject) => {
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error);
        });
        db.close();
      },
      { json: JSON.stringify(chunks.slice(i, i + 2_000)), queuedAt: queuedAt ?? null, minute: MINUTE_MS },
    );
  }
}

/** Defines `globalThis.__steadyOpenDb` in the page (again after a navigation); CDP evaluation is exempt from CSP. */
async function installOpener(page: Page): Promise<void> {
  await page.evaluate(`globalThis.__steadyOpenDb = ${String(openAppDb)}`);
}

declare global {
  var __steadyOpenDb: () => Promise<IDBDatabase>;
}

async function readAll<T>(page: Page, store: string, key?: string): Promise<T> {
  await installOpener(page);
  return page.evaluate(
    async ({ store: name, key: id }) => {
      const db = await globalThis.__steadyOpenDb();
      const os = db.transaction(name, 'readonly').objectStore(name);
      const request = id === null ? os.getAll() : os.get(id);
      const result = await new Promise((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      db.close();
      return result;
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
  for (let i = 0; i < chunks.length; i += 2_000) {
    await installOpener(page);
    await page.evaluate(
      async (json) => {
        const db = await globalThis.__steadyOpenDb();
        const tx = db.transaction('chunks', 'readwrite');
        for (const chunk of JSON.parse(json) as SampleChunk[]) tx.objectStore('chunks').put(chunk);
        await new Promise<void>((resolve, reject) => {
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error);
        });
        db.close();
      },
      JSON.stringify(chunks.slice(i, i + 2_000)),
    );
  }
}

/** Stores documents (`{kind, id, body}`) as a sync pull leaves them: key `${kind}|${id}`, nothing queued. */
export async function putSyncedDocs(page: Page, docs: { kind: string; id: string; body: Record<string, unknown> }[]): Promise<void> {
  await installOpener(page);
  await page.evaluate(async (json) => {
    const db = await globalThis.__steadyOpenDb();
    const tx = db.transaction('docs', 'readwrite');
    const now = Date.now();
    for (const doc of JSON.parse(json) as { kind: string; id: string; body: Record<string, unknown> }[]) {
      tx.objectStore('docs').put({ ...doc, key: `${doc.kind}|${doc.id}`, updatedAt: now });
    }
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    db.close();
  }, JSON.stringify(docs));
}
