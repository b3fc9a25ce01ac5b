import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceCredentials } from '../../src/db/schema';
import type { PushKeyResponse, PushSubscriptionStateResponse } from '../../src/shared/api';
import { NOTIFICATION_TAGS, PERIODIC_SYNC_TAG, SYNC_TAG } from '../../src/shared/names';
import { minuteStartOf } from '../../src/shared/samples';
import { readChunk, readDoc, readSyncLog, waitForCredentials, waitForLog } from '../helpers/app-db';
import { grantAllPermissions, launchBrowser, registrationIdFor, type TestBrowser, waitForController } from '../helpers/browser';
import { LocalPushService } from '../helpers/push-service';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';
import { joinAccount, uploadBatch } from '../helpers/sync-client';
import { recording } from '../helpers/sync-e2e';

/**
 * Push-triggered refresh in Chromium: the built app, its real service worker, the real server
 * sending real Web Push to the local push service. Chromium cannot reach a push service here,
 * so the test carries each push the last step, from the local push service to the worker,
 * with CDP `ServiceWorker.deliverPushMessage` (browser-testing.md, "Web Push").
 */

let pushService: LocalPushService;
let server: TestServer;
let browser: TestBrowser;
let origin: string;
let registrationId: string;
let credentials: DeviceCredentials;
/** The other device of the account, uploading over HTTP. */
let other: { deviceId: string; deviceToken: string };
/** Notifications the browser reports displaying (BackgroundService log). */
const displayed: { service: string; eventName: string }[] = [];

beforeAll(async () => {
  pushService = await LocalPushService.start();
  server = await startTestServer({
    staticDir: builtAppDir(),
    env: { PUSH_ALLOWED_HOSTS: pushService.host, PUSH_EXTRA_CA_FILE: pushService.caFile, PUSH_DEBOUNCE_MS: '200' },
  });
  origin = server.url;
  browser = await launchBrowser();
  const { page, cdp, browserCdp } = browser;
  const registration = registrationIdFor(cdp, origin);
  await grantAllPermissions(browserCdp, origin);
  cdp.on('BackgroundService.backgroundServiceEventReceived', ({ backgroundServiceEvent }) => {
    if (backgroundServiceEvent.service === 'notifications') displayed.push(backgroundServiceEvent);
  });
  await cdp.send('BackgroundService.startObserving', { service: 'notifications' });
  await cdp.send('BackgroundService.setRecording', { shouldRecord: true, service: 'notifications' });
  await page.goto(`${origin}/`);
  await waitForController(page);
  credentials = await waitForCredentials(page);
  registrationId = await registration;
  await waitForLog(page, (e) => e.trigger === 'page' && (e.outcome === 'ok' || e.outcome === 'nothing-to-do'));
  other = await joinAccount(server.url, credentials, 'tablet');
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
  await pushService?.close();
});

async function waitUntil<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function deliverPush(data: string): Promise<unknown> {
  return browser.cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data });
}

/** What `registration.getNotifications()` answers in a page of the app. */
function notifications() {
  return browser.page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map((n) => ({
      title: n.title,
      body: n.body,
      tag: n.tag,
      data: n.data as unknown,
      actions: ((n as Notification & { actions?: { action: string; title: string }[] }).actions ?? []).map((a) => ({
        action: a.action,
        title: a.title,
      })),
    }));
  });
}

function closeNotifications() {
  return browser.page.evaluate(async () => {
    for (const n of await (await navigator.serviceWorker.ready).getNotifications()) n.close();
  });
}

async function serverSubscription(token: string): Promise<PushSubscriptionStateResponse> {
  const response = await fetch(`${server.url}/api/push/subscription`, { headers: { authorization: `Bearer ${token}` } });
  return (await response.json()) as PushSubscriptionStateResponse;
}

/** The other device uploads `minutes` of heart rate and a check-in through the real sync endpoint. */
async function otherDeviceUploads(hoursAgo: number, minutes: number, checkinId: string) {
  const start = minuteStartOf(Date.now()) - hoursAgo * 3600_000;
  const theirs = recording(start, minutes, hoursAgo, 'tablet-strap');
  const uploaded = await uploadBatch(server.url, other.deviceToken, {
    header: {},
    chunks: theirs.chunks,
    docs: [{ kind: 'checkin', id: checkinId, body: { fatigue: 4, note: `from the tablet ${checkinId}` } }],
  });
  expect(uploaded.status).toBe(201);
  return theirs;
}

/** The app's page leaves: only about:blank is open, and the worker is stopped. */
async function closeApp() {
  await browser.page.goto('about:blank');
  expect(browser.context.pages().map((p) => p.url())).toEqual(['about:blank']);
  await browser.cdp.send('ServiceWorker.stopAllWorkers');
}

describe('push subscription in Chromium without internet', () => {
  it('asks only when the button is pressed, then says plainly that the push service is out of reach', async () => {
    const { page } = browser;
    await page.goto(`${origin}/settings`);
    const status = page.getByTestId('push-status');
    const button = page.getByRole('button', { name: 'Get updates from your other devices and messages' });
    // Permission is granted (by the test), yet nothing was subscribed on open.
    await expect.poll(() => status.textContent()).toBe('Off. Steady syncs when you open it.');
    expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).pushManager.getSubscription())).toBeNull();

    await button.click();
    await expect.poll(() => status.textContent()).toBe('Registering with this browser’s push service…');
    // On this machine Chromium's pushManager.subscribe() never settles: the app gives up after 20 s.
    await expect
      .poll(() => status.textContent(), { timeout: 30_000 })
      .toBe(
        'This browser could not reach its push service (no answer after 20 s; are you offline?). Updates are off for now; Steady still syncs whenever you open it. Try again when you are online.',
      );
    expect(await status.getAttribute('aria-live')).toBe('polite');
    expect(await button.isVisible()).toBe(true); // "Try again"
    expect(await serverSubscription(credentials.deviceToken)).toMatchObject({ status: 'none', subscription: null });
  }, 60_000);
});

describe('a push with no page of the app open', () => {
  it('the server’s refresh, carried to the worker, pulls the other device’s data and says what changed', async () => {
    // The server sends its real push to a subscription at the local push service for this device.
    const { publicKey } = (await (await fetch(`${server.url}/api/push/key`)).json()) as PushKeyResponse;
    const simulated = pushService.subscribe(publicKey);
    const put = await fetch(`${server.url}/api/push/subscription`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${credentials.deviceToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(simulated.json),
    });
    expect(put.status).toBe(201);

    await closeApp();
    const theirs = await otherDeviceUploads(5, 20, 'tablet-1');
    await pushService.waitFor(() => pushService.received(simulated.endpoint).length > 0);
    const [received] = pushService.received(simulated.endpoint);
    expect(received?.payload).toMatch(/^\{"type":"refresh","id":"[^"]+"\}$/);
    // The browser itself holds no such subscription: without this, its re-check after the push
    // would try to subscribe again (and wait on the unreachable push service).
    await fetch(`${server.url}/api/push/subscription`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${credentials.deviceToken}` },
    });

    const before = displayed.length;
    await deliverPush(received?.payload ?? '');
    await waitUntil('a notification', async () => displayed.length > before);

    // Reopened only to look: the data is in IndexedDB, and the notification says what changed.
    await browser.page.goto(`${origin}/sync`);
    const log = await readSyncLog(browser.page);
    expect(log.filter((e) => e.trigger === 'push')).toEqual([
      expect.objectContaining({ outcome: 'ok', pulled: expect.objectContaining({ chunks: theirs.chunks.length, docs: { checkin: 1 } }) }),
    ]);
    const first = theirs.chunks[0];
    expect(first && (await readChunk(browser.page, first.id))?.id).toBe(first?.id);
    expect((await readDoc(browser.page, 'checkin|tablet-1'))?.body).toEqual({ fatigue: 4, note: 'from the tablet tablet-1' });
    expect(await notifications()).toEqual([
      {
        title: 'Synced from your other devices',
        body: 'Synced 20 min of heart-rate data and 1 check-in from your other devices.',
        tag: NOTIFICATION_TAGS.syncStatus,
        data: { url: '/sync' },
        actions: [{ action: 'log-checkin', title: 'Log how I feel' }],
      },
    ]);
  });

  it('the same push id delivered twice is handled once', async () => {
    await browser.page.goto(`${origin}/sync`);
    await closeNotifications();
    const pushRuns = (await readSyncLog(browser.page)).filter((e) => e.trigger === 'push').length;
    await closeApp();
    await otherDeviceUploads(4, 5, 'tablet-2');

    const tickle = JSON.stringify({ type: 'refresh', id: 'twice-1' });
    const before = displayed.length;
    await deliverPush(tickle);
    await waitUntil('the first notification', async () => displayed.length > before);
    await deliverPush(tickle);
    await waitUntil('the second notification', async () => displayed.length > before + 1);

    await browser.page.goto(`${origin}/sync`);
    const runs = (await readSyncLog(browser.page)).filter((e) => e.trigger === 'push');
    expect(runs).toHaveLength(pushRuns + 1);
    expect(runs.at(-1)).toMatchObject({ outcome: 'ok', pulled: { chunks: 5, docs: { checkin: 1 } } });
    // The repeat ran no sync; its quiet notice replaced the first one (same tag).
    expect(await notifications()).toEqual([
      expect.objectContaining({
        title: 'Steady is up to date',
        body: 'Nothing new since the last update.',
        tag: NOTIFICATION_TAGS.syncStatus,
      }),
    ]);
  });
});

describe('a push while the app is visible', () => {
  it('updates the page instead of notifying', async () => {
    const { page, context } = browser;
    await page.goto(`${origin}/sync`);
    await waitForController(page);
    await closeNotifications();
    expect(await page.evaluate(() => document.visibilityState)).toBe('visible');
    const rows = page.getByTestId('sync-log').locator('li', { hasText: 'Woken by the server' });
    const shownBefore = (await readSyncLog(page)).filter((e) => e.trigger === 'push').length;
    await expect.poll(() => rows.count()).toBe(shownBefore); // the screen has loaded its log
    await otherDeviceUploads(3, 10, 'tablet-3');

    // The worker's re-check after the push (GET /api/push/subscription) comes after its notification decision.
    const rechecked = new Promise<void>((resolve) => {
      const onRequest = (request: { url(): string; method(): string }) => {
        if (request.method() === 'GET' && new URL(request.url()).pathname === '/api/push/subscription') {
          context.off('request', onRequest);
          resolve();
        }
      };
      context.on('request', onRequest);
    });
    const before = displayed.length;
    await deliverPush(JSON.stringify({ type: 'refresh', id: 'visible-1' }));
    // The visible page hears the run on the sync channel and shows it.
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(shownBefore + 1);
    expect(await rows.first().textContent()).toContain('↓ 11 ');
    await rechecked;
    expect(await notifications()).toEqual([]);
    expect(displayed.length).toBe(before);
    expect((await readDoc(page, 'checkin|tablet-3'))?.body).toEqual({ fatigue: 4, note: 'from the tablet tablet-3' });
  });
});

describe('the worker’s own re-check', () => {
  it.each([
    ['sync', 'ServiceWorker.dispatchSyncEvent', { tag: SYNC_TAG, lastChance: false }],
    ['periodicsync', 'ServiceWorker.dispatchPeriodicSyncEvent', { tag: PERIODIC_SYNC_TAG }],
  ] as const)(
    'after `%s` with no page open and notifications blocked, the server forgets the dead subscription',
    async (_, command, event) => {
      const { publicKey } = (await (await fetch(`${server.url}/api/push/key`)).json()) as PushKeyResponse;
      const put = await fetch(`${server.url}/api/push/subscription`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${credentials.deviceToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(pushService.subscribe(publicKey).json),
      });
      expect(put.status).toBe(201);
      await browser.browserCdp.send('Browser.setPermission', { origin, permission: { name: 'notifications' }, setting: 'denied' });
      try {
        await closeApp();
        await browser.cdp.send(command, { origin, registrationId, ...event });
        await waitUntil(
          'the server to forget the subscription',
          async () => (await serverSubscription(credentials.deviceToken)).status === 'none',
        );
      } finally {
        await grantAllPermissions(browser.browserCdp, origin);
      }
    },
  );
});
