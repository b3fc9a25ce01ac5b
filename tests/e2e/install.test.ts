import type { CDPSession, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { putSyncedDocs } from '../helpers/app-db';
import { launchBrowser, type TestBrowser, waitForController } from '../helpers/browser';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';

// The install offer and the app badge, in real Chromium. Headless Chromium fires
// `beforeinstallprompt` by itself for an installable app, and CDP `PWA.install` installs for real
// (though it fires no `appinstalled`: one test dispatches it); `PWA.getOsAppState` reads the badge
// the OS would show; `PWA.launch` launches it as a shortcut would.
// Only the browser's own install dialog cannot be answered headless (prompt() stays pending), so
// one test stands in for the person's answer by overriding `prompt` and `userChoice`.

let server: TestServer;
let browser: TestBrowser | null = null;

beforeAll(async () => {
  server = await startTestServer({ staticDir: builtAppDir() });
});
afterEach(async () => {
  await browser?.close();
  browser = null;
});
afterAll(async () => {
  await server?.dispose();
});

/** A fresh browser on Today, counting the install prompts Chromium fires. */
async function openToday(): Promise<TestBrowser> {
  browser = await launchBrowser({ viewport: { width: 390, height: 844 } });
  await browser.context.addInitScript(() => {
    const log = { prompts: 0 };
    (window as unknown as { __install: typeof log }).__install = log;
    addEventListener('beforeinstallprompt', () => log.prompts++);
  });
  await browser.page.goto(`${server.url}/`);
  await waitForController(browser.page);
  return browser;
}

/** Installs Steady as the browser's menu would: from the open page (the page's session, no install URL). */
const install = (cdp: CDPSession) => cdp.send('PWA.install', { manifestId: `${server.url}/` });
const installLog = (page: Page) => page.evaluate(() => (window as unknown as { __install: { prompts: number } }).__install);
const storedChoice = (page: Page) => page.evaluate(() => localStorage.getItem('steady.install-choice'));
const card = (page: Page) => page.getByTestId('install-card');

/** A fresh browser on Today, once the offer shows. */
async function openWithOffer(): Promise<TestBrowser> {
  const opened = await openToday();
  await card(opened.page).waitFor({ timeout: 10_000 });
  return opened;
}

/** Reloads, waits for Chromium's install prompt, and checks the offer stays away all the same. */
async function expectNoOfferAfterReload(page: Page): Promise<void> {
  await page.reload();
  await expect.poll(async () => (await installLog(page)).prompts, { timeout: 10_000 }).toBe(1);
  await page.waitForTimeout(300);
  expect(await card(page).count()).toBe(0);
}

describe('the install offer', () => {
  it('shows once the browser can install, and never again after "No thanks"', async () => {
    const { page } = await openWithOffer();
    expect(await card(page).getByRole('heading').textContent()).toBe('Install Steady');
    await card(page).getByRole('button', { name: 'No thanks' }).click();
    expect(await card(page).count()).toBe(0);
    expect(await storedChoice(page)).toBe('dismissed');

    await expectNoOfferAfterReload(page);
  });

  it('is gone for good once Steady is installed', async () => {
    const { page } = await openWithOffer();
    // What Chromium fires after an install from its menu. CDP PWA.install fires none, and headless
    // Chromium goes on firing beforeinstallprompt after it, so the event is the app's only cue.
    await page.evaluate(() => dispatchEvent(new Event('appinstalled')));
    await card(page).waitFor({ state: 'detached', timeout: 5_000 });
    expect(await storedChoice(page)).toBe('installed');
    await expectNoOfferAfterReload(page);
  });

  it("the Install button opens the browser's dialog and takes its answer", async () => {
    const { page } = await openWithOffer();
    // The answer a person would give in the dialog, which headless Chromium never shows.
    await page.evaluate(() => {
      const proto = (window as unknown as { BeforeInstallPromptEvent: { prototype: object } }).BeforeInstallPromptEvent.prototype;
      Object.defineProperty(proto, 'prompt', { configurable: true, value: async () => undefined });
      Object.defineProperty(proto, 'userChoice', { configurable: true, get: async () => ({ outcome: 'dismissed', platform: '' }) });
    });
    await card(page).getByRole('button', { name: 'Install' }).click();
    await card(page).waitFor({ state: 'detached', timeout: 5_000 });
    // A no in the browser's dialog is a no for good, as "No thanks" is.
    expect(await storedChoice(page)).toBe('dismissed');
    await expectNoOfferAfterReload(page);
  });
});

describe('the app badge', () => {
  it("shows the unread message count on the installed app's icon, and clears it once read", async () => {
    const { page, cdp, browserCdp } = await openToday();
    await install(cdp);
    const badge = async () => (await browserCdp.send('PWA.getOsAppState', { manifestId: `${server.url}/` })).badgeCount;
    expect(await badge()).toBe(0);
    const createdAt = new Date().toISOString();
    await putSyncedDocs(
      page,
      ['msg-1', 'msg-2'].map((id) => ({ kind: 'message', id, body: { text: `Message ${id}`, from: 'Clinic', createdAt } })),
    );
    await page.reload();
    await expect.poll(badge, { timeout: 10_000 }).toBe(2);
    await page.goto(`${server.url}/messages`);
    await page.getByRole('button', { name: 'Mark read' }).first().click();
    await expect.poll(badge, { timeout: 5_000 }).toBe(1);
    await page.getByRole('button', { name: 'Mark read' }).click();
    await expect.poll(badge, { timeout: 5_000 }).toBe(0);
  });
});

describe('launching the installed app', () => {
  it('a Rest mode shortcut while Steady is open goes to rest mode in that window, the armband still recording', async () => {
    const { page, cdp, browserCdp } = await openToday();
    await install(cdp);
    await page.getByRole('button', { name: 'Try the demo armband' }).click();
    await page.getByTestId('live-bpm').filter({ hasText: /\d+/ }).waitFor({ timeout: 10_000 });
    await page.evaluate(() => Object.assign(window, { __sameDocument: true }));

    // What a tap on the shortcut does: launch the app at its URL.
    await browserCdp.send('PWA.launch', { manifestId: `${server.url}/`, url: `${server.url}/rest` });
    await page.locator('main h1').filter({ hasText: 'Rest mode' }).waitFor({ timeout: 5_000 });
    expect(new URL(page.url()).pathname).toBe('/rest');
    // focus-existing hands the URL to launchQueue; a reload would have stopped the armband.
    expect(await page.evaluate(() => '__sameDocument' in window)).toBe(true);
    await page
      .getByTestId('rest-bpm')
      .filter({ hasText: /^\d+ bpm$/ })
      .waitFor({ timeout: 5_000 });
  });
});
