import type { Page } from 'playwright-core';
import type { TransferRecord } from '../../src/shared/backup';
import { LOCKS } from '../../src/shared/names';
import type { SyncLogEntry } from '../../src/shared/sync/sync-store';
import { grantAllPermissions, type LaunchOptions, launchBrowser, type TestBrowser, waitForController } from './browser';
import { builtAppDir } from './server';

/** The built app: STEADY_APP_DIR when set (a private build, safe from concurrent rebuilds of dist/), else dist/. */
export function appDir(): string {
  return process.env.STEADY_APP_DIR ?? builtAppDir();
}

/** What a test needs of a device's IndexedDB, read from the page. */
export type TransferView = Omit<TransferRecord, 'archive' | 'partial'> & { archiveBytes: number | null; partialBytes: number | null };

/** Opens the app at `origin` with every permission, a controlling service worker and an account. */
export async function openApp(origin: string, options: LaunchOptions & { initScript?: string } = {}): Promise<TestBrowser> {
  const browser = await launchBrowser(options);
  await grantAllPermissions(browser.browserCdp, origin);
  await browser.context.addInitScript(IDB_READERS);
  if (options.initScript) await browser.context.addInitScript(options.initScript);
  await browser.page.goto(`${origin}/settings`);
  // On a loaded machine the first install can take longer than waitForController allows: one reload, then give up.
  await waitForController(browser.page).catch(async () => {
    await browser.page.reload();
    await waitForController(browser.page);
  });
  await waitForAccount(browser.page);
  return browser;
}

/** Waits until the device has credentials in IndexedDB; answers them. */
export async function waitForAccount(page: Page): Promise<{ accountId: string; deviceId: string; deviceToken: string }> {
  await page.waitForFunction(
    () =>
      new Promise<boolean>((resolve) => {
        const open = indexedDB.open('steady');
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('meta')) return resolve(false);
          const get = db.transaction('meta').objectStore('meta').get('credentials');
          get.onsuccess = () => resolve(Boolean(get.result));
          get.onerror = () => resolve(false);
        };
        open.onerror = () => resolve(false);
      }),
    undefined,
    { timeout: 30_000, polling: 250 },
  );
  return page.evaluate(() => idbGet('meta', 'credentials') as Promise<{ accountId: string; deviceId: string; deviceToken: string }>);
}

/**
 * Writes `count` minute chunks of generated heart-rate data (random enough that gzip cannot
 * make them vanish) straight into IndexedDB, in transactions of 1,000.
 */
export async function seedChunks(
  page: Page,
  count: number,
  options: { start?: number; sourceId?: string; seed?: number } = {},
): Promise<void> {
  await page.evaluate(
    async ({ count, start, sourceId, seed }) => {
      let state = seed;
      const random = () => {
        state = (state * 16807) % 2147483647;
        return state / 2147483647;
      };
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('steady');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (let first = 0; first < count; first += 1000) {
        const tx = db.transaction('chunks', 'readwrite');
        const store = tx.objectStore('chunks');
        for (let i = first; i < Math.min(count, first + 1000); i++) {
          const minuteStart = start + i * 60_000;
          const chunk = {
            id: `${sourceId}|${minuteStart}`,
            sourceId,
            demo: false,
            minuteStart,
            intervalKind: 'rr',
            offsets: [] as number[],
            bpm: [] as number[],
            contact: [] as number[],
            intervalCounts: [] as number[],
            intervalsMs: [] as number[],
          };
          for (let s = 0; s < 60; s++) {
            const bpm = 55 + Math.floor(random() * 50);
            chunk.offsets.push(s * 1000 + Math.floor(random() * 900));
            chunk.bpm.push(bpm);
            chunk.contact.push(random() < 0.98 ? 1 : 0);
            const rr = Math.round(60_000 / bpm + (random() - 0.5) * 80);
            const two = random() < 0.2;
            chunk.intervalCounts.push(two ? 2 : 1);
            chunk.intervalsMs.push(rr, ...(two ? [rr + Math.floor(random() * 30)] : []));
          }
          store.put(chunk);
        }
        await new Promise<void>((resolve, reject) => {
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
      }
      db.close();
    },
    { count, start: options.start ?? Date.UTC(2025, 0, 1), sourceId: options.sourceId ?? 'armband-test', seed: options.seed ?? 42 },
  );
}

/** Every transfer in the device's IndexedDB, Blobs replaced by their sizes. */
export async function readTransfers(page: Page): Promise<TransferView[]> {
  return page.evaluate(async () => {
    const all = (await idbGetAll('transfers')) as (TransferRecord<Blob> & Record<string, unknown>)[];
    return all.map(({ archive, partial, ...rest }) => ({
      ...rest,
      archiveBytes: archive?.size ?? null,
      partialBytes: partial?.size ?? null,
    }));
  });
}

/** Waits for a transfer matching `predicate` (evaluated in Node on each poll) and answers it. */
export async function waitForTransfer(page: Page, predicate: (t: TransferView) => boolean, timeoutMs = 60_000): Promise<TransferView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await readTransfers(page)).find(predicate);
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(`no matching transfer within ${timeoutMs} ms; have ${JSON.stringify(await readTransfers(page), null, 1)}`);
    await page.waitForTimeout(200);
  }
}

export async function readSyncLog(page: Page): Promise<SyncLogEntry[]> {
  return page.evaluate(() => idbGetAll('syncLog') as Promise<SyncLogEntry[]>);
}

export async function countRecords(page: Page): Promise<{ chunks: number; docs: number; gaps: number }> {
  return page.evaluate(async () => ({
    chunks: await idbCount('chunks'),
    docs: await idbCount('docs'),
    gaps: await idbCount('gaps'),
  }));
}

/** Small IndexedDB readers installed in every page (addInitScript), so evaluate() bodies stay short. */
export const IDB_READERS = `
  function idbRequest(store, run) {
    return new Promise((resolve, reject) => {
      const open = indexedDB.open('steady');
      open.onsuccess = () => {
        const db = open.result;
        const request = run(db.transaction(store).objectStore(store));
        request.onsuccess = () => { resolve(request.result); db.close(); };
        request.onerror = () => { reject(request.error); db.close(); };
      };
      open.onerror = () => reject(open.error);
    });
  }
  globalThis.idbGet = (store, key) => idbRequest(store, (s) => s.get(key));
  globalThis.idbGetAll = (store) => idbRequest(store, (s) => s.getAll());
  globalThis.idbCount = (store) => idbRequest(store, (s) => s.count());
`;

declare global {
  function idbGet(store: string, key: string): Promise<unknown>;
  function idbGetAll(store: string): Promise<unknown[]>;
  function idbCount(store: string): Promise<number>;
}

/** Holds the sync run's Web Lock from page start, so no sync run pulls data behind a restore test's back. */
export const HOLD_SYNC_LOCK = `navigator.locks.request('${LOCKS.syncRun}', () => new Promise(() => {}));`;

/** Makes the browser look like one without Background Fetch (Firefox, Safari): the app must use tus and Range. */
export const NO_BACKGROUND_FETCH = `delete ServiceWorkerRegistration.prototype.backgroundFetch;`;

export type { TestBrowser };
