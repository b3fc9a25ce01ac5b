import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHeartRateMeasurement } from '../../src/shared/armband/heart-rate-measurement';
import { NOTIFICATION_TAGS } from '../../src/shared/names';
import { DEFAULT_PACING_SETTINGS } from '../../src/shared/pacing/settings';
import { readDoc } from '../helpers/app-db';
import { ArmbandEmulation, eventually } from '../helpers/armband-emulation';
import { grantAllPermissions, launchBrowser, type TestBrowser, waitForController } from '../helpers/browser';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';
import { setPageHidden } from '../helpers/visibility';

/**
 * Pacing alerts end to end: settings typed into the Settings card, heart rate streamed by the
 * emulated armband at 1 Hz in real time (the app stamps samples with its own clock, so the
 * dwell is real seconds), notifications counted two ways: what the registration holds
 * (getNotifications) and every showNotification call the page made.
 */

// Fixed: the origin must stay the same across the reload at the end.
const PORT = 18251;
const TAG = NOTIFICATION_TAGS.pacing;
const THRESHOLD = 100;
const DWELL_S = 5;

let server: TestServer;
let browser: TestBrowser;
let armband: ArmbandEmulation;

/** Records every showNotification the page makes (the real call still happens). */
function countShowNotification() {
  const original = ServiceWorkerRegistration.prototype.showNotification;
  const shown: { title: string; tag?: string; body?: string; hidden: boolean }[] = [];
  (globalThis as { __shown?: typeof shown }).__shown = shown;
  ServiceWorkerRegistration.prototype.showNotification = function (this: ServiceWorkerRegistration, title, options) {
    shown.push({ title, tag: options?.tag, body: options?.body, hidden: document.visibilityState === 'hidden' });
    return original.call(this, title, options);
  };
}
const shown = () =>
  browser.page.evaluate(
    () => (globalThis as { __shown?: { title: string; tag?: string; body?: string; hidden: boolean }[] }).__shown ?? [],
  );
const shownCount = async () => (await shown()).filter((entry) => entry.tag === TAG).length;

/** The notifications the registration holds with the pacing tag. */
const notifications = () =>
  browser.page.evaluate(async (tag) => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications({ tag })).map((n) => ({ title: n.title, body: n.body, tag: n.tag }));
  }, TAG);

/** Sends one heart-rate notification a second, each bpm in turn: the app's clock is real time. */
let nextSendAt = 0;
async function stream(bpms: readonly number[]): Promise<void> {
  for (const bpm of bpms) {
    // One cadence across calls: back-to-back stream() calls stay 1 s apart, as a strap would be.
    const at = Math.max(nextSendAt, Date.now());
    if (at > Date.now()) await new Promise((resolve) => setTimeout(resolve, at - Date.now()));
    nextSendAt = at + 1000;
    await armband.notify(browser.page, 'heartRate', encodeHeartRateMeasurement({ bpm, contact: true, rrMs: [Math.round(60_000 / bpm)] }));
  }
}
const hold = (bpm: number, seconds: number) => Array<number>(seconds).fill(bpm);
/** ±1 bpm around the threshold: after the alert this must not start a new episode. */
const flap = (seconds: number) => Array.from({ length: seconds }, (_, i) => (i % 2 === 0 ? THRESHOLD + 1 : THRESHOLD - 1));
/**
 * Stretches 1 bpm above the threshold longer than the dwell, each ended by a dip to 1 bpm below:
 * without hysteresis every dip would end the episode and the next stretch would alert again.
 */
const dips = () => [...hold(THRESHOLD + 1, DWELL_S + 2), THRESHOLD - 1, ...hold(THRESHOLD + 1, DWELL_S + 2), THRESHOLD - 1];
/** Below the recovery line (threshold − 5) for longer than the 10 s recovery dwell: the episode ends. */
const recover = () => hold(80, 12);

const setHidden = (hidden: boolean) => setPageHidden(browser.page, hidden);

const alertState = () => browser.page.getByTestId('pacing-alert-state');

async function storedSettings(): Promise<unknown> {
  return (await readDoc(browser.page, 'settings|pacing'))?.body ?? null;
}

/** The pacing settings document as the server stored it (read from its SQLite file), or null. */
function serverSettings(): Promise<unknown> {
  const db = new SQLite(path.join(server.dataDir, 'steady.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("select body from sync_records where kind = 'settings' and record_id = 'pacing'").get() as
      | { body: string | Buffer }
      | undefined;
    return Promise.resolve(row ? JSON.parse(row.body.toString()) : null);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  server = await startTestServer({ staticDir: builtAppDir(), port: PORT });
  browser = await launchBrowser({ bluetooth: true });
  await browser.context.addInitScript(countShowNotification);
  await browser.page.goto(`${server.url}/`);
  await waitForController(browser.page);
});
afterAll(async () => {
  await armband?.stop();
  await browser?.close();
  await server?.dispose();
});

describe('pacing alerts', () => {
  it('offers "Allow alerts" while notifications are not allowed, and drops it once they are', async () => {
    const { page } = browser;
    const allow = page.getByRole('button', { name: 'Allow alerts' });
    await allow.waitFor({ timeout: 10_000 });
    await grantAllPermissions(browser.browserCdp, server.url);
    expect(await page.evaluate(() => Notification.permission)).toBe('granted');
    // The card follows the permission's change event; no reload.
    await allow.waitFor({ state: 'detached', timeout: 5_000 });
  });

  it('refuses an out-of-range threshold with a clear message and saves nothing', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Settings' }).click();
    const card = page.getByTestId('pacing-settings');
    await card.getByRole('radio', { name: /Set by hand/ }).check();
    await card.getByLabel('Threshold (bpm)').fill('250');
    await card.getByRole('button', { name: 'Save pacing settings' }).click();
    await card.getByText('Threshold must be a whole number from 60 to 200 bpm.').waitFor({ timeout: 5_000 });
    expect(await card.getByLabel('Threshold (bpm)').getAttribute('aria-invalid')).toBe('true');
    expect(await card.getByTestId('pacing-save-status').textContent()).toContain('Not saved');
    expect(await storedSettings()).toBeNull();
  });

  it('saves a hand-set threshold and dwell as the synced settings document', async () => {
    const { page } = browser;
    const card = page.getByTestId('pacing-settings');
    await card.getByLabel('Threshold (bpm)').fill(String(THRESHOLD));
    await card.getByLabel('Seconds above the threshold before an alert').fill(String(DWELL_S));
    await card.getByRole('button', { name: 'Save pacing settings' }).click();
    await card.getByText('Saved.').waitFor({ timeout: 5_000 });
    // Everything else as a new user has it (the defaults), threshold and dwell as typed.
    expect(await storedSettings()).toEqual({ ...DEFAULT_PACING_SETTINGS, threshold: THRESHOLD, dwellSeconds: DWELL_S });
    // Saving starts a sync: the server holds the same document, for the account's other devices.
    const onServer = await eventually(serverSettings, (body) => body !== null, 15_000, 'the settings document on the server');
    expect(onServer).toEqual(await storedSettings());
  });

  it('raises exactly one notification for a rise held past the dwell, with dips 1 bpm either side of the threshold', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Today' }).click();
    await page
      .getByTestId('pacing-threshold')
      .filter({ hasText: `${THRESHOLD} bpm` })
      .waitFor({ timeout: 5_000 });
    armband = await ArmbandEmulation.start(browser);
    await page.getByRole('button', { name: 'Connect armband' }).click();
    await page.getByTestId('armband-state').filter({ hasText: 'Recording' }).waitFor({ timeout: 10_000 });

    await stream(hold(80, 3));
    await page.getByTestId('pacing-zone').filter({ hasText: 'Activity' }).waitFor({ timeout: 3_000 });
    // Four seconds above: still within the dwell, no alert yet.
    await stream(hold(120, 5));
    expect(await alertState().textContent()).toContain('an alert follows if it stays there for 5 s');
    expect(await shownCount()).toBe(0);
    // The sixth second above the threshold completes the 5 s dwell.
    await stream(hold(120, 2));
    await eventually(shownCount, (n) => n === 1, 3_000, 'one showNotification call');
    await page.getByTestId('pacing-zone').filter({ hasText: 'Exertion' }).waitFor({ timeout: 3_000 });
    await alertState().filter({ hasText: 'time to rest' }).waitFor({ timeout: 3_000 });

    const body = /^Heart rate 120 bpm, above your 100 bpm threshold for [56] s — time to rest$/;
    await eventually(notifications, (list) => list.length > 0, 5_000, 'the notification in the registration');
    expect(await notifications()).toEqual([{ title: 'Time to rest', tag: TAG, body: expect.stringMatching(body) }]);

    await stream(dips());
    // Headless Chromium drops a shown notification 25–30 s after showing it (no notification centre
    // to keep it in), so the registration is asked while the episode lasts, after all the dips.
    expect(await notifications()).toEqual([{ title: 'Time to rest', tag: TAG, body: expect.stringMatching(body) }]);
    expect(await shownCount()).toBe(1);
    await stream(recover());
    await alertState().filter({ hasText: 'Below your threshold' }).waitFor({ timeout: 3_000 });
    expect(await shownCount()).toBe(1);
    expect(await page.getByTestId('pacing-banner').count()).toBe(0);
  });

  it('raises a second notification for a second rise after recovery, with the page hidden', async () => {
    const { page } = browser;
    // Clear the first so the count from the registration must move too.
    await page.evaluate(async (tag) => {
      for (const n of await (await navigator.serviceWorker.ready).getNotifications({ tag })) n.close();
    }, TAG);
    expect(await notifications()).toEqual([]);

    // Hidden as the page sees itself: headless Chromium cannot really hide a tab (see setPageHidden).
    await setHidden(true);
    await stream(hold(120, 7));
    await eventually(shownCount, (n) => n === 2, 5_000, 'a second showNotification call');
    expect((await shown()).at(-1)?.hidden).toBe(true);
    // The call is counted as it is made; the registration holds the notification once it resolves.
    await eventually(notifications, (list) => list.length === 1, 5_000, 'the second notification in the registration');
    await stream(flap(4));
    expect(await notifications()).toHaveLength(1);
    await stream(recover());
    expect(await shownCount()).toBe(2);
    await setHidden(false);
  });

  it('shows the alert in the page (role="alert") when notifications are not allowed', async () => {
    const { page } = browser;
    // Granting only this resets notifications to "ask" (browser-testing.md, "Permissions (traps)").
    await browser.browserCdp.send('Browser.grantPermissions', { origin: server.url, permissions: ['backgroundSync'] });
    expect(await page.evaluate(() => Notification.permission)).not.toBe('granted');
    await page.getByTestId('pacing-permission').waitFor({ timeout: 5_000 });
    await stream(hold(120, 7));
    const banner = page.getByRole('alert').filter({ hasText: 'Time to rest.' });
    await banner.waitFor({ timeout: 3_000 });
    expect(await banner.textContent()).toContain(`above your ${THRESHOLD} bpm threshold`);
    expect(await shownCount()).toBe(2);
    await stream(recover());
    await banner.waitFor({ state: 'detached', timeout: 3_000 });
  });

  it("counts today's time above the threshold and pace points, the same after a reload (from the stored samples)", async () => {
    const { page } = browser;
    const budget = page.getByTestId('pacing-budget');
    const before = (await budget.locator('.budget-text strong').textContent()) ?? '';
    const above = (await page.getByTestId('pacing-above').textContent()) ?? '';
    expect(before).toMatch(/^\d+ of 120 pace points$/);
    // One-second spans starting at or above the threshold, from the script: episode 1 has 7 (the 120s)
    // + 14 (the 101s of the dips), episode 2 has 7 + 2, episode 3 has 7: 37 s, give or take delivery jitter.
    expect(above).toMatch(/^\d+ s$/);
    expect(Number.parseInt(above, 10)).toBeGreaterThanOrEqual(35);
    expect(Number.parseInt(above, 10)).toBeLessThanOrEqual(39);
    // Let the recorder's batch land before reloading.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await page.reload();
    await armband.arm();
    await page.getByTestId('pacing-budget').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('pacing-budget').locator('.budget-text strong').textContent()).toBe(before);
    expect(await page.getByTestId('pacing-above').textContent()).toBe(above);
  });
});
