import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser, waitForController } from '../helpers/browser';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';
import { setPageHidden } from '../helpers/visibility';

// Rest mode in real Chromium. Headless Chromium grants the Screen Wake Lock by itself
// (permission 'screen-wake-lock' answers 'granted', nothing emulated). Every sentinel the app
// gets is the browser's own; the init script only keeps a reference to each so the test can
// see whether it is released, and release it as the browser does when a tab is hidden.

let server: TestServer;
let browser: TestBrowser;

beforeAll(async () => {
  server = await startTestServer({ staticDir: builtAppDir() });
  browser = await launchBrowser({ viewport: { width: 390, height: 844 } });
  await browser.context.addInitScript(() => {
    const sentinels: WakeLockSentinel[] = [];
    (window as unknown as { __wakeSentinels: WakeLockSentinel[] }).__wakeSentinels = sentinels;
    const request = WakeLock.prototype.request;
    WakeLock.prototype.request = async function (this: WakeLock, type?: WakeLockType) {
      const sentinel = await request.call(this, type);
      sentinels.push(sentinel);
      return sentinel;
    };
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

/** Each sentinel the page was given, oldest first: released or not. */
const sentinels = () =>
  browser.page.evaluate(() =>
    (window as unknown as { __wakeSentinels: WakeLockSentinel[] }).__wakeSentinels.map((s) => ({ type: s.type, released: s.released })),
  );

/** Waits until rest mode reports the lock in `state`. */
const wakeState = (state: string) => browser.page.locator(`[data-testid="rest-wake"][data-state="${state}"]`).waitFor({ timeout: 5_000 });

describe('rest mode', () => {
  it('is one tap from Today while the armband records, and not offered before', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/`);
    await waitForController(page);
    expect(await page.getByTestId('rest-entry').count()).toBe(0);
    await page.getByRole('button', { name: 'Try the demo armband' }).click();
    await page.getByTestId('rest-entry').click();
    await page.locator('main h1').filter({ hasText: 'Rest mode' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/rest');
    await page
      .getByTestId('rest-bpm')
      .filter({ hasText: /^\d+ bpm$/ })
      .waitFor({ timeout: 10_000 });
    // Nothing to tap by accident: the navigation is gone, one way out is left.
    expect(await page.locator('nav[aria-label="Main"]').isVisible()).toBe(false);
    expect(await page.locator('main').getByRole('link').or(page.locator('main').getByRole('button')).allTextContents()).toEqual([
      'Leave rest mode',
    ]);
  });

  it('holds a real wake lock, and says so', async () => {
    await wakeState('held');
    expect(await sentinels()).toEqual([{ type: 'screen', released: false }]);
    expect(await browser.page.getByTestId('rest-wake').textContent()).toBe('The screen stays on while this page is open.');
  });

  it('asks for the lock again when the page is shown after being hidden', async () => {
    const { page } = browser;
    await setPageHidden(page, true);
    // What Chromium does to a hidden page's lock (it cannot hide a headless tab itself).
    await page.evaluate(() => (window as unknown as { __wakeSentinels: WakeLockSentinel[] }).__wakeSentinels.at(-1)?.release());
    await wakeState('paused');
    expect(await page.getByTestId('rest-wake').textContent()).toMatch(/^Steady is in the background: the screen may turn off\./);
    expect(await sentinels()).toEqual([{ type: 'screen', released: true }]);

    await setPageHidden(page, false);
    await wakeState('held');
    expect(await sentinels()).toEqual([
      { type: 'screen', released: true },
      { type: 'screen', released: false },
    ]);
    // A second show while held asks for nothing more.
    await setPageHidden(page, false);
    await page.waitForTimeout(200);
    expect(await sentinels()).toHaveLength(2);
  });

  it('lets the lock go on leaving, and Today is as before', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Leave rest mode' }).click();
    await page.locator('main h1').filter({ hasText: 'Today' }).waitFor();
    expect(await page.locator('nav[aria-label="Main"]').isVisible()).toBe(true);
    await expect.poll(async () => (await sentinels()).map((s) => s.released)).toEqual([true, true]);
  });

  it('opens straight from its shortcut URL, offering the armband when nothing records', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/rest`);
    await wakeState('held');
    expect(await page.getByTestId('rest-bpm').textContent()).toBe('-- bpm');
    expect(await page.getByTestId('rest-armband').textContent()).toBe('No armband connected.');
    await page.getByRole('button', { name: 'Try the demo armband' }).click();
    await page
      .getByTestId('rest-bpm')
      .filter({ hasText: /^\d+ bpm$/ })
      .waitFor({ timeout: 10_000 });
  });

  it('says plainly when the browser has no Screen Wake Lock', async () => {
    const page = await browser.context.newPage();
    try {
      await page.addInitScript(() => delete (Navigator.prototype as { wakeLock?: unknown }).wakeLock);
      await page.goto(`${server.url}/rest`);
      await page.locator('[data-testid="rest-wake"][data-state="unsupported"]').waitFor({ timeout: 5_000 });
      expect(await page.getByTestId('rest-wake').textContent()).toMatch(
        /^This browser cannot keep the screen on \(it has no Screen Wake Lock\)\./,
      );
    } finally {
      await page.close();
    }
  });
});
