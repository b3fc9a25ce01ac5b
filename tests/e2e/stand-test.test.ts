import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHeartRateMeasurement } from '../../src/shared/armband/heart-rate-measurement';
import type { StandTestDoc } from '../../src/shared/stand-test/document';
import { inAppDb, waitForCredentials } from '../helpers/app-db';
import { ArmbandEmulation } from '../helpers/armband-emulation';
import { seriousViolations } from '../helpers/axe';
import { grantAllPermissions, launchBrowser, type TestBrowser, waitForController } from '../helpers/browser';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';

/**
 * The stand test end to end with the emulated armband. The page's clock is Playwright's
 * (page.clock): paused once the test starts, then moved one second at a time with runFor()
 * after each heart-rate notification, so 15 minutes of protocol pass in seconds, every timer
 * of the app fires as it would, and each sample's time stamp is exactly where the script puts
 * it. Nothing waits on the wall clock; each phase change is waited for in the page.
 */

let server: TestServer;
let browser: TestBrowser;
let armband: ArmbandEmulation;
const SHOTS = process.env.STEADY_SCREENSHOT_DIR;

/** Lying: a steady 64 bpm, beat intervals alternating 960 / 930 ms (every difference 30 ms: RMSSD 30.0). */
const LYING_BPM = 64;
const LYING_RR = [960, 930];

async function beat(page: Page, bpm: number, second: number, contact = true): Promise<void> {
  await armband.notify(page, 'heartRate', encodeHeartRateMeasurement({ bpm, contact, rrMs: [LYING_RR[second % 2]!] }));
  await page.clock.runFor(1000);
}

/** Sends one reading a second (bpm from `script` by second) until the running screen's phase is `phase`. */
async function streamUntil(page: Page, phase: string, script: (second: number) => number, limitS: number): Promise<number> {
  for (let second = 0; second < limitS; second++) {
    if (
      (await page
        .getByTestId('stand-run')
        .getAttribute('data-phase', { timeout: 2000 })
        .catch(() => null)) === phase
    )
      return second;
    await beat(page, script(second), second);
  }
  throw new Error(`phase ${phase} not reached in ${limitS} s`);
}

/** Sends `seconds` readings, one a second, bpm from `script`. */
async function stream(page: Page, seconds: number, script: (second: number) => number, from = 0): Promise<void> {
  for (let second = from; second < from + seconds; second++) await beat(page, script(second), second);
}

const standTestDocs = (page: Page) =>
  inAppDb(page, (db, _arg, idb) =>
    idb.result(db.transaction('docs', 'readonly').objectStore('docs').index('byKind').getAll('stand-test')),
  ) as Promise<{ id: string; body: StandTestDoc }[]>;
const drafts = (page: Page) =>
  inAppDb(page, (db, _arg, idb) =>
    idb.result(db.transaction('standTestDrafts', 'readonly').objectStore('standTestDrafts').getAll()),
  ) as Promise<unknown[]>;

const SIZES = [
  ['phone', { width: 390, height: 844 }],
  ['desktop', { width: 1280, height: 800 }],
] as const;

/**
 * axe at phone and desktop size in each colour scheme, with a screenshot of each when
 * STEADY_SCREENSHOT_DIR is set (docs/images/stand-test-result.png is one of them).
 */
async function checkAxe(page: Page, schemes: readonly ('light' | 'dark')[], shot?: string): Promise<void> {
  for (const [name, viewport] of SIZES) {
    for (const colorScheme of schemes) {
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme });
      expect(await seriousViolations(page)).toEqual([]);
      if (SHOTS && shot) {
        fs.mkdirSync(SHOTS, { recursive: true });
        await page.getByTestId('stand-result').screenshot({ path: path.join(SHOTS, `${shot}-${name}-${colorScheme}.png`) });
      }
    }
  }
  await page.setViewportSize({ width: 412, height: 915 });
  await page.emulateMedia({ colorScheme: 'light' });
}

/** From Today's entry to a started test, lying down, with the page clock paused. */
async function startTest(page: Page, choices: { age?: string; lying?: string } = {}): Promise<void> {
  // An earlier test may have left the clock paused.
  await page.clock.resume();
  await page.evaluate(() => {
    history.pushState(null, '', '/');
    dispatchEvent(new PopStateEvent('popstate'));
  });
  await page.getByTestId('stand-test-entry').click();
  await page.getByRole('heading', { name: 'Before you start' }).waitFor();
  if (choices.age) {
    if (await page.getByRole('button', { name: 'Change' }).isVisible()) await page.getByRole('button', { name: 'Change' }).click();
    await page.getByLabel(choices.age).check();
  }
  if (choices.lying) await page.getByLabel('Lie still first for').selectOption(choices.lying);
  const start = page.getByRole('button', { name: 'Lie down and start' });
  expect(await start.isDisabled()).toBe(true);
  await page.getByLabel('I have read this').check();
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000);
  await start.click();
  await page.getByTestId('stand-run').waitFor();
}

/** Skips the lying blood pressure, lies at LYING_BPM until it is time, and stands. */
async function lieThenStand(page: Page): Promise<void> {
  await page.getByTestId('stand-prompt-0').getByRole('button', { name: 'Skip' }).click();
  await streamUntil(page, 'stand-now', () => LYING_BPM, 320);
  await page.getByRole('button', { name: "I'm standing" }).click();
}

beforeAll(async () => {
  server = await startTestServer({ staticDir: builtAppDir() });
  browser = await launchBrowser({ bluetooth: true });
  await grantAllPermissions(browser.browserCdp, server.url);
  // Installed before the app loads, running at real speed until a test pauses it.
  await browser.page.clock.install();
  await browser.page.goto(`${server.url}/`);
  await waitForController(browser.page);
  await waitForCredentials(browser.page);
  armband = await ArmbandEmulation.start(browser, { name: 'Steady Test Strap' });
  await browser.page.getByRole('button', { name: 'Connect armband' }).click();
  await browser.page.getByTestId('armband-state').filter({ hasText: 'Recording' }).waitFor({ timeout: 10_000 });
});
afterAll(async () => {
  await armband?.stop();
  await browser?.close();
  await server?.dispose();
});

describe('the stand test', () => {
  it('runs a scripted baseline and rise with blood pressure, and shows and saves the screen', async () => {
    const { page } = browser;
    await startTest(page, { age: '20 or older' });
    // Blood pressure lying down: 124/80 (pulse pressure 44).
    const lyingPrompt = page.getByTestId('stand-prompt-0');
    await lyingPrompt.getByLabel('Systolic').fill('124');
    await lyingPrompt.getByLabel('Diastolic').fill('80');
    await lyingPrompt.getByRole('button', { name: 'Save blood pressure' }).click();
    await lyingPrompt.waitFor({ state: 'detached' });

    await streamUntil(page, 'stand-now', () => LYING_BPM, 320);
    await page.getByRole('button', { name: "I'm standing" }).click();
    await page.getByTestId('stand-run').and(page.locator('[data-phase="standing"]')).waitFor();

    // Standing: 80 bpm for minute 1, 100 for minutes 2–3, 96 after: the sustained rise is 100 − 64 = 36.
    const standing = (s: number) => (s < 60 ? 80 : s < 180 ? 100 : 96);
    await stream(page, 70, standing);
    expect(await page.getByTestId('stand-rise').textContent()).toBe('+36 bpm');
    expect(await page.getByTestId('stand-bpm').textContent()).toBe('100 bpm');
    // Minute 1's prompt: 118/76 and light-headed (falls 6/4).
    const minute1 = page.getByTestId('stand-prompt-1');
    await minute1.getByLabel('Systolic').fill('118');
    await minute1.getByLabel('Diastolic').fill('76');
    await minute1.getByLabel('Light-headed').check();
    await minute1.getByRole('button', { name: 'Save minute 1' }).click();
    await minute1.waitFor({ state: 'detached' });

    await stream(page, 120, standing, 70);
    // Minute 3: 102/74, a fall of 22 systolic within 3 minutes. A typo first: the field is named.
    const minute3 = page.getByTestId('stand-prompt-3');
    await minute3.getByLabel('Systolic').fill('74');
    await minute3.getByLabel('Diastolic').fill('102');
    await minute3.getByRole('button', { name: 'Save minute 3' }).click();
    expect(await minute3.getByRole('alert').textContent()).toContain('diastolic (102) must be below systolic (74)');
    await minute3.getByLabel('Systolic').fill('102');
    await minute3.getByLabel('Diastolic').fill('74');
    await minute3.getByRole('button', { name: 'Save minute 3' }).click();
    await minute3.waitFor({ state: 'detached' });
    // The draft in IndexedDB holds what was typed, a second at most behind.
    await stream(page, 1, standing, 190);
    expect(await drafts(page)).toEqual([
      expect.objectContaining({ bp: expect.arrayContaining([{ minute: 3, systolic: 102, diastolic: 74 }]) }),
    ]);

    await streamUntil(page, 'final-prompt', (s) => standing(s + 191), 420);
    // Standing is over: the clock may run again (axe waits on timers of its own). The running
    // screen, with its prompt, passes axe at phone and desktop size.
    await page.clock.resume();
    await checkAxe(page, ['light']);
    await page.getByTestId('stand-prompt-10').getByRole('button', { name: 'Skip' }).click();
    await page.getByTestId('stand-result').waitFor();

    expect(await page.getByTestId('stand-result-rise').textContent()).toBe('+36 bpm sustained rise');
    expect(await page.getByTestId('stand-result-hr-screen').textContent()).toBe(
      'Heart rate rose 36 bpm — above the 30 bpm threshold used to screen for POTS. Only a clinician can diagnose POTS.',
    );
    expect(await page.getByTestId('stand-result-bp-screen').textContent()).toBe(
      'Blood pressure fell up to 22 systolic and 6 diastolic mmHg within 3 minutes — a fall of 20 systolic or 10 diastolic is used to screen for orthostatic hypotension, and this reaches it. Only a clinician can diagnose it.',
    );
    expect(await page.getByTestId('stand-result-baseline').textContent()).toBe('64 bpm, RMSSD 30.0 ms');
    expect(await page.getByTestId('stand-result-definition').textContent()).toContain('highest average heart rate over any 30 seconds');
    expect(await page.getByTestId('stand-result-minutes').locator('tbody td:first-of-type').allTextContents()).toEqual([
      '80 bpm',
      '100 bpm',
      '100 bpm',
      ...Array(7).fill('96 bpm'),
    ]);
    expect(await page.getByTestId('stand-result-bp').locator('tbody td:last-child').allTextContents()).toEqual([
      '44 mmHg',
      '42 mmHg',
      '28 mmHg',
    ]);
    expect(await page.getByTestId('stand-result-saved').textContent()).toContain('Saved on this device');

    const docs = await standTestDocs(page);
    expect(docs).toHaveLength(1);
    const body = docs[0]!.body;
    expect(body).toMatchObject({
      riseBpm: 36,
      thresholdBpm: 30,
      meetsHrCriterion: true,
      baselineHr: 64,
      peakHr: 100,
      sustainedS: 30,
      stop: null,
      stoodS: 600,
      hypotension: { fallSystolic: 22, fallDiastolic: 6, meets: true },
      symptoms: [
        { minute: 1, symptoms: ['light-headed'] },
        { minute: 3, symptoms: [] },
      ],
      source: { name: 'Steady Test Strap', intervalKind: 'rr', demo: false },
    });
    expect(body.baselineRmssd).toBeCloseTo(30, 6);
    expect(body.minuteHr).toEqual([80, 100, 100, 96, 96, 96, 96, 96, 96, 96]);
    expect(await drafts(page)).toEqual([]);

    await checkAxe(page, ['light', 'dark'], 'stand-test-result');

    await page.getByRole('link', { name: 'See all on Trends' }).click();
    await page
      .getByTestId('stand-test-item')
      .filter({ hasText: 'rose 36 bpm (at or above the 30 bpm threshold)' })
      .waitFor({ timeout: 15_000 });
  }, 240_000);

  it('keeps what a stopped test recorded, heart rate only, with the 40 bpm threshold aged 12–19', async () => {
    const { page } = browser;
    await startTest(page, { age: '12 to 19' });
    await lieThenStand(page);
    // 110 bpm from the start: a rise of 46.
    await stream(page, 100, () => 110);
    await page.getByTestId('stand-prompt-1').getByRole('button', { name: 'Skip' }).click();
    await page.getByRole('button', { name: 'I need to sit down' }).click();
    await page.getByTestId('stand-result').waitFor();

    expect(await page.getByTestId('stand-result-stopped').textContent()).toBe(
      'Stopped at 1:40 of standing: you needed to sit down. The result covers what was recorded until then.',
    );
    expect(await page.getByTestId('stand-result-hr-screen').textContent()).toBe(
      'Heart rate rose 46 bpm — above the 40 bpm threshold used to screen for POTS. Only a clinician can diagnose POTS.',
    );
    expect(await page.getByTestId('stand-result-bp-screen').textContent()).toMatch(/^Heart-rate-only screen/);
    const saved = (await standTestDocs(page)).map((d) => d.body).find((b) => b.stop !== null);
    expect(saved).toMatchObject({ riseBpm: 46, thresholdBpm: 40, ageBand: 'teen', stoodS: 100, bp: [], stop: { reason: 'sit-down' } });
    expect(saved?.minuteHr).toEqual([110, 110, null, null, null, null, null, null, null, null]);
  }, 120_000);

  it('refuses, with its reason, when the armband reports no contact for more than 30 s', async () => {
    const { page } = browser;
    await startTest(page, { age: '20 or older' });
    await stream(page, 20, () => LYING_BPM);
    for (let second = 0; second < 40 && !(await page.getByTestId('stand-refused').isVisible()); second++)
      await beat(page, LYING_BPM, second, false);
    await page.getByTestId('stand-refused').waitFor();
    expect(await page.getByTestId('stand-refused').getByRole('alert').textContent()).toContain('No heart rate for more than 30 s');
    expect(await standTestDocs(page)).toHaveLength(2);
    expect(await drafts(page)).toEqual([]);
  }, 120_000);

  it('keeps the partial result when the tab closes mid-test', async () => {
    const { page } = browser;
    await startTest(page, { age: '20 or older' });
    await lieThenStand(page);
    await stream(page, 45, () => 99);
    // What is in IndexedDB now is all a closed tab leaves behind.
    await page.clock.runFor(1000);
    await page.clock.resume();
    await page.reload();
    await page.getByTestId('stand-result').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('stand-result-stopped').textContent()).toContain('the page closed');
    expect(await page.getByTestId('stand-result-hr-screen').textContent()).toContain('Heart rate rose 35 bpm — above the 30 bpm threshold');
    const saved = (await standTestDocs(page)).map((d) => d.body).find((b) => b.stop?.reason === 'page-closed');
    expect(saved).toMatchObject({ riseBpm: 35, stoodS: 44 });
    expect(await drafts(page)).toEqual([]);
  }, 120_000);
});
