import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateAccountResponse } from '../../src/shared/api';
import type { DocRecord } from '../../src/shared/sync/batch-codec';
import { readSyncLog, waitForCredentials } from '../helpers/app-db';
import {
  appDir,
  countRecords,
  HOLD_SYNC_LOCK,
  NO_BACKGROUND_FETCH,
  openApp,
  type TestBrowser,
  waitForTransfer,
} from '../helpers/backup-browser';
import { startTransferProxy, type TransferProxy } from '../helpers/backup-proxy';
import { startTestServer, type TestServer } from '../helpers/server';
import { createAccount, makePairingCode, syntheticSamples, toChunks, uploadBatch } from '../helpers/sync-client';

const ORIGIN_PORT = 18431;
const SERVER_PORT = 18432;
const CHUNKS = 3_000;
const DOCS = 25;
const T0 = Date.UTC(2026, 0, 5, 6, 0, 0);

let server: TestServer;
let proxy: TransferProxy;
let first: CreateAccountResponse;
const browsers: TestBrowser[] = [];

beforeAll(async () => {
  server = await startTestServer({ staticDir: appDir(), port: SERVER_PORT });
  proxy = await startTransferProxy(ORIGIN_PORT, () => SERVER_PORT);
  // The first device has synced its history: 3,000 minutes of heart rate and some check-ins.
  first = await createAccount(server.url, 'first phone');
  const chunks = toChunks(syntheticSamples(T0, CHUNKS * 60, 3));
  const docs: DocRecord[] = Array.from({ length: DOCS }, (_, i) => ({
    kind: 'checkin',
    id: `c${i}`,
    body: { fatigue: i % 5, note: `day ${i}` },
  }));
  for (let i = 0; i < chunks.length; i += 2_000) {
    const batch = { header: {}, chunks: chunks.slice(i, i + 2_000), docs: i === 0 ? docs : [] };
    expect((await uploadBatch(server.url, first.deviceToken, batch)).status).toBe(201);
  }
});

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await proxy?.close();
  await server?.dispose();
});

/** A new device that joins the first one's account. Its own sync is held off, so only the restore brings data. */
async function newDeviceJoins(initScript = HOLD_SYNC_LOCK): Promise<TestBrowser> {
  const browser = await openApp(proxy.url, { initScript });
  browsers.push(browser);
  const { page } = browser;
  await page.getByRole('textbox', { name: 'Pairing code' }).fill((await makePairingCode(server.url, first.deviceToken)).code);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect.poll(async () => (await waitForCredentials(page)).accountId).toBe(first.accountId);
  expect(await countRecords(page)).toEqual({ chunks: 0, docs: 0, gaps: 0 });
  return browser;
}

describe('Download my full history, on a device that joins the account', () => {
  it('restores every record through Background Fetch, exactly once; a second import adds nothing', async () => {
    const { page } = await newDeviceJoins();
    await page.getByRole('button', { name: 'Download my full history' }).click();
    const restored = await waitForTransfer(page, (t) => t.direction === 'download' && (t.state === 'done' || t.state === 'failed'));
    expect(restored).toMatchObject({ state: 'done', mode: 'background-fetch', source: 'history', error: null, partialBytes: null });
    expect(restored.imported).toEqual({ chunks: CHUNKS, gaps: 0, docs: DOCS, created: CHUNKS + DOCS, merged: 0, unchanged: 0 });
    expect(await countRecords(page)).toEqual({ chunks: CHUNKS, docs: DOCS, gaps: 0 });
    expect(await readSyncLog(page)).toContainEqual(
      expect.objectContaining({
        trigger: 'backgroundfetch',
        outcome: 'ok',
        downRecords: CHUNKS + DOCS,
        transfer: { id: restored.id, direction: 'download', event: 'success' },
      }),
    );
    await expect
      .poll(() => page.getByTestId('transfer-result').first().textContent())
      .toContain(`${(CHUNKS + DOCS).toLocaleString('en-US')} records`);

    await page.getByRole('button', { name: 'Download my full history' }).click();
    const again = await waitForTransfer(
      page,
      (t) => t.id !== restored.id && t.direction === 'download' && (t.state === 'done' || t.state === 'failed'),
    );
    expect(again.imported).toEqual({ chunks: CHUNKS, gaps: 0, docs: DOCS, created: 0, merged: 0, unchanged: CHUNKS + DOCS });
    expect(await countRecords(page)).toEqual({ chunks: CHUNKS, docs: DOCS, gaps: 0 });
  });

  it('without Background Fetch, downloads with Range in the page and resumes after the connection drops', async () => {
    const { page } = await newDeviceJoins(`${HOLD_SYNC_LOCK}\n${NO_BACKGROUND_FETCH}`);
    proxy.throttle({ down: 48 * 1024 });
    proxy.resetCounters();
    await page.getByRole('button', { name: 'Download my full history' }).click();
    const running = await waitForTransfer(page, (t) => t.direction === 'download' && t.mode === 'ranged' && t.bytesTotal !== null);
    const total = running.bytesTotal ?? 0;
    await expect.poll(() => proxy.bytesDown, { timeout: 30_000 }).toBeGreaterThan(0.3 * total);
    proxy.cutAll();
    proxy.throttle({ down: null });
    const restored = await waitForTransfer(page, (t) => t.id === running.id && (t.state === 'done' || t.state === 'failed'));
    expect(restored).toMatchObject({ state: 'done', mode: 'ranged', error: null, partialBytes: null });
    expect(restored.imported).toEqual({ chunks: CHUNKS, gaps: 0, docs: DOCS, created: CHUNKS + DOCS, merged: 0, unchanged: 0 });
    expect(await countRecords(page)).toEqual({ chunks: CHUNKS, docs: DOCS, gaps: 0 });
    // The second request asked only for the rest: what came down is the archive once, plus headers and the app's other calls.
    expect(proxy.bytesDown).toBeLessThan(total + 64 * 1024);
  });
});
