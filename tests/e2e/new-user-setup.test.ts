import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDoc, waitForCredentials } from '../helpers/app-db';
import { eventually } from '../helpers/armband-emulation';
import { launchBrowser, type TestBrowser, waitForController } from '../helpers/browser';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';

/**
 * Issue 15's "set all of this up in under two minutes of taps": a new user, from the first
 * screen, chooses the symptoms they track, a zone method (55 % of the age-predicted maximum,
 * which needs a year of birth), quiet hours, turns the early warning on and logs a treatment.
 * Every pointer press and key press the page receives is counted (typing a name is a press per
 * letter), and each step checks that what it set was stored.
 *
 * Two minutes is judged at SECONDS_PER_INTERACTION a press: slow and deliberate, for someone with
 * brain fog on a phone (people tap a known target in well under a second; typing runs at 2–3
 * letters a second).
 */
const SECONDS_PER_INTERACTION = 3;
const TWO_MINUTES_S = 120;

let server: TestServer;
let browser: TestBrowser;

function countInteractions() {
  const counts = { taps: 0, keys: 0 };
  Object.assign(globalThis, { __setupCounts: counts });
  addEventListener('pointerdown', () => counts.taps++, true);
  addEventListener('keydown', () => counts.keys++, true);
}
const counts = () =>
  browser.page.evaluate(() => ({ ...(globalThis as unknown as { __setupCounts: { taps: number; keys: number } }).__setupCounts }));

beforeAll(async () => {
  server = await startTestServer({ staticDir: builtAppDir() });
  browser = await launchBrowser({ viewport: { width: 390, height: 844 } });
  await browser.context.addInitScript(countInteractions);
  await browser.page.goto(`${server.url}/`);
  await waitForController(browser.page);
  await waitForCredentials(browser.page);
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

describe('a new user sets up the diary, zones, alerts, early warning and a treatment', () => {
  it(`in under two minutes of taps (${SECONDS_PER_INTERACTION} s each)`, async () => {
    const { page } = browser;
    expect(await counts()).toEqual({ taps: 0, keys: 0 });

    // Symptoms: add headache to the six the list starts with.
    await page.getByRole('link', { name: 'Check-in', exact: true }).click();
    const firstRun = page.getByTestId('first-run-symptoms');
    await firstRun.getByRole('checkbox', { name: 'Headache' }).click();
    await firstRun.getByRole('button', { name: 'Use this list' }).click();
    await firstRun.waitFor({ state: 'detached' });
    expect((await readDoc(page, 'settings|symptoms'))?.body.tracked).toContain('headache');

    // Zones from the age-predicted maximum, and quiet hours at their default times.
    await page.getByRole('link', { name: 'Settings' }).click();
    const pacing = page.getByTestId('pacing-settings');
    await pacing.getByRole('radio', { name: /55 % of your age-predicted maximum/ }).click();
    await pacing.getByLabel('Year of birth').click();
    await page.keyboard.type('1980');
    await pacing.getByRole('checkbox', { name: 'Quiet hours' }).click();
    await pacing.getByRole('button', { name: 'Save pacing settings' }).click();
    await pacing.getByText('Saved.').waitFor({ timeout: 5_000 });
    expect((await readDoc(page, 'settings|pacing'))?.body).toMatchObject({
      zoneMethod: 'percent-of-max',
      birthYear: 1980,
      quietHours: expect.objectContaining({ start: expect.any(String), end: expect.any(String) }),
    });

    // The early warning, off until asked for.
    await page.getByTestId('early-warning-settings').getByRole('checkbox', { name: 'Show the early warning on Today' }).click();
    await eventually(
      () => readDoc(page, 'settings|early-warning'),
      (doc) => doc?.body.enabled === true,
      5_000,
      'the early warning switched on',
    );

    // A treatment started today.
    await page.getByRole('link', { name: 'Trends' }).click();
    const treatments = page.getByTestId('treatments');
    await treatments.getByRole('button', { name: 'Log a treatment' }).click();
    await treatments.getByLabel('Name').click();
    await page.keyboard.type('Ivabradine');
    await treatments.getByRole('button', { name: 'Save' }).click();
    await treatments.getByText('Saved: Ivabradine.').waitFor({ timeout: 5_000 });

    const { taps, keys } = await counts();
    const interactions = taps + keys;
    console.log(
      `new-user setup: ${taps} taps and ${keys} key presses; at ${SECONDS_PER_INTERACTION} s each, ${interactions * SECONDS_PER_INTERACTION} s`,
    );
    // 13 taps (3 symptoms, 5 zones and quiet hours, 1 early warning, 4 a treatment) and 14 letters
    // (a year of birth, a name): 27 interactions, 81 s at 3 s each. Playwright presses again when a
    // target moves under its first press (a card still rendering, seen under CI load), so the
    // count may read one or two above the 13 a person makes; the bound is what the issue asks.
    expect(keys).toBe(14);
    expect(taps).toBeGreaterThanOrEqual(13);
    expect(taps).toBeLessThanOrEqual(15);
    expect(interactions * SECONDS_PER_INTERACTION).toBeLessThan(TWO_MINUTES_S);
  });
});
