import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCredentials, waitForCredentials } from '../helpers/app-db';
import { launchBrowser, type TestBrowser, waitForController } from '../helpers/browser';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';
import { ACCOUNT_PENDING_TEXT, accountIdsInDatabase, expectScreen, listDevices, navLink, SCREENS, screenAt } from '../helpers/steady-app';

/** Fixed: the origin (and so the app's storage) must survive the server's restart. */
const PORT = 18163;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-first-run-'));
let server: TestServer | null = null;
let browser: TestBrowser;
const refusedAttempts: number[] = [];

function start(): Promise<TestServer> {
  return startTestServer({ staticDir: builtAppDir(), port: PORT, dataDir });
}

beforeAll(async () => {
  server = await start();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function pendingBanner() {
  return browser.page.getByRole('status').filter({ hasText: ACCOUNT_PENDING_TEXT });
}

describe('a first run that cannot reach the server', () => {
  it('loads, caches the shell, and says it is waiting for the server', async () => {
    const { context, page } = browser;
    // The shell loads; only account creation fails, as if the connection dropped right after.
    await context.route('**/api/accounts', (route) => {
      refusedAttempts.push(Date.now());
      return route.abort('internetdisconnected');
    });
    await page.goto(`http://127.0.0.1:${PORT}/`);
    await waitForController(page);
    await pendingBanner().waitFor({ timeout: 10_000 });
    await expect.poll(() => refusedAttempts.length, { timeout: 10_000, message: 'the app did not retry' }).toBeGreaterThanOrEqual(2);
    expect(await readCredentials(page)).toBeUndefined();
    expect(accountIdsInDatabase(dataDir)).toEqual([]);
  });

  it('keeps working on every screen with the server down and the device offline', async () => {
    const { context, page } = browser;
    await server?.close();
    server = null;
    await context.unrouteAll();
    const reload = await page.reload();
    expect(reload?.fromServiceWorker()).toBe(true);
    // Offline only after the reload: Chromium applies the emulated offline state to a new
    // document's navigator.onLine only when it changes.
    await context.setOffline(true);
    await page.getByRole('status').filter({ hasText: 'You are offline' }).waitFor();
    for (const screen of SCREENS) {
      await navLink(page, screen.label).click();
      await expectScreen(page, screen);
      expect(await pendingBanner().isVisible()).toBe(true);
    }
    expect(await readCredentials(page)).toBeUndefined();
  });

  it('creates its account, exactly once, as soon as the network returns', async () => {
    const { context, page } = browser;
    // After its 4th failure the app backs off at least 4 s; going online must not wait for that.
    await pendingBanner().filter({ hasText: '(attempt 4)' }).waitFor({ timeout: 20_000 });
    server = await start();
    expect(accountIdsInDatabase(dataDir)).toEqual([]);
    await context.setOffline(false);
    const credentials = await waitForCredentials(page, 3_000);
    await pendingBanner().waitFor({ state: 'detached' });
    expect(accountIdsInDatabase(dataDir)).toEqual([credentials.accountId]);
    const { status, body } = await listDevices(server.url, credentials.deviceToken);
    expect(status).toBe(200);
    expect(body?.devices).toEqual([expect.objectContaining({ id: credentials.deviceId, current: true })]);
  });

  it('keeps that one account on the next visit', async () => {
    const { page } = browser;
    const before = await readCredentials(page);
    await page.reload();
    await expectScreen(page, screenAt('/settings'));
    await page.waitForTimeout(1_500); // time enough for a wrongly started second creation to land
    expect(await readCredentials(page)).toEqual(before);
    expect(await pendingBanner().count()).toBe(0);
    expect(accountIdsInDatabase(dataDir)).toEqual([before?.accountId]);
  });
});
