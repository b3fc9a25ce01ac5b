import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListBackupsResponse } from '../../src/shared/backup';
import { waitForCredentials } from '../helpers/app-db';
import { appDir, NO_BACKGROUND_FETCH, openApp, seedChunks, type TestBrowser, waitForTransfer } from '../helpers/backup-browser';
import { startTransferProxy, type TransferProxy } from '../helpers/backup-proxy';
import { startTestServer, type TestServer } from '../helpers/server';

// The account's backup space as the user meets it: the server keeps the two newest backups
// (BACKUP_KEEP_COUNT=2) and says which one it removed; a backup that does not fit is refused
// before it is sent, with what to do (the app checks the quota the server lists, because a
// refused Background Fetch does not show the service worker the server's message; the server's
// own refusal: tests/server/hostile-backups.test.ts); a stored backup can be deleted. Both upload paths: tus in
// the page (no Background Fetch) and Background Fetch through the service worker.
const TUS_PORT = 18451;
const FETCH_PORT = 18452;
/** Room for two backups of the first seed (~80 KB each), or one of four times as much alone, not beside one. */
const QUOTA = 360 * 1024;
/** The card as it ends up, for a person to look at (as in backup-ui.test.ts). */
const SHOTS = process.env.STEADY_SCREENSHOTS ?? path.join(os.tmpdir(), 'steady-transfers-ui');

let server: TestServer;
/** A second origin for the same server, so the second browser is a device of its own. */
let proxy: TransferProxy;
const open: TestBrowser[] = [];

beforeAll(async () => {
  server = await startTestServer({
    staticDir: appDir(),
    port: TUS_PORT,
    env: { BACKUP_KEEP_COUNT: '2', BACKUP_QUOTA_BYTES: String(QUOTA) },
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
] as const)('backup space (%s)', (name, port, initScript) => {
  it('reports the backup the server removed, refuses one that does not fit with what to do, and takes it once that is done', async () => {
    const origin = port === TUS_PORT ? server.url : proxy.url;
    const browser = await openApp(origin, initScript ? { initScript } : {});
    open.push(browser);
    const { page } = browser;
    const { deviceToken } = await waitForCredentials(page);
    const stored = async () => (await storedBackups(deviceToken)).map((backup) => backup.id);
    await seedChunks(page, 200); // an archive of about 80 KB
    const known = new Set<string>();

    const first = await backUp(browser, known);
    expect(first).toMatchObject({ state: 'done', error: null, removed: [] });
    const second = await backUp(browser, known);
    const third = await backUp(browser, known);
    expect(second).toMatchObject({ state: 'done', removed: [] });
    expect(third).toMatchObject({ state: 'done', error: null, removed: [expect.objectContaining({ id: first.id })] });
    expect(await stored()).toEqual([third.id, second.id]);
    const row = page.getByTestId('transfer').filter({ has: page.getByTestId('transfer-removed') });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('transfer-removed').textContent()).toMatch(
      /keeps your 2 newest backups, so it removed the one of .+ \(\d/,
    );
    expect(await page.getByTestId('backup-quota').textContent()).toMatch(/ of 360\.0 KB used\. The server keeps your 2 newest backups/);

    // Four times the data (about 330 KB): it fits alone, not beside the newest backup, which would stay.
    await seedChunks(page, 600, { start: Date.UTC(2025, 5, 1), seed: 7 });
    const refused = await backUp(browser, known);
    expect(refused.state).toBe('failed');
    expect(refused.error).toMatch(
      /does not fit in your 360\.0 KB of backup space beside the .+ kept on the server\. Delete older backups below/,
    );
    expect(refused.archiveBytes).toBeLessThan(QUOTA);
    const failedRow = page.locator(`[data-testid="transfer"][data-state="failed"]`);
    await expect.poll(async () => ((await failedRow.textContent()) ?? '').includes('Delete older backups')).toBe(true);
    expect(await stored()).toEqual([third.id, second.id]);
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.locator('#transfers').screenshot({ path: path.join(SHOTS, `quota-${name.split(',')[0]?.replace(/\W+/g, '-')}.png`) });

    // What the message says: delete the older backups (each after a confirm), then retry.
    page.on('dialog', (dialog) => void dialog.accept());
    for (const left of [1, 0]) {
      await page
        .getByRole('button', { name: /^Delete the backup of / })
        .first()
        .click();
      await expect.poll(async () => (await stored()).length).toBe(left);
    }
    await expect.poll(() => page.getByTestId('backup-quota').count()).toBe(0);
    await failedRow.getByRole('button', { name: 'Retry' }).click();
    const retried = await waitForTransfer(page, (t) => t.id === refused.id && t.state === 'done', 60_000);
    expect(retried).toMatchObject({ error: null, removed: [] });
    expect(await stored()).toEqual([refused.id]);
  });
});
