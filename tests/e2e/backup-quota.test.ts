import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListBackupsResponse } from '../../src/shared/backup';
import {
  appDir,
  NO_BACKGROUND_FETCH,
  openApp,
  seedChunks,
  type TestBrowser,
  waitForAccount,
  waitForTransfer,
} from '../helpers/backup-browser';
import { startTransferProxy, type TransferProxy } from '../helpers/backup-proxy';
import { startTestServer, type TestServer } from '../helpers/server';

// The account's backup space as the user meets it: the server keeps only the newest backup
// (BACKUP_KEEP_COUNT=1) and says which one it removed; a backup that does not fit is refused
// before it is sent, with what to do (the app checks the quota the server lists, because a
// refused Background Fetch does not show the service worker the server's message; the server's
// own refusal: tests/server/hostile-backups.test.ts); a stored backup can be deleted. Both upload paths: tus in
// the page (no Background Fetch) and Background Fetch through the service worker.
const TUS_PORT = 18451;
const FETCH_PORT = 18452;
/** Room for a backup of the first seed (~100 KB), not for one of ten times as much. */
const QUOTA = 400 * 1024;

let server: TestServer;
/** A second origin for the same server, so the second browser is a device of its own. */
let proxy: TransferProxy;
const open: TestBrowser[] = [];

beforeAll(async () => {
  server = await startTestServer({
    staticDir: appDir(),
    port: TUS_PORT,
    env: { BACKUP_KEEP_COUNT: '1', BACKUP_QUOTA_BYTES: String(QUOTA) },
  });
  proxy = await startTransferProxy(FETCH_PORT, () => TUS_PORT);
});

afterAll(async () => {
  for (const browser of open) await browser.close();
  await proxy?.close();
  await server?.dispose();
});

async function storedBackups(token: string): Promise<ListBackupsResponse['backups']> {
  const response = await fetch(`${server.url}/api/backups`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as ListBackupsResponse).backups;
}

/** Clicks "Back up everything" and waits for the new transfer to end. */
async function backUp(browser: TestBrowser, known: Set<string>) {
  await browser.page.getByRole('button', { name: 'Back up everything' }).click();
  const ended = await waitForTransfer(browser.page, (t) => !known.has(t.id) && (t.state === 'done' || t.state === 'failed'), 60_000);
  known.add(ended.id);
  return ended;
}

describe.each([
  ['tus, in the page', TUS_PORT, NO_BACKGROUND_FETCH],
  ['Background Fetch', FETCH_PORT, undefined],
] as const)('backup space (%s)', (_name, port, initScript) => {
  it('reports the backup the server removed, refuses one that does not fit with what to do, and deletes on request', async () => {
    const origin = port === TUS_PORT ? server.url : proxy.url;
    const browser = await openApp(origin, initScript ? { initScript } : {});
    open.push(browser);
    const { page } = browser;
    const { deviceToken } = await waitForAccount(page);
    await seedChunks(page, 200);
    const known = new Set<string>();

    const first = await backUp(browser, known);
    expect(first).toMatchObject({ state: 'done', error: null, removed: [] });
    const second = await backUp(browser, known);
    expect(second).toMatchObject({ state: 'done', error: null, removed: [expect.objectContaining({ id: first.id })] });
    expect((await storedBackups(deviceToken)).map((backup) => backup.id)).toEqual([second.id]);
    const row = page.getByTestId('transfer').filter({ has: page.getByTestId('transfer-removed') });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('transfer-removed').textContent()).toMatch(
      /keeps your 1 newest backups, so it removed the one of .+ \(\d/,
    );
    expect(await page.getByTestId('backup-quota').textContent()).toMatch(/ of 400\.0 KB used\. The server keeps your 1 newest backups/);

    // Ten times the data: the archive no longer fits, and the server says so before any byte is sent.
    await seedChunks(page, 2000, { start: Date.UTC(2025, 5, 1), seed: 7 });
    const refused = await backUp(browser, known);
    expect(refused.state).toBe('failed');
    expect(refused.error).toMatch(/does not fit in .+ of backup space.*Delete older backups/);
    expect(refused.archiveBytes).toBeGreaterThan(QUOTA); // kept on the device for a retry
    const failedRow = page.locator(`[data-testid="transfer"][data-state="failed"]`);
    await expect.poll(async () => ((await failedRow.textContent()) ?? '').includes('Delete older backups')).toBe(true);
    expect((await storedBackups(deviceToken)).map((backup) => backup.id)).toEqual([second.id]);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: /^Delete the backup of / }).click();
    await expect.poll(() => storedBackups(deviceToken)).toEqual([]);
    await expect.poll(() => page.getByTestId('backup-quota').count()).toBe(0);
  });
});
