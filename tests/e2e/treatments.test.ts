import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putSyncedDocs, readDoc, waitForCredentials } from '../helpers/app-db';
import { eventually } from '../helpers/armband-emulation';
import { seriousViolations } from '../helpers/axe';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';
import { measurementDoc } from '../helpers/trend-docs';

/**
 * Treatments and events end to end (issue 15, parts 5 and 6): logged on Trends, marked on the
 * charts, compared before and after from the stored mornings, synced; and the early warning on
 * Today, off until turned on in Settings.
 */

const PORT = 18271;
let server: TestServer;
let browser: TestBrowser;

const pad = (n: number) => String(n).padStart(2, '0');
/** The local day `back` days before today, `YYYY-MM-DD`, and its midnight. */
const daysBack = (back: number) => {
  const now = new Date();
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate() - back);
  return { date: `${midnight.getFullYear()}-${pad(midnight.getMonth() + 1)}-${pad(midnight.getDate())}`, start: midnight.getTime() };
};

/**
 * Mornings for 40 days: the last 3 low HRV (30 ms) with resting HR 66; days 3–9 back 44 ms;
 * older days alternate 38/42 ms. Resting HR alternates 58/62 outside the last 3 days.
 */
const rmssdAt = (back: number) => (back < 3 ? 30 : back < 10 ? 44 : back % 2 === 1 ? 38 : 42);
const restingHrAt = (back: number) => (back < 3 ? 66 : back % 2 === 1 ? 58 : 62);
/** The treatment starts 9 days back: 10 days after it (today included), 10 before. */
const START_BACK = 9;
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
const backs = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function mornings() {
  return backs(0, 39).map((back) => {
    const { date, start } = daysBack(back);
    return measurementDoc(date, { rmssd: rmssdAt(back), restingHr: restingHrAt(back), takenAt: start + 7 * 3_600_000 });
  });
}

/** Every treatment document the server holds for any account. */
function serverTreatments(): Promise<{ name: string }[]> {
  const db = new SQLite(path.join(server.dataDir, 'steady.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("select body from sync_records where kind = 'treatment'").all() as { body: string | Buffer }[];
    return Promise.resolve(rows.map((row) => JSON.parse(row.body.toString()) as { name: string }));
  } finally {
    db.close();
  }
}

/** Axe at phone and desktop width, light and dark. */
async function expectAccessible(page: Page, what: string): Promise<void> {
  for (const viewport of [
    { width: 390, height: 844 },
    { width: 1280, height: 900 },
  ]) {
    await page.setViewportSize(viewport);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      expect(await seriousViolations(page), `${what} at ${viewport.width} px, ${colorScheme}`).toEqual([]);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

beforeAll(async () => {
  server = await startTestServer({ staticDir: builtAppDir(), port: PORT });
  browser = await launchBrowser();
  await browser.page.goto(`${server.url}/`);
  await waitForCredentials(browser.page);
  await putSyncedDocs(browser.page, mornings());
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

describe('treatments and events', () => {
  const card = () => browser.page.getByTestId('treatments');

  it('refuses a treatment without a name, saving nothing', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Trends' }).click();
    await card().getByRole('button', { name: 'Log a treatment' }).click();
    await card().getByRole('button', { name: 'Save' }).click();
    await card().getByRole('alert').filter({ hasText: 'Not saved: name is empty: give it a name.' }).waitFor({ timeout: 5_000 });
    expect(await card().getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    expect(await card().getByText('Nothing logged yet.').count()).toBe(1);
  });

  it('logs a treatment and an event, marks them on the charts and syncs them', async () => {
    const { page } = browser;
    const start = daysBack(START_BACK).date;
    await card().getByLabel('Name').fill('Ivabradine');
    await card().getByLabel('Dose (optional)').fill('2.5 mg twice a day');
    await card().getByLabel('Started on').fill(start);
    await card().getByRole('button', { name: 'Save' }).click();
    await card().getByText('Saved: Ivabradine.').waitFor({ timeout: 5_000 });

    await card().getByRole('button', { name: 'Log an event' }).click();
    await card().getByLabel('Kind').selectOption('travel');
    await card().getByLabel('Name').fill('Lisbon');
    await card().getByLabel('Date').fill(daysBack(4).date);
    await card().getByRole('button', { name: 'Save' }).click();
    await card().getByText('Saved: Lisbon.').waitFor({ timeout: 5_000 });

    const items = card().locator('.entry-list li');
    expect(await items.count()).toBe(2);
    expect(await items.first().textContent()).toContain('Lisbon');
    expect(await items.nth(1).textContent()).toContain('Ivabradine · 2.5 mg twice a day');
    expect(await items.nth(1).textContent()).toContain('(ongoing)');

    // Every daily chart with data names both marks in its caption, the words the dashed lines stand
    // for: HRV, resting HR, stability and the HRV/symptom overlay (no check-ins or heart rate were seeded).
    const captions = page.locator('[data-summary="marks"]');
    await eventually(
      () => captions.count(),
      (n) => n === 4,
      10_000,
      'a marks caption under each of the 4 charts with data',
    );
    const caption = (await captions.first().textContent()) ?? '';
    expect(caption).toContain('Started Ivabradine (2.5 mg twice a day)');
    expect(caption).toContain('Travel: Lisbon');

    const stored = await eventually(serverTreatments, (list) => list.length === 2, 20_000, 'both entries on the server');
    expect(stored.map((t) => t.name).sort()).toEqual(['Ivabradine', 'Lisbon']);
  });

  it('compares the equal windows before and after the start, with the days behind each figure', async () => {
    const { page } = browser;
    await card().getByRole('button', { name: 'Compare before and after Ivabradine' }).click();
    const table = page.getByTestId('comparison').locator('table');
    await table.waitFor({ timeout: 15_000 });
    const cells = async (metric: string) => (await table.locator(`tr[data-metric="${metric}"] td`).allTextContents()).map((t) => t.trim());

    const after = backs(0, START_BACK);
    const before = backs(START_BACK + 1, 2 * START_BACK + 1);
    const hrvBefore = mean(before.map(rmssdAt));
    const hrvAfter = mean(after.map(rmssdAt));
    expect([hrvBefore, hrvAfter]).toEqual([40, 39.8]);
    expect(await cells('rmssd')).toEqual([`${hrvBefore.toFixed(1)} (10 d)`, `${hrvAfter.toFixed(1)} (10 d)`, '-0.2 (worse)']);
    const rhrBefore = mean(before.map(restingHrAt));
    const rhrAfter = mean(after.map(restingHrAt));
    expect(await cells('restingHr')).toEqual([
      `${rhrBefore.toFixed(1)} (10 d)`,
      `${rhrAfter.toFixed(1)} (10 d)`,
      `+${(rhrAfter - rhrBefore).toFixed(1)} (worse)`,
    ]);
    // No check-ins were seeded: nothing to say about symptoms or crashes.
    expect(await cells('symptomSum')).toEqual(['– (0 d)', '– (0 d)', 'Too few days']);
    expect(await cells('crashDays')).toEqual(['– (0 d)', '– (0 d)', 'Too few days']);
    expect(await page.getByTestId('comparison-caveat').textContent()).toContain('does not show the treatment caused it');
  });

  it('stops a treatment today, kept as an edit of the same entry', async () => {
    const { page } = browser;
    await card().getByRole('button', { name: 'Stopped today (Ivabradine)' }).click();
    await card().getByText('Ivabradine: stopped today.').waitFor({ timeout: 5_000 });
    const id = await card().locator('.entry-list li', { hasText: 'Ivabradine' }).getAttribute('data-entry');
    expect((await readDoc(page, `treatment|${id}`))?.body).toMatchObject({
      name: 'Ivabradine',
      start: daysBack(START_BACK).date,
      stop: daysBack(0).date,
    });
    expect(await card().locator('.entry-list li').count()).toBe(2);
  });

  it('passes axe on Trends with the form and the comparison open', async () => {
    const { page } = browser;
    await card().getByRole('button', { name: 'Log a treatment' }).click();
    await expectAccessible(page, 'Trends');
    await card().getByRole('button', { name: 'Cancel' }).click();
  });
});

describe('early warning', () => {
  it('is off until turned on in Settings, then explains on Today which signals moved', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Today' }).click();
    await page.getByRole('heading', { name: 'Today' }).waitFor();
    expect(await page.getByTestId('early-warning').count()).toBe(0);

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByTestId('early-warning-settings').getByLabel('Show the early warning on Today').check();
    await eventually(
      () => readDoc(page, 'settings|early-warning'),
      (doc) => doc?.body.enabled === true,
      5_000,
      'the switch saved',
    );

    await page.getByRole('link', { name: 'Today' }).click();
    const warning = page.getByTestId('early-warning');
    await warning.and(page.locator('[data-status="warning"]')).waitFor({ timeout: 15_000 });
    expect(await warning.getByTestId('early-warning-verdict').textContent()).toContain('run-up to a crash');
    // HRV 30 ms and resting HR 66 on each of the last 3 mornings, against a 28-day baseline of ~40 ms and ~60 bpm.
    const hrv = (await warning.locator('[data-signal="hrvLow"]').textContent()) ?? '';
    expect(hrv).toContain('3 of 3 days');
    expect(hrv).toMatch(/\d+ % below your baseline of \d+ ms \(last 3 mornings: 30 ms\)/);
    expect(await warning.locator('[data-signal="restingHrHigh"]').textContent()).toContain('3 of 3 days');
    expect(await warning.locator('[data-signal="overBudget"]').textContent()).toContain('no heart rate recorded');
    await expectAccessible(page, 'Today with the early warning');
  });
});
