import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListBackupsResponse, TUS_CHUNK_BYTES } from '../../src/shared/backup';
import { sha256Hex } from '../helpers/backup-archive';
import {
  type BackupStack,
  NO_BACKGROUND_FETCH,
  openBackupStack,
  type TestBrowser,
  type TransferView,
  waitForTransfer,
} from '../helpers/backup-browser';
import type { TransferProxy } from '../helpers/backup-proxy';
import type { TestServer } from '../helpers/server';

// Without Background Fetch (as in Firefox and Safari) backups go up with tus from the page.
const ORIGIN_PORT = 18421;
const SERVER_PORT = 18422;
const CHUNKS = 16_000;
/** Request headers of the PATCHes, HEADs and the app's other calls while the upload runs. */
const HEADER_ALLOWANCE = 64 * 1024;

let server: TestServer;
let proxy: TransferProxy;
let browser: TestBrowser;
let token: string;
let accountId: string;
let stack: BackupStack;

beforeAll(async () => {
  stack = await openBackupStack({ origin: ORIGIN_PORT, server: SERVER_PORT }, CHUNKS, { initScript: NO_BACKGROUND_FETCH });
  ({ server, proxy, browser, token, accountId } = stack);
});

afterAll(() => stack?.close());

async function storedBackups(): Promise<ListBackupsResponse['backups']> {
  const response = await fetch(`${server.url}/api/backups`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as ListBackupsResponse).backups;
}

/** Starts a backup at 1 MiB/s and answers once some 40% of it has left the browser. */
async function backupUntilPartway(): Promise<TransferView> {
  const { page } = browser;
  await page.goto(`${proxy.url}/settings`);
  const before = new Set((await storedBackups()).map((b) => b.id));
  proxy.throttle({ up: 1024 * 1024 });
  proxy.resetCounters();
  await page.getByRole('button', { name: 'Back up everything' }).click();
  const running = await waitForTransfer(
    page,
    (t) => t.state === 'running' && t.mode === 'tus' && t.bytesTotal !== null && !before.has(t.id),
  );
  await expect.poll(() => proxy.bytesUp, { timeout: 30_000 }).toBeGreaterThan(0.4 * (running.bytesTotal ?? 0));
  return running;
}

async function expectStored(transfer: TransferView): Promise<void> {
  const done = await waitForTransfer(browser.page, (t) => t.id === transfer.id && (t.state === 'done' || t.state === 'failed'), 90_000);
  expect(done).toMatchObject({ state: 'done', mode: 'tus', error: null, archiveBytes: null });
  expect(await storedBackups()).toContainEqual(
    expect.objectContaining({ id: transfer.id, sha256: transfer.sha256, bytes: transfer.bytesTotal }),
  );
  const file = fs.readFileSync(path.join(server.dataDir, 'backups', accountId, `${transfer.id}.gz`));
  expect(sha256Hex(file)).toBe(transfer.sha256);
  // Resumed, never restarted: at most one chunk went up twice.
  expect(proxy.bytesUp).toBeLessThanOrEqual((transfer.bytesTotal ?? 0) + TUS_CHUNK_BYTES + HEADER_ALLOWANCE);
}

describe('tus fallback: an interrupted backup resumes from the server’s offset', () => {
  it('uses tus where Background Fetch is missing, and carries on after the server is killed mid-upload and restarted', async () => {
    const running = await backupUntilPartway();
    // The connection drops and the server goes down mid-PATCH, then comes back on the same port.
    proxy.cutAll();
    server = stack.server = await server.restart();
    proxy.throttle({ up: null });
    await expectStored(running);
  });

  it('carries on after the page is reloaded mid-upload (the upload URL is kept under the archive’s fingerprint)', async () => {
    const running = await backupUntilPartway();
    await browser.page.reload();
    proxy.throttle({ up: null });
    await expectStored(running);
  });
});
