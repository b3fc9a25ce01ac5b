import type { Page } from 'playwright-core';
import type { TransferRecord } from '../../src/shared/backup';
import { LOCKS } from '../../src/shared/names';
import { inAppDb, waitForCredentials } from './app-db';
import { startTransferProxy, type TransferProxy } from './backup-proxy';
import { grantAllPermissions, type LaunchOptions, launchBrowser, type TestBrowser, waitForController } from './browser';
import { builtAppDir, startTestServer, type TestServer } from './server';

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
  if (options.initScript) await browser.context.addInitScript(options.initScript);
  await browser.page.goto(`${origin}/settings`);
  // On a loaded machine the first install can take longer than waitForController allows: one reload, then give up.
  await waitForController(browser.page).catch(async () => {
    await browser.page.reload();
    await waitForController(browser.page);
  });
  await waitForCredentials(browser.page, 30_000);
  return browser;
}

/** A server, the transfer proxy the app reaches it through, and the app open through the proxy with an account and seeded chunks. */
export interface BackupStack {
  /** Replace it after `server.restart()`, so that `close` stops the one running. */
  server: TestServer;
  proxy: TransferProxy;
  browser: TestBrowser;
  token: string;
  accountId: string;
  close(): Promise<void>;
}

/** Starts a BackupStack: the origin on `ports.origin` (fixed, so storage survives a restart), the server on `ports.server`. */
export async function openBackupStack(
  ports: { origin: number; server: number },
  chunks: number,
  options: { initScript?: string } = {},
): Promise<BackupStack> {
  const stack: Partial<BackupStack> = {};
  const close = async () => {
    await stack.browser?.close();
    await stack.proxy?.close();
    await stack.server?.dispose();
  };
  try {
    stack.server = await startTestServer({ staticDir: appDir(), port: ports.server });
    stack.proxy = await startTransferProxy(ports.origin, () => ports.server);
    stack.browser = await openApp(stack.proxy.url, options);
    const { deviceToken: token, accountId } = await waitForCredentials(stack.browser.page);
    await seedChunks(stack.browser.page, chunks);
    return Object.assign(stack, { token, accountId, close }) as BackupStack;
  } catch (error) {
    await close();
    throw error;
  }
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
  await inAppDb(
    page,
    async (db, { count, start, sourceId, seed }, idb) => {
      let state = seed;
      const random = () => {
        state = (state * 16807) % 2147483647;
        return state / 2147483647;
      };
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
        await idb.done(tx);
      }
    },
    { count, start: options.start ?? Date.UTC(2025, 0, 1), sourceId: options.sourceId ?? 'armband-test', seed: options.seed ?? 42 },
  );
}

/** Every transfer in the device's IndexedDB, Blobs replaced by their sizes. */
export async function readTransfers(page: Page): Promise<TransferView[]> {
  return inAppDb(page, async (db, _, idb) => {
    const all = (await idb.result(db.transaction('transfers').objectStore('transfers').getAll())) as (TransferRecord<Blob> &
      Record<string, unknown>)[];
    return all.map(({ archive, partial, ...rest }) => ({
      ...rest,
      archiveBytes: archive?.size ?? null,
      partialBytes: partial?.size ?? null,
    }));
  }) as Promise<TransferView[]>;
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

/** How many chunks, documents and gaps the device holds. */
export async function countRecords(page: Page): Promise<{ chunks: number; docs: number; gaps: number }> {
  return inAppDb(page, async (db, _, idb) => {
    const count = (store: string) => idb.result(db.transaction(store).objectStore(store).count());
    return { chunks: await count('chunks'), docs: await count('docs'), gaps: await count('gaps') };
  });
}

/** Holds the sync run's Web Lock from page start, so no sync run pulls data behind a restore test's back. */
export const HOLD_SYNC_LOCK = `navigator.locks.request('${LOCKS.syncRun}', () => new Promise(() => {}));`;

/** Makes the browser look like one without Background Fetch (Firefox, Safari): the app must use tus and Range. */
export const NO_BACKGROUND_FETCH = `delete ServiceWorkerRegistration.prototype.backgroundFetch;`;

export type { TestBrowser };
