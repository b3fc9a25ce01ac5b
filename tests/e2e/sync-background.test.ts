import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_TAG } from '../../src/shared/names';
import { chunkSamples, MINUTE_MS, minuteStartOf } from '../../src/shared/samples';
import { putRecording, readChunk, readDoc, readOutbox, readSyncLog, waitForLog } from '../helpers/app-db';
import { expectExactlySamples, serverReadings } from '../helpers/sync-assertions';
import { joinAccount, uploadBatch } from '../helpers/sync-client';
import { recording, type SyncStack, startSyncStack } from '../helpers/sync-e2e';

let stack: SyncStack;

beforeAll(async () => {
  stack = await startSyncStack();
  // The app's own first run (on open) is over before anything is recorded.
  await waitForLog(stack.page, (e) => e.trigger === 'page');
});
afterAll(async () => {
  await stack?.close();
});

async function waitUntil<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

describe('background sync in Chromium (built app, real service worker)', () => {
  it('uploads what was recorded offline on `sync`, after the app was closed', async () => {
    const { page, browser, credentials } = stack;
    const start = minuteStartOf(Date.now()) - 6 * 3600_000;
    const { samples, chunks } = recording(start, 120, 1);
    const range = [start, start + 121 * MINUTE_MS] as const;

    await browser.context.setOffline(true);
    await putRecording(page, chunks);
    // Reopened offline (the service worker serves it), the app tries, fails and asks the
    // browser for a `sync` once the network is back.
    const reload = await page.reload();
    expect(reload?.fromServiceWorker()).toBe(true);
    const afterOffline = await waitForLog(page, (e) => e.trigger === 'page' && e.outcome === 'offline');
    const offlineRunId = Math.max(...afterOffline.map((e) => e.id ?? 0));
    const tags = await page.evaluate(async () => {
      const registration = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & { sync: { getTags(): Promise<string[]> } };
      return registration.sync.getTags();
    });
    expect(tags).toContain(SYNC_TAG);
    expect((await readOutbox(page)).length).toBe(chunks.length);
    expect(await serverReadings(stack.server.url, credentials.deviceToken, ...range)).toHaveLength(0);

    // The app is closed; the network comes back. Chromium may fire `sync` by itself on
    // setOffline(false); the test dispatches it too. Either way the runs hold the same lock.
    await page.goto('about:blank');
    await browser.context.setOffline(false);
    await stack.dispatchSync();
    await waitUntil('the server to hold the recording', async () => {
      const readings = await serverReadings(stack.server.url, credentials.deviceToken, ...range);
      return readings.length >= samples.length;
    });
    // The page is opened again only to read its database; its own run finds nothing to send.
    await page.goto(`${stack.origin}/sync`);
    const log = await waitForLog(page, (e) => e.trigger === 'sync' && e.outcome === 'ok');
    const later = log.filter((e) => (e.id ?? 0) > offlineRunId);
    const uploads = later.filter((e) => e.upRecords > 0);
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatchObject({ trigger: 'sync', outcome: 'ok', upRecords: chunks.length });
    expectExactlySamples(await serverReadings(stack.server.url, credentials.deviceToken, ...range), samples);
    expect(await readOutbox(page)).toEqual([]);
    await expect.poll(() => page.getByTestId('outbox-size').textContent()).toBe('0 records');
  });

  it('on `periodicsync` with no page open, pushes pending data and pulls another device’s; the app shows it offline', async () => {
    const { page, browser, credentials, proxy } = stack;
    const { cdp } = browser;
    const start = minuteStartOf(Date.now()) - 12 * 3600_000;
    const mine = recording(start, 30, 2);
    const theirs = recording(start + 60 * MINUTE_MS, 20, 3, 'phone-strap');
    const range = [start, start + 90 * MINUTE_MS] as const;

    await waitForLog(page, (e) => e.trigger === 'page' && e.outcome !== 'offline');
    await putRecording(page, mine.chunks);
    const other = await joinAccount(stack.server.url, credentials, 'phone');
    const uploaded = await uploadBatch(stack.server.url, other.deviceToken, {
      header: {},
      chunks: theirs.chunks,
      docs: [{ kind: 'checkin', id: 'from-phone', body: { fatigue: 3, note: 'logged on the phone' } }],
    });
    expect(uploaded.status).toBe(201);

    // No page of the app, no running worker: the browser wakes the worker for the event.
    await page.goto('about:blank');
    expect(browser.context.pages().map((p) => p.url())).toEqual(['about:blank']);
    await cdp.send('ServiceWorker.stopAllWorkers');
    const requestsBefore = proxy.log.length;
    await stack.dispatchPeriodicSync();

    await waitUntil('the pending recording on the server', async () => {
      const readings = await serverReadings(stack.server.url, credentials.deviceToken, ...range);
      return readings.length >= mine.samples.length + theirs.samples.length;
    });
    await waitUntil('a pull by the service worker', async () =>
      proxy.log.slice(requestsBefore).some((r) => r.path.startsWith('/api/sync/changes') && r.status === 200 && r.endedAt),
    );
    expect(proxy.log.slice(requestsBefore).map((r) => `${r.method} ${r.path.split('?')[0]}`)).not.toContain('GET /');
    expectExactlySamples(await serverReadings(stack.server.url, credentials.deviceToken, ...range), [...mine.samples, ...theirs.samples]);

    // Opened offline, the app shows what the night brought: the run in the log and the data.
    await browser.context.setOffline(true);
    const opened = await page.goto(`${stack.origin}/sync`);
    expect(opened?.fromServiceWorker()).toBe(true);
    const row = page.getByTestId('sync-log').locator('li', { hasText: 'Nightly sync (in the background)' });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    const text = await row.textContent();
    expect(text).toContain(`↑ ${mine.chunks.length} `);
    expect(text).toContain(`↓ ${theirs.chunks.length + 1} `);
    expect(text).toContain('Done');
    const entry = (await readSyncLog(page)).find((e) => e.trigger === 'periodicsync');
    expect(entry).toMatchObject({
      outcome: 'ok',
      upRecords: mine.chunks.length,
      pulled: { chunks: theirs.chunks.length, docs: { checkin: 1 } },
    });
    const first = theirs.chunks[0];
    const stored = first ? await readChunk(page, first.id) : undefined;
    expect(stored && chunkSamples(stored)).toEqual(first && chunkSamples(first));
    expect((await readDoc(page, 'checkin|from-phone'))?.body).toEqual({ fatigue: 3, note: 'logged on the phone' });
    expect(await readOutbox(page)).toEqual([]);
    await browser.context.setOffline(false);
  });
});
