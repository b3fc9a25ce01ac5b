import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import type { DeviceCredentials } from '../../src/db/schema';
import type { PushKeyResponse, PushSubscriptionStateResponse } from '../../src/shared/api';
import { PUSH_TOPICS } from '../../src/shared/names';
import { parsePushTickle } from '../../src/shared/push-tickle';
import { minuteStartOf } from '../../src/shared/samples';
import { waitForCredentials } from '../helpers/app-db';
import { grantAllPermissions, launchBrowser, type TestBrowser, waitForController } from '../helpers/browser';
import { LocalPushService } from '../helpers/push-service';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';
import { joinAccount, uploadBatch } from '../helpers/sync-client';
import { recording } from '../helpers/sync-e2e';

/**
 * The Settings card and the re-check on open, with Chromium's PushManager replaced by one that
 * subscribes at the local push service (Chromium cannot reach a real one here; see
 * push-refresh.test.ts for what the unstubbed browser does). Everything else is real: the
 * built app, the server's routes and VAPID keys, and the server's pushes to that subscription.
 */

const TURN_ON = 'Get updates from your other devices and messages';
const ON_TEXT =
  'On. When your other devices upload data or a message arrives, Steady updates in the background and tells you what changed.';
const OFF_TEXT = 'Off. Steady syncs when you open it.';

let pushService: LocalPushService;
let server: TestServer;
let browser: TestBrowser;
let page: Page;
let origin: string;
let credentials: DeviceCredentials;
/** The applicationServerKey of every `subscribe`, and every endpoint unsubscribed, in the page. */
const subscribedWith: string[] = [];
const unsubscribed: string[] = [];
const env = () => ({ PUSH_ALLOWED_HOSTS: pushService.host, PUSH_EXTRA_CA_FILE: pushService.caFile, PUSH_DEBOUNCE_MS: '200' });

/**
 * Runs in the page before the app: PushManager backed by the test (subscribe → a subscription
 * at the local push service) and by localStorage (so it survives reloads, as a real one does).
 */
function stubPushManager() {
  type Json = { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
  const test = window as unknown as {
    __pushSubscribe(key: string): Promise<Json>;
    __pushUnsubscribed(endpoint: string): Promise<void>;
  };
  const toB64 = (buffer: ArrayBuffer) =>
    btoa(String.fromCharCode(...new Uint8Array(buffer)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  const fromB64 = (text: string) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)).buffer;
  const make = ({ json, key }: { json: Json; key: string }) => ({
    endpoint: json.endpoint,
    expirationTime: null,
    options: { applicationServerKey: fromB64(key), userVisibleOnly: true },
    toJSON: () => json,
    async unsubscribe() {
      localStorage.removeItem('test-push-subscription');
      await test.__pushUnsubscribed(json.endpoint);
      return true;
    },
  });
  PushManager.prototype.getSubscription = async () => {
    const stored = localStorage.getItem('test-push-subscription');
    return stored ? (make(JSON.parse(stored)) as unknown as PushSubscription) : null;
  };
  PushManager.prototype.subscribe = async (options?: PushSubscriptionOptionsInit) => {
    const key = toB64(options?.applicationServerKey as ArrayBuffer);
    const record = { json: await test.__pushSubscribe(key), key };
    localStorage.setItem('test-push-subscription', JSON.stringify(record));
    return make(record) as unknown as PushSubscription;
  };
}

beforeAll(async () => {
  pushService = await LocalPushService.start();
  server = await startTestServer({ staticDir: builtAppDir(), env: env() });
  origin = server.url;
  browser = await launchBrowser();
  page = browser.page;
  await browser.context.exposeFunction('__pushSubscribe', (key: string) => {
    subscribedWith.push(key);
    return pushService.subscribe(key).json;
  });
  await browser.context.exposeFunction('__pushUnsubscribed', (endpoint: string) => {
    unsubscribed.push(endpoint);
  });
  await browser.context.addInitScript(stubPushManager);
  await grantAllPermissions(browser.browserCdp, origin);
  await page.goto(`${origin}/settings`);
  await waitForController(page);
  credentials = await waitForCredentials(page);
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
  await pushService?.close();
});

const status = () => page.getByTestId('push-status');

async function serverState(): Promise<PushSubscriptionStateResponse> {
  const response = await fetch(`${server.url}/api/push/subscription`, { headers: { authorization: `Bearer ${credentials.deviceToken}` } });
  return (await response.json()) as PushSubscriptionStateResponse;
}

async function serverKey(): Promise<PushKeyResponse> {
  return (await (await fetch(`${server.url}/api/push/key`)).json()) as PushKeyResponse;
}

describe('the Settings card with a working push service', () => {
  it('subscribes only when asked, shows it is on, and the server’s pushes reach that subscription', async () => {
    await expect.poll(() => status().textContent()).toBe(OFF_TEXT);
    expect(subscribedWith).toEqual([]);
    await page.getByRole('button', { name: TURN_ON }).click();
    await expect.poll(() => status().textContent()).toBe(ON_TEXT);

    const key = await serverKey();
    expect(subscribedWith).toEqual([key.publicKey]);
    const state = await serverState();
    expect(state).toMatchObject({ status: 'current', keyId: key.keyId, subscription: { keyId: key.keyId } });
    const endpoint = state.subscription?.endpoint ?? '';
    expect(endpoint.startsWith(pushService.origin)).toBe(true);

    // Another device uploads: the server's refresh arrives, VAPID-signed and decryptable, at this browser's endpoint.
    const other = await joinAccount(server.url, credentials, 'tablet');
    const theirs = recording(minuteStartOf(Date.now()) - 3600_000, 3, 7, 'tablet-strap');
    expect((await uploadBatch(server.url, other.deviceToken, { header: {}, chunks: theirs.chunks, docs: [] })).status).toBe(201);
    await pushService.waitFor(() => pushService.received(endpoint).length > 0);
    const [received] = pushService.received(endpoint);
    expect(received).toMatchObject({ status: 201, problem: null, topic: PUSH_TOPICS.refresh });
    expect(parsePushTickle(received?.payload)?.type).toBe('refresh');
  });

  it('on open, PUTs the subscription again when the server has lost it', async () => {
    const before = await serverState();
    const deleted = await fetch(`${server.url}/api/push/subscription`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${credentials.deviceToken}` },
    });
    expect(deleted.status).toBe(204);
    await page.reload();
    await expect.poll(async () => (await serverState()).status).toBe('current');
    expect((await serverState()).subscription?.endpoint).toBe(before.subscription?.endpoint);
    expect(subscribedWith).toHaveLength(1);
    await expect.poll(() => status().textContent()).toBe(ON_TEXT);
  });

  it('on open after the server changed its VAPID key: unsubscribes, subscribes with the new key, PUTs it', async () => {
    const old = await serverState();
    const port = Number(new URL(server.url).port);
    const dataDir = server.dataDir;
    await server.close();
    const next = webpush.generateVAPIDKeys();
    server = await startTestServer({
      staticDir: builtAppDir(),
      port,
      dataDir,
      env: { ...env(), VAPID_PUBLIC_KEY: next.publicKey, VAPID_PRIVATE_KEY: next.privateKey },
    });
    const key = await serverKey();
    expect(key.publicKey).toBe(next.publicKey);
    expect(await serverState()).toMatchObject({ status: 'stale' });

    await page.reload();
    await expect.poll(async () => (await serverState()).status).toBe('current');
    const renewed = await serverState();
    expect(renewed.keyId).toBe(key.keyId);
    expect(renewed.subscription?.endpoint).not.toBe(old.subscription?.endpoint);
    expect(subscribedWith.at(-1)).toBe(next.publicKey);
    expect(unsubscribed).toEqual([old.subscription?.endpoint]);
    await expect.poll(() => status().textContent()).toBe(ON_TEXT);
  });

  it('Stop updates: the server forgets the subscription and the browser drops it', async () => {
    const endpoint = (await serverState()).subscription?.endpoint;
    await page.getByRole('button', { name: 'Stop updates' }).click();
    await expect.poll(() => status().textContent()).toBe(OFF_TEXT);
    expect(await serverState()).toMatchObject({ status: 'none', subscription: null });
    expect(unsubscribed.at(-1)).toBe(endpoint);
    expect(await page.evaluate(() => localStorage.getItem('test-push-subscription'))).toBeNull();
    // Reopening does not bring it back.
    await page.reload();
    await expect.poll(() => status().textContent()).toBe(OFF_TEXT);
    expect(await serverState()).toMatchObject({ status: 'none' });
  });

  it('notifications blocked: says how to allow them, and the server forgets a subscription that can no longer work', async () => {
    await page.getByRole('button', { name: TURN_ON }).click();
    await expect.poll(() => status().textContent()).toBe(ON_TEXT);
    await browser.browserCdp.send('Browser.setPermission', { origin, permission: { name: 'notifications' }, setting: 'denied' });
    await page.reload();
    await expect.poll(() => status().textContent()).toMatch(/^Notifications are blocked for Steady in this browser/);
    expect(await status().textContent()).toContain('allow notifications for Steady, then come back here');
    expect(await page.getByRole('button', { name: TURN_ON }).count()).toBe(0);
    await expect.poll(async () => (await serverState()).status).toBe('none');
    await grantAllPermissions(browser.browserCdp, origin);
  });

  it('without PushManager: says that the server cannot wake Steady and that it syncs from the page', async () => {
    const bare = await browser.context.newPage();
    await bare.addInitScript(() => {
      delete (window as { PushManager?: unknown }).PushManager;
    });
    await bare.goto(`${origin}/settings`);
    const text = bare.getByTestId('push-status');
    await expect
      .poll(() => text.textContent())
      .toMatch(/^This browser cannot receive push messages, so the server cannot wake Steady here\./);
    expect(await text.textContent()).toContain('Steady falls back to page-driven sync');
    expect(await bare.getByRole('button', { name: TURN_ON }).count()).toBe(0);
    await bare.close();
  });
});
