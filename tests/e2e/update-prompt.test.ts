import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, registrationSnapshot, type TestBrowser, waitForController } from '../helpers/browser';
import { type BuiltAppCopy, copyBuiltApp, stampServiceWorker, workerBuilds } from '../helpers/built-app';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';

const PROMPT = 'A new version of Steady is ready';

let app: BuiltAppCopy;
let server: TestServer;
const browsers: TestBrowser[] = [];

beforeAll(async () => {
  app = copyBuiltApp(builtAppDir());
  stampServiceWorker(app.dir, 'A');
  server = await startTestServer({ staticDir: app.dir });
});
afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await server?.dispose();
  app?.dispose();
});

async function openApp(): Promise<Page> {
  const browser = await launchBrowser();
  browsers.push(browser);
  await browser.page.goto(`${server.url}/`);
  await waitForController(browser.page);
  return browser.page;
}

/** Publishes a new build and has the page look for it, as the browser does on navigation. */
async function publishAndCheck(page: Page, build: string): Promise<void> {
  stampServiceWorker(app.dir, build);
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    await registration?.update();
  });
}

function prompt(page: Page) {
  return page.getByRole('alert').filter({ hasText: PROMPT });
}

/** Marks the current document, so a test can tell when the page has really reloaded. */
async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as { steadyTestDocument?: boolean }).steadyTestDocument = true;
  });
}

async function waitForReload(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => (window as { steadyTestDocument?: boolean }).steadyTestDocument ?? false).catch(() => true), {
      timeout: 10_000,
      message: 'the page did not reload',
    })
    .toBe(false);
  await page.waitForLoadState('load');
}

describe('a new version of the service worker', () => {
  let page: Page;

  beforeAll(async () => {
    page = await openApp();
    // A second load, so the page starts controlled like any later visit.
    await page.reload();
    await waitForController(page);
    expect(await workerBuilds(page)).toEqual({ controller: 'A', active: 'A', waiting: null, servedBy: 'A' });
  });

  it('installs and waits, and the page offers it', async () => {
    await publishAndCheck(page, 'B');
    await prompt(page).waitFor({ timeout: 10_000 });
    expect(await registrationSnapshot(page)).toEqual({
      controller: 'activated',
      active: 'activated',
      waiting: 'installed',
      installing: null,
    });
    expect(await workerBuilds(page)).toEqual({ controller: 'A', active: 'A', waiting: 'B', servedBy: 'A' });
  });

  it('"Not now" hides the prompt and the old worker keeps control', async () => {
    await markDocument(page);
    await page.getByRole('button', { name: 'Not now' }).click();
    await prompt(page).waitFor({ state: 'detached' });
    await page.waitForTimeout(1_000); // long enough for a wrongly sent skipWaiting to take effect
    expect(await page.evaluate(() => (window as { steadyTestDocument?: boolean }).steadyTestDocument)).toBe(true);
    expect(await workerBuilds(page)).toEqual({ controller: 'A', active: 'A', waiting: 'B', servedBy: 'A' });
  });

  it('comes back on the next visit while the new worker still waits', async () => {
    await page.reload();
    await prompt(page).waitFor({ timeout: 10_000 });
    expect(await workerBuilds(page)).toEqual({ controller: 'A', active: 'A', waiting: 'B', servedBy: 'A' });
  });

  it('"Reload to update" reloads the page under the new worker', async () => {
    await markDocument(page);
    await page.getByRole('button', { name: 'Reload to update' }).click();
    await waitForReload(page);
    await waitForController(page);
    expect(await workerBuilds(page)).toEqual({ controller: 'B', active: 'B', waiting: null, servedBy: 'B' });
    expect(await registrationSnapshot(page)).toEqual({ controller: 'activated', active: 'activated', waiting: null, installing: null });
    await page.locator('main h1').waitFor();
    expect(await prompt(page).count()).toBe(0);
  });
});

describe('an update found in the visit that installed the first worker', () => {
  it('"Reload to update" reloads that page under the new worker too', async () => {
    const page = await openApp(); // uncontrolled at load; the first worker claimed it
    const current = await workerBuilds(page);
    expect(current.waiting).toBeNull();
    expect(current.servedBy).toBe(current.controller);
    await publishAndCheck(page, 'C');
    await prompt(page).waitFor({ timeout: 10_000 });
    await markDocument(page);
    await page.getByRole('button', { name: 'Reload to update' }).click();
    await waitForReload(page);
    await waitForController(page);
    expect(await workerBuilds(page)).toEqual({ controller: 'C', active: 'C', waiting: null, servedBy: 'C' });
  });
});
