import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHeartRateMeasurement, parseHeartRateMeasurement } from '../../src/shared/armband/heart-rate-measurement';
import { readCredentials, readDoc, readOutbox, readSyncLog, waitForCredentials, waitForLog } from '../helpers/app-db';
import { ArmbandEmulation, eventually } from '../helpers/armband-emulation';
import { grantAllPermissions, launchBrowser, type TestBrowser, waitForController } from '../helpers/browser';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
let browser: TestBrowser;
let armband: ArmbandEmulation;

/** Two RR intervals a notification, as a chest strap sends them at rest. */
type Step = { bpm: number; rrMs: number[] };

/**
 * The scripted capture: 80 beats around 950 ms (63 bpm) with a breathing-like swing of ±40 ms
 * over five beats: every interval within 5 % of its neighbours, so no artifact filter touches it.
 */
const CAPTURE_RR = Array.from({ length: 80 }, (_, i) => Math.round(950 + 40 * Math.sin((2 * Math.PI * i) / 5)));
/** Sent while settling: fast beats that would wreck the result if they were counted. */
const SETTLE_RR = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 640 : 700));

const steps = (rr: number[]): Step[] =>
  Array.from({ length: rr.length / 2 }, (_, i) => ({ bpm: Math.round(60_000 / rr[2 * i]!), rrMs: rr.slice(2 * i, 2 * i + 2) }));

/** What the app receives for an interval: the strap sends 1/1024 s units, so ms values round-trip through them. */
function received(rr: number[]): number[] {
  return steps(rr).flatMap((step) => {
    const parsed = parseHeartRateMeasurement(new DataView(encodeHeartRateMeasurement({ ...step, contact: true }).buffer));
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.value.rrMs;
  });
}

/** RMSSD by its definition (Task Force 1996): the root of the mean squared successive difference. */
function rmssdByHand(rr: number[]): number {
  let sum = 0;
  for (let i = 1; i < rr.length; i++) sum += (rr[i]! - rr[i - 1]!) ** 2;
  return Math.sqrt(sum / (rr.length - 1));
}

async function send(page: Page, rr: number[]): Promise<void> {
  for (const step of steps(rr)) await armband.notify(page, 'heartRate', encodeHeartRateMeasurement({ ...step, contact: true }));
}

const localDate = (page: Page) =>
  page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });

beforeAll(async () => {
  server = await startTestServer({ staticDir: builtAppDir() });
  browser = await launchBrowser({ bluetooth: true });
  await grantAllPermissions(browser.browserCdp, server.url);
  await browser.page.goto(`${server.url}/`);
  await waitForController(browser.page);
  await waitForCredentials(browser.page);
});
afterAll(async () => {
  await armband?.stop();
  await browser?.close();
  await server?.dispose();
});

describe('the morning reading', () => {
  const rr = received(CAPTURE_RR);
  const expected = rmssdByHand(rr);

  it('is offered on Today and needs an armband', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Take morning reading' }).click();
    await page.getByRole('heading', { name: 'Morning reading', level: 1 }).waitFor();
    expect(await page.getByTestId('reading-armband').textContent()).toContain('needs your armband connected');
    expect(await page.getByRole('button', { name: 'Start reading' }).isDisabled()).toBe(true);
    await page.getByRole('link', { name: 'Connect it on Today' }).click();
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
  });

  it('measures the scripted RR sequence from the emulated armband and shows its RMSSD', async () => {
    const { page } = browser;
    armband = await ArmbandEmulation.start(browser, { name: 'Steady Test Strap' });
    await page.getByRole('button', { name: 'Connect armband' }).click();
    await page.getByTestId('armband-state').filter({ hasText: 'Recording' }).waitFor({ timeout: 10_000 });
    await page.getByRole('link', { name: 'Take morning reading' }).click();

    // The shortest reading the settings allow: 10 s settling, 1 minute measuring.
    await page.getByLabel('Settle first for').selectOption('10');
    await page.getByLabel('Measure for').selectOption('60');
    expect(await page.getByTestId('reading-armband').textContent()).toContain('Using Steady Test Strap');
    await page.getByRole('button', { name: 'Start reading' }).click();

    await page.getByTestId('reading-phase').filter({ hasText: 'Settling' }).waitFor();
    await send(page, SETTLE_RR);
    await page.getByTestId('reading-phase').filter({ hasText: 'Measuring' }).waitFor({ timeout: 15_000 });
    await send(page, CAPTURE_RR);
    await page
      .getByTestId('reading-beats')
      .filter({ hasText: `${rr.length} beats` })
      .waitFor({ timeout: 5_000 });

    await page.getByTestId('reading-result').waitFor({ timeout: 75_000 });
    expect(await page.getByTestId('result-rmssd').textContent()).toBe(`${expected.toFixed(1)} ms RMSSD`);
    expect(await page.getByTestId('result-lnrmssd').textContent()).toBe(Math.log(expected).toFixed(2));
    const meanRr = rr.reduce((a, b) => a + b, 0) / rr.length;
    expect(await page.getByTestId('result-hr').textContent()).toBe(`${Math.round(60_000 / meanRr)} bpm`);
    expect(await page.getByTestId('result-corrected').textContent()).toBe('0.0 % of beats');
    expect(await page.getByTestId('reading-saved').textContent()).toContain('Saved on this device');
    // One morning so far: the score needs four.
    expect(await page.getByTestId('stability-pending').textContent()).toContain('3 more mornings until a baseline');
  }, 120_000);

  it('stores the reading in IndexedDB and queues it for sync', async () => {
    const { page } = browser;
    const date = await localDate(page);
    const doc = await readDoc(page, `measurement|${date}`);
    const body = doc?.body as Record<string, number | object>;
    expect(body.rmssd).toBeCloseTo(expected, 6);
    expect(body.beats).toBe(rr.length);
    expect(body.correctedShare).toBe(0);
    expect(body.durationS).toBeCloseTo(rr.reduce((a, b) => a + b, 0) / 1000, 6);
    expect(body.source).toMatchObject({ name: 'Steady Test Strap', intervalKind: 'rr', demo: false });
    expect((await readOutbox(page)).map((e) => e.key)).toContain(`measurement|${date}`);
  });

  it('shows on Today and reaches the server when synced', async () => {
    const { page } = browser;
    const date = await localDate(page);
    await page.getByRole('link', { name: 'Back to Today' }).click();
    await page
      .getByTestId('morning-rmssd')
      .filter({ hasText: expected.toFixed(1) })
      .waitFor();

    await page.getByRole('link', { name: 'Sync', exact: true }).click();
    const button = page.getByRole('button', { name: 'Sync now' });
    await eventually(() => button.isEnabled(), Boolean, 20_000, '"Sync now" enabled');
    const before = (await readSyncLog(page)).length;
    await button.click();
    await waitForLog(page, (_e, log) => log.length > before && log[log.length - 1]!.outcome === 'ok');
    expect((await readOutbox(page)).map((e) => e.key)).not.toContain(`measurement|${date}`);

    const accountId = (await readCredentials(page))?.accountId;
    const db = new SQLite(path.join(server.dataDir, 'steady.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const row = db
        .prepare("select body from sync_records where account_id = ? and kind = 'measurement' and record_id = ?")
        .get(accountId, date) as { body: string } | undefined;
      expect(JSON.parse(row?.body ?? '{}').rmssd).toBeCloseTo(expected, 6);
    } finally {
      db.close();
    }
  });

  it('shows on Trends, read from IndexedDB', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Trends', exact: true }).click();
    await page.getByLabel('7 days').check();
    await page
      .locator('[data-summary="rmssd"]', { hasText: `averaged ${expected.toFixed(0)} ms over 7 days (1 with a value)` })
      .first()
      .waitFor({ timeout: 15_000 });
  });
});
