import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListBackupsResponse } from '../../src/shared/backup';
import { readSyncLog } from '../helpers/app-db';
import { readArchive, sha256Hex } from '../helpers/backup-archive';
import { type BackupStack, openBackupStack, readTransfers, type TestBrowser, waitForTransfer } from '../helpers/backup-browser';
import type { TransferProxy } from '../helpers/backup-proxy';
import type { TestServer } from '../helpers/server';

// Fixed ports: the origin (the proxy's) must stay the same for the whole file.
const ORIGIN_PORT = 18411;
const SERVER_PORT = 18412;
const CHUNKS = 16_000;

let server: TestServer;
let proxy: TransferProxy;
let browser: TestBrowser;
let token: string;
let accountId: string;
let stack: BackupStack | undefined;

beforeAll(async () => {
  stack = await openBackupStack({ origin: ORIGIN_PORT, server: SERVER_PORT }, CHUNKS);
  ({ server, proxy, browser, token, accountId } = stack);
});

afterAll(() => stack?.close());

async function listBackups(): Promise<ListBackupsResponse> {
  const response = await fetch(`${server.url}/api/backups`, { headers: { authorization: `Bearer ${token}` } });
  return (await response.json()) as ListBackupsResponse;
}

describe('Back up everything, through Background Fetch', () => {
  it('packs several MB in the worker, uploads it in the background, and the server’s copy matches its SHA-256', async () => {
    const { page, cdp } = browser;
    await cdp.send('BackgroundService.startObserving', { service: 'backgroundFetch' });
    await cdp.send('BackgroundService.setRecording', { shouldRecord: true, service: 'backgroundFetch' });
    const events: string[] = [];
    cdp.on('BackgroundService.backgroundServiceEventReceived', ({ backgroundServiceEvent }) => {
      events.push(backgroundServiceEvent.eventName);
    });

    proxy.resetCounters();
    await page.getByRole('button', { name: 'Back up everything' }).click();
    const done = await waitForTransfer(page, (t) => t.direction === 'upload' && (t.state === 'done' || t.state === 'failed'));
    expect(done.error).toBeNull();
    expect(done).toMatchObject({
      state: 'done',
      mode: 'background-fetch',
      counts: { chunks: CHUNKS, gaps: 0, docs: 0 },
      archiveBytes: null,
    });
    expect(done.bytesTotal).toBeGreaterThan(3 * 1024 * 1024);

    const { backups } = await listBackups();
    expect(backups).toEqual([expect.objectContaining({ id: done.id, kind: 'upload', bytes: done.bytesTotal, sha256: done.sha256 })]);
    const stored = fs.readFileSync(path.join(server.dataDir, 'backups', accountId, `${done.id}.gz`));
    expect(sha256Hex(stored)).toBe(done.sha256);
    expect(readArchive(stored).counts).toEqual({ chunks: CHUNKS, gaps: 0, docs: 0 });
    // It went up once: what left the browser is the archive plus headers.
    expect(proxy.bytesUp).toBeLessThan((done.bytesTotal ?? 0) + 256 * 1024);

    const log = await readSyncLog(page);
    expect(log).toContainEqual(
      expect.objectContaining({
        trigger: 'backgroundfetch',
        outcome: 'ok',
        transfer: { id: done.id, direction: 'upload', event: 'success' },
        upBytes: done.bytesTotal,
      }),
    );
    await expect.poll(() => events).toContain('Background Fetch completed');

    await expect.poll(() => page.getByTestId('transfer').first().textContent()).toContain('Stored on the server');
    await page.goto(`${proxy.url}/sync`);
    await expect.poll(() => page.getByTestId('sync-log').textContent()).toContain('backgroundfetchsuccess');
  });

  it('cancels an upload in flight without abort() (which crashes Chromium): the server answers it 409, and a retry goes through', async () => {
    const { page } = browser;
    await page.goto(`${proxy.url}/settings`);
    proxy.throttle({ up: 512 * 1024 }); // slow enough to cancel in the middle
    proxy.resetCounters();
    await page.getByRole('button', { name: 'Back up everything' }).click();
    const running = await waitForTransfer(
      page,
      (t) => t.state === 'running' && t.mode === 'background-fetch' && t.attempt === 1 && t.counts !== null,
    );
    await expect.poll(() => proxy.bytesUp, { timeout: 20_000 }).toBeGreaterThan(256 * 1024);
    await page.locator('[data-testid="transfer"][data-state="running"]').getByRole('button', { name: 'Cancel' }).click();

    const cancelled = await waitForTransfer(page, (t) => t.id === running.id && t.state === 'aborted');
    expect(cancelled.archiveBytes).toBe(cancelled.bytesTotal); // kept for the retry
    expect(await readSyncLog(page)).toContainEqual(
      expect.objectContaining({
        trigger: 'backgroundfetch',
        outcome: 'cancelled',
        transfer: { id: running.id, direction: 'upload', event: 'fail' },
      }),
    );
    expect((await listBackups()).backups.map((b) => b.id)).not.toContain(running.id);
    expect(fs.readdirSync(path.join(server.dataDir, 'backups', accountId)).filter((f) => f.endsWith('.partial'))).toEqual([]);

    proxy.throttle({ up: null });
    await page.locator('[data-testid="transfer"][data-state="aborted"]').getByRole('button', { name: 'Retry' }).click();
    const retried = await waitForTransfer(page, (t) => t.id === running.id && (t.state === 'done' || t.state === 'failed'));
    expect(retried).toMatchObject({ state: 'done', mode: 'background-fetch', attempt: 2, fetchId: `${running.id}:2`, error: null });
    expect((await listBackups()).backups).toContainEqual(expect.objectContaining({ id: running.id, sha256: running.sha256 }));
  });

  it('records backgroundfetchfail when the server becomes unreachable mid-upload, and the retry runs in the page with tus', async () => {
    const { page } = browser;
    await page.goto(`${proxy.url}/settings`);
    proxy.throttle({ up: 512 * 1024 });
    proxy.resetCounters();
    await page.getByRole('button', { name: 'Back up everything' }).click();
    const running = await waitForTransfer(page, (t) => t.state === 'running' && t.mode === 'background-fetch' && t.counts !== null);
    await expect.poll(() => proxy.bytesUp, { timeout: 20_000 }).toBeGreaterThan(256 * 1024);
    // The server goes away: the connection drops and every new one is refused.
    proxy.setDown(true);
    proxy.cutAll();

    const failed = await waitForTransfer(page, (t) => t.id === running.id && t.state === 'failed');
    expect(failed.error).toMatch(/no answer from the server/);
    expect(await readSyncLog(page)).toContainEqual(
      expect.objectContaining({
        trigger: 'backgroundfetch',
        outcome: 'error',
        transfer: { id: running.id, direction: 'upload', event: 'fail' },
      }),
    );

    proxy.setDown(false);
    proxy.throttle({ up: null });
    await page.locator('[data-testid="transfer"][data-state="failed"]').getByRole('button', { name: 'Retry' }).click();
    const retried = await waitForTransfer(
      page,
      (t) => t.id === running.id && (t.state === 'done' || (t.state === 'failed' && t.attempt === 2)),
    );
    expect(retried).toMatchObject({ state: 'done', mode: 'tus', attempt: 2, error: null });
    expect((await listBackups()).backups).toContainEqual(expect.objectContaining({ id: running.id, sha256: running.sha256 }));
  });

  it('records backgroundfetchabort when the user cancels a background download, and a retry in the background goes through', async () => {
    const { page } = browser;
    await page.goto(`${proxy.url}/settings`);
    const [latest] = (await listBackups()).backups;
    proxy.throttle({ down: 512 * 1024 });
    proxy.resetCounters();
    await page.locator('.server-backups').getByRole('button', { name: 'Restore' }).first().click();
    const running = await waitForTransfer(
      page,
      (t) => t.direction === 'download' && t.state === 'running' && t.mode === 'background-fetch',
    );
    expect(running).toMatchObject({ backupId: latest?.id, bytesTotal: latest?.bytes, sha256: latest?.sha256 });
    await expect.poll(() => proxy.bytesDown, { timeout: 20_000 }).toBeGreaterThan(256 * 1024);
    await page.locator(`[data-testid="transfer"][data-state="running"]`).getByRole('button', { name: 'Cancel' }).click();

    await waitForTransfer(page, (t) => t.id === running.id && t.state === 'aborted');
    expect(await readSyncLog(page)).toContainEqual(
      expect.objectContaining({
        trigger: 'backgroundfetch',
        outcome: 'cancelled',
        transfer: { id: running.id, direction: 'download', event: 'abort' },
      }),
    );

    proxy.throttle({ down: null });
    await page.locator('[data-testid="transfer"][data-state="aborted"]').getByRole('button', { name: 'Retry' }).click();
    const retried = await waitForTransfer(page, (t) => t.id === running.id && (t.state === 'done' || t.state === 'failed'));
    expect(retried).toMatchObject({ state: 'done', mode: 'background-fetch', attempt: 2, fetchId: `${running.id}:2`, error: null });
    // Everything in that backup is on this device already: the import adds nothing.
    expect(retried.imported).toMatchObject({ chunks: CHUNKS, created: 0, merged: 0, unchanged: CHUNKS });
  });

  it('records backgroundfetchclick and takes the open page to the transfers', async () => {
    const { page, context } = browser;
    await page.goto(`${proxy.url}/sync`);
    const transfer = (await readTransfers(page)).find((t) => t.fetchId !== null);
    // CDP cannot click the browser's download UI: the event is dispatched in the worker as the browser would.
    const worker = context.serviceWorkers().find((w) => w.url().endsWith('/sw.js'));
    await worker?.evaluate((fetchId) => {
      const scope = globalThis as unknown as { ExtendableEvent: typeof Event; dispatchEvent(event: Event): boolean };
      const event = new scope.ExtendableEvent('backgroundfetchclick');
      Object.defineProperty(event, 'registration', { value: { id: fetchId, uploaded: 0, downloaded: 0 } });
      scope.dispatchEvent(event);
    }, transfer?.fetchId ?? '');
    await expect.poll(() => page.url()).toBe(`${proxy.url}/settings#transfers`);
    expect(await readSyncLog(page)).toContainEqual(
      expect.objectContaining({
        trigger: 'backgroundfetch',
        transfer: { id: transfer?.id, direction: transfer?.direction, event: 'click' },
      }),
    );
  });
});
