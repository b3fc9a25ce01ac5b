import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPushCli } from '../../server/push/cli-commands';
import type { DeviceCredentials } from '../../src/db/schema';
import type { PushKeyResponse, PushSubscriptionStateResponse } from '../../src/shared/api';
import { PUSH_TOPICS } from '../../src/shared/names';
import { minuteStartOf } from '../../src/shared/samples';
import { putRecording, readChunk, readDoc, readOutbox, waitForCredentials, waitForLog } from '../helpers/app-db';
import { AutopushServer } from '../helpers/autopush-server';
import { launchFirefoxBrowser } from '../helpers/firefox';
import { builtAppDir, postgresEnv, startTestServer, type TestServer } from '../helpers/server';
import { joinAccount, uploadBatch } from '../helpers/sync-client';
import { recording } from '../helpers/sync-e2e';

/**
 * Push-driven sync in Firefox, which has no Background Sync: the built app subscribes through
 * its Settings card with Firefox's real PushManager, whose push client speaks autopush's
 * WebSocket protocol to the local stand-in (tests/helpers/autopush-server.ts). The server's real
 * pushes go to that endpoint, the stand-in relays the still-encrypted body over the socket, and
 * Firefox decrypts it and wakes the service worker with no page of the app open.
 */

const TURN_ON = 'Get updates from your other devices and messages';
const ON_TEXT =
  'On. When your other devices upload data or a message arrives, Steady updates in the background and tells you what changed.';

let autopush: AutopushServer;
let server: TestServer;
let browser: Browser;
let page: Page;
let origin: string;
let credentials: DeviceCredentials;
let other: { deviceId: string; deviceToken: string };
/** Every request the server received: Firefox's and the test's. */
const requests: { method: string; path: string; firefox: boolean }[] = [];

beforeAll(async () => {
  autopush = await AutopushServer.start();
  server = await startTestServer({
    staticDir: builtAppDir(),
    env: { PUSH_ALLOWED_HOSTS: autopush.host, PUSH_EXTRA_CA_FILE: autopush.caFile, PUSH_DEBOUNCE_MS: '200' },
  });
  // Watching the server's own socket: what reaches it with no page open came from the service worker.
  server.app.server.on('request', (request) =>
    requests.push({
      method: request.method ?? '',
      path: request.url ?? '',
      firefox: /Firefox\//.test(request.headers['user-agent'] ?? ''),
    }),
  );
  origin = server.url;
  // Notifications allowed for every origin: the app's Notification.requestPermission() answers granted.
  browser = await launchFirefoxBrowser({ ...autopush.firefoxPrefs(), 'permissions.default.desktop-notification': 1 });
  page = (await browser.pages())[0] ?? (await browser.newPage());
  await page.goto(`${origin}/`, { waitUntil: 'load' });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, { timeout: 20_000 });
  credentials = await waitForCredentials(page);
  await waitForLog(page, (e) => e.trigger === 'page' && (e.outcome === 'ok' || e.outcome === 'nothing-to-do'));
  other = await joinAccount(server.url, credentials, 'tablet');
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
  await autopush?.close();
});

async function serverSubscription(): Promise<PushSubscriptionStateResponse> {
  const response = await fetch(`${server.url}/api/push/subscription`, { headers: { authorization: `Bearer ${credentials.deviceToken}` } });
  return (await response.json()) as PushSubscriptionStateResponse;
}

/** No page of the app: only about:blank is open. */
async function closeApp(): Promise<void> {
  await page.goto('about:blank');
  expect(await Promise.all((await browser.pages()).map((p) => p.url()))).toEqual(['about:blank']);
}

/**
 * A document of the app's origin that runs none of the app's code (an icon), to read and write
 * IndexedDB without the page's own sync runs getting in the way.
 */
async function openInert(): Promise<void> {
  await page.goto(`${origin}/icons/icon-192.png`, { waitUntil: 'load' });
}

async function waitUntil(what: string, probe: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('push-driven sync in Firefox through autopush', () => {
  it('subscribes through the Settings card at the local autopush, and the server stores that endpoint', async () => {
    await page.goto(`${origin}/settings`, { waitUntil: 'load' });
    const button = await page.waitForSelector(`::-p-text(${TURN_ON})`, { timeout: 20_000 });
    await button?.click();
    await page.waitForFunction(
      (text) => document.querySelector('[data-testid="push-status"]')?.textContent === text,
      { timeout: 30_000 },
      ON_TEXT,
    );
    const { publicKey } = (await (await fetch(`${server.url}/api/push/key`)).json()) as PushKeyResponse;
    // Firefox registered over the socket with the server's VAPID key (padded base64url on the wire).
    expect(autopush.fromClient.map((m) => m.messageType)).toEqual(expect.arrayContaining(['hello', 'register']));
    expect(autopush.channels().map((c) => c.key)).toEqual([publicKey]);
    const state = await serverSubscription();
    expect(state.status).toBe('current');
    expect(state.subscription?.endpoint.startsWith(`${autopush.origin}/wpush/v2/${autopush.channels()[0]?.channelID}.`)).toBe(true);
  }, 60_000);

  it('the server’s refresh reaches the service worker with no page open, which pulls the other device’s data', async () => {
    await closeApp();
    const seen = requests.length;
    const start = minuteStartOf(Date.now()) - 5 * 3600_000;
    const theirs = recording(start, 20, 5, 'tablet-strap');
    const uploaded = await uploadBatch(server.url, other.deviceToken, {
      header: {},
      chunks: theirs.chunks,
      docs: [{ kind: 'checkin', id: 'tablet-1', body: { fatigue: 4, note: 'from the tablet' } }],
    });
    expect(uploaded.status).toBe(201);

    // The server's push went through the stand-in (VAPID checked), and Firefox decrypted it: ack code 100.
    await autopush.waitFor('the refresh push', () => autopush.endpointRequests.some((r) => r.status === 201));
    expect(autopush.endpointRequests).toEqual([expect.objectContaining({ status: 201, topic: PUSH_TOPICS.refresh, problem: null })]);
    await autopush.waitFor('Firefox to acknowledge delivery', () => autopush.acks().length > 0);
    expect(autopush.acks().map((a) => a.code)).toEqual([100]);
    // The service worker pulled, with no page of the app open.
    await waitUntil('the worker to pull', () =>
      requests.slice(seen).some((r) => r.firefox && r.method === 'GET' && r.path.startsWith('/api/sync/changes')),
    );
    expect(await Promise.all((await browser.pages()).map((p) => p.url()))).toEqual(['about:blank']);

    await openInert();
    const log = await waitForLog(page, (e) => e.trigger === 'push' && e.outcome === 'ok');
    expect(log.filter((e) => e.trigger === 'push')).toEqual([
      expect.objectContaining({ outcome: 'ok', pulled: expect.objectContaining({ chunks: theirs.chunks.length, docs: { checkin: 1 } }) }),
    ]);
    const first = theirs.chunks[0];
    expect(first && (await readChunk(page, first.id))?.id).toBe(first?.id);
    expect((await readDoc(page, 'checkin|tablet-1'))?.body).toEqual({ fatigue: 4, note: 'from the tablet' });
  }, 60_000);

  it('the server’s sync push makes the worker upload this device’s pending records, with no page open', async () => {
    await openInert();
    const mine = recording(minuteStartOf(Date.now()) - 3 * 3600_000, 6, 7, 'armband-1');
    await putRecording(page, mine.chunks);
    await closeApp();
    const seen = requests.length;
    const acked = autopush.acks().length;

    const lines: string[] = [];
    const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    const env = {
      DATA_DIR: server.dataDir,
      ...postgresEnv(server.dataDir),
      PUSH_ALLOWED_HOSTS: autopush.host,
      PUSH_EXTRA_CA_FILE: autopush.caFile,
      LOG_LEVEL: 'silent',
    };
    expect(await runPushCli(['push', '--device', credentials.deviceId, '--type', 'sync'], env, io)).toBe(0);
    expect(lines.join('\n')).toContain('sent 1, failed 0, removed 0');
    await autopush.waitFor('Firefox to acknowledge the sync push', () => autopush.acks().length > acked);
    expect(
      autopush
        .acks()
        .slice(acked)
        .map((a) => a.code),
    ).toEqual([100]);
    expect(autopush.endpointRequests.at(-1)).toMatchObject({ status: 201, topic: PUSH_TOPICS.sync });
    await waitUntil('the worker to upload', () =>
      requests.slice(seen).some((r) => r.firefox && r.method === 'PUT' && r.path.startsWith('/api/sync/batches/')),
    );
    expect(await Promise.all((await browser.pages()).map((p) => p.url()))).toEqual(['about:blank']);

    await openInert();
    await waitForLog(page, (e) => e.trigger === 'push' && e.upRecords >= mine.chunks.length);
    expect(await readOutbox(page)).toEqual([]);
  }, 60_000);
});
