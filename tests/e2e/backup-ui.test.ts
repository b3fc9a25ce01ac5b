import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransferRecord } from '../../src/shared/backup';
import { putRecords } from '../helpers/app-db';
import { appDir, openApp, seedChunks, type TestBrowser, waitForTransfer } from '../helpers/backup-browser';
import { startTransferProxy, type TransferProxy } from '../helpers/backup-proxy';
import { startTestServer, type TestServer } from '../helpers/server';

// The Transfers card in every state, on a phone and a desktop, light and dark. Screenshots go
// to STEADY_SCREENSHOTS (default: a temp folder) for a person to look at; the test checks
// that nothing overflows its card and that every figure a person needs is there.
const ORIGIN_PORT = 18441;
const SERVER_PORT = 18442;
const SHOTS = process.env.STEADY_SCREENSHOTS ?? path.join(os.tmpdir(), 'steady-transfers-ui');

const VIEWS = [
  { name: 'phone-light', viewport: { width: 412, height: 915 }, colorScheme: 'light' },
  { name: 'phone-dark', viewport: { width: 412, height: 915 }, colorScheme: 'dark' },
  { name: 'desktop-light', viewport: { width: 1280, height: 800 }, colorScheme: 'light' },
  { name: 'desktop-dark', viewport: { width: 1280, height: 800 }, colorScheme: 'dark' },
] as const;

let server: TestServer;
let proxy: TransferProxy;
const open: TestBrowser[] = [];

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  server = await startTestServer({ staticDir: appDir(), port: SERVER_PORT });
  proxy = await startTransferProxy(ORIGIN_PORT, () => SERVER_PORT);
});

afterAll(async () => {
  for (const browser of open) await browser.close();
  await proxy?.close();
  await server?.dispose();
});

/** Finished, failed and cancelled transfers of every kind, as the app would have left them. */
function pastTransfers(now: number): TransferRecord<null>[] {
  const base = {
    fetchId: null,
    attempt: 1,
    sha256: 'ab'.repeat(32),
    archive: null,
    partial: null,
    backupId: null,
    counts: null,
    imported: null,
    error: null,
    cancelRequested: false,
    finishedAt: now,
  } as const;
  return [
    {
      ...base,
      id: 'past-1',
      direction: 'upload',
      source: 'device',
      mode: 'background-fetch',
      state: 'done',
      bytesDone: 6_300_000,
      bytesTotal: 6_300_000,
      counts: { chunks: 16_000, gaps: 12, docs: 140 },
      createdAt: now - 86_400_000,
      updatedAt: now,
    },
    {
      ...base,
      id: 'past-2',
      direction: 'download',
      source: 'history',
      mode: 'background-fetch',
      state: 'done',
      bytesDone: 2_100_000,
      bytesTotal: 2_100_000,
      imported: { chunks: 3000, gaps: 0, docs: 25, created: 2990, merged: 10, unchanged: 25 },
      createdAt: now - 7_200_000,
      updatedAt: now,
    },
    {
      ...base,
      id: 'past-3',
      direction: 'upload',
      source: 'device',
      mode: 'tus',
      state: 'failed',
      bytesDone: 2_500_000,
      bytesTotal: 6_300_000,
      error: 'HTTP 422: archive SHA-256 is 3f1c…, the client declared 9b2e…',
      createdAt: now - 3_600_000,
      updatedAt: now,
    },
    {
      ...base,
      id: 'past-4',
      direction: 'download',
      source: 'stored-backup',
      mode: 'ranged',
      state: 'aborted',
      bytesDone: 900_000,
      bytesTotal: 6_300_000,
      createdAt: now - 1_800_000,
      updatedAt: now,
    },
  ];
}

describe('the Transfers card', () => {
  it.each(VIEWS)('reads well on $name', async ({ name, viewport, colorScheme }) => {
    const browser = await openApp(proxy.url, { viewport, colorScheme });
    open.push(browser);
    const { page } = browser;
    await putRecords(page, 'transfers', pastTransfers(Date.now()));
    await seedChunks(page, 12_000);
    // A live one: a backup going up slowly, so speed and time left show.
    proxy.throttle({ up: 150 * 1024 });
    await page.reload();
    await page.getByRole('button', { name: 'Back up everything' }).click();
    await waitForTransfer(page, (t) => t.state === 'running' && t.counts !== null);
    const figures = page.locator('[data-testid="transfer"][data-state="running"] [data-testid="transfer-figures"]');
    await expect.poll(() => figures.textContent(), { timeout: 20_000 }).toMatch(/of .* · \d+% · .*\/s · .* left/);

    const card = page.locator('#transfers');
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: path.join(SHOTS, `transfers-${name}.png`) });
    await page.screenshot({ path: path.join(SHOTS, `settings-${name}.png`), fullPage: true });
    const overflow = await card.evaluate((element) =>
      [element, ...element.querySelectorAll('*')]
        .filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'hidden')
        .map((e) => e.className || e.tagName),
    );
    expect(overflow).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.goto(`${proxy.url}/sync`);
    // The Sync screen loads on first visit and then fills in from IndexedDB: shoot it settled.
    await page.locator('#sync-log').waitFor();
    await page.waitForLoadState('networkidle');
    await page.locator('#transfers').screenshot({ path: path.join(SHOTS, `sync-transfers-${name}.png`) });
    await page.goto(`${proxy.url}/settings`);
    await expect.poll(() => card.textContent()).toContain('Cancelled');

    // Leave nothing running for the next view.
    proxy.throttle({ up: null });
    await waitForTransfer(page, (t) => t.direction === 'upload' && t.state === 'done' && t.id !== 'past-1');
    await browser.close();
    open.pop();
  });
});
