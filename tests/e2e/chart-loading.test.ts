import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { blankCheckIn, type CheckIn, checkInId } from '../../src/shared/checkin';
import { addDays, dayKeyOf } from '../../src/shared/days';
import { putSyncedDocs, waitForCredentials } from '../helpers/app-db';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { copyBuiltApp } from '../helpers/built-app';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';

// Issue 16: charts must draw whatever language the browser reports, and a chart or screen whose
// code fails to load or to draw must say so on screen, with nothing left unhandled.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Run {
  browser: TestBrowser;
  page: Page;
  /** Uncaught errors and unhandled rejections in the page, and errors on its console. */
  errors: string[];
}

/** The app from `staticDir` in a fresh Chromium; `initScript` runs in the page before any app script. */
async function open(staticDir: string, initScript?: () => void): Promise<Run> {
  const server: TestServer = await startTestServer({ staticDir });
  cleanups.push(() => server.dispose());
  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const { page } = browser;
  if (initScript) await page.addInitScript(initScript);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // A missing chunk is the failure under test; the browser logs its 404 by itself.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(`console: ${message.text()}`);
  });
  await page.goto(`${server.url}/`);
  await waitForCredentials(page);
  // A rated evening yesterday, so the daily charts have something to draw.
  const yesterday = addDays(dayKeyOf(Date.now()), -1);
  const checkIn = { ...blankCheckIn(yesterday, 'evening'), fatigue: 2, savedAt: Date.now() } satisfies CheckIn;
  await putSyncedDocs(page, [{ kind: 'checkin', id: checkInId(yesterday, 'evening'), body: { ...checkIn } }]);
  return { browser, page, errors };
}

const link = (page: Page, name: string) => page.getByRole('link', { name, exact: true }).click();

async function startDemo(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Try the demo armband' }).click();
  await page.getByTestId('armband-state').filter({ hasText: 'Recording' }).waitFor({ timeout: 5_000 });
}

/** Today, then Check-in, then Today again (the live chart mounts twice): `expectChart` each time. */
async function todayTwice(page: Page, expectChart: () => Promise<void>): Promise<void> {
  await expectChart();
  await link(page, 'Check-in');
  await page.getByRole('link', { name: 'Morning', exact: true }).waitFor();
  await link(page, 'Today');
  await expectChart();
}

async function openTrends(page: Page): Promise<void> {
  await link(page, 'Trends');
  await page.locator('.trends[data-state="ready"]').waitFor({ timeout: 15_000 });
}

const liveCanvas = (page: Page) => page.locator('.live-chart-plot canvas').waitFor({ timeout: 5_000 });
const loadFailed = (page: Page, scope: string) => page.locator(scope).getByText(/could not load/i);

describe('charts in a browser whose language is "C" (WebKitGTK under the C locale)', () => {
  it('draw on Today, after Check-in → Today, and on Trends', async () => {
    const { page, errors } = await open(builtAppDir(), () => {
      Object.defineProperty(Navigator.prototype, 'language', { get: () => 'C', configurable: true });
    });
    // The premise: this browser now reports what makes `new Intl.NumberFormat(language)` throw.
    expect(
      await page.evaluate(() => {
        try {
          return new Intl.NumberFormat(navigator.language).format(1);
        } catch (error) {
          return `${navigator.language}: ${(error as Error).name}`;
        }
      }),
    ).toBe('C: RangeError');

    await startDemo(page);
    await todayTwice(page, async () => {
      await liveCanvas(page);
      expect(await page.locator('.live-chart').textContent()).not.toContain('could not load');
    });

    await openTrends(page);
    await page.locator('.day-plot canvas').waitFor({ timeout: 10_000 });
    // Symptoms and the overlay have yesterday's rating; the day chart draws even when empty.
    expect(await page.locator('.trend-plot canvas').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('.trends').textContent()).not.toContain('could not load');
    expect(errors).toEqual([]);
  });
});

describe('a chart whose code fails', () => {
  it.each([
    [
      'throws as it evaluates (as uPlot did)',
      // Its exports stay declared: the throw fails the evaluation, not the linking, as Intl's RangeError did.
      (file: string) =>
        fs.writeFileSync(file, `throw new RangeError('test: uPlot failed as it loaded');\n${fs.readFileSync(file, 'utf8')}`),
    ],
    // The service worker cannot precache it either, so the page fetches it itself and gets a 404.
    ['is missing on the server', (file: string) => fs.rmSync(file)],
  ])("to load (uPlot's chunk %s): Today and Trends say so, and nothing is left unhandled", async (_how, breakChunk) => {
    const copy = copyBuiltApp(builtAppDir());
    cleanups.push(() => copy.dispose());
    const assets = path.join(copy.dir, 'assets');
    const chunk = fs.readdirSync(assets).find((name) => /^uPlot.*\.js$/.test(name));
    expect(chunk).toBeDefined();
    breakChunk(path.join(assets, chunk!));
    const { page, errors } = await open(copy.dir);

    await startDemo(page);
    await todayTwice(page, () => loadFailed(page, '.live-chart').waitFor({ timeout: 5_000 }));
    expect(await page.locator('.live-chart-plot canvas').count()).toBe(0);

    await openTrends(page);
    await loadFailed(page, '.day-plot + figcaption').waitFor({ timeout: 10_000 });
    await loadFailed(page, '.trend-chart[data-series="symptomSum"]').waitFor({ timeout: 10_000 });
    // The figures are still there in words.
    expect(await page.locator('.trend-chart[data-series="symptomSum"] [data-summary="symptomSum"]').textContent()).toMatch(/\d/);
    expect(errors).toEqual([]);
  });

  it('whole screens and cards whose code fails to load say so: the Trends view, the Check-in route, the Transfers card', async () => {
    const copy = copyBuiltApp(builtAppDir());
    cleanups.push(() => copy.dispose());
    const assets = path.join(copy.dir, 'assets');
    for (const pattern of [/^trends-view-.*\.js$/, /^check-in-screen-.*\.js$/, /^transfers-card-.*\.js$/]) {
      const chunk = fs.readdirSync(assets).find((name) => pattern.test(name));
      expect(chunk).toBeDefined();
      fs.writeFileSync(path.join(assets, chunk!), "throw new Error('test: this screen failed as it loaded');\n");
    }
    const { page, errors } = await open(copy.dir);

    await link(page, 'Trends');
    await page.locator('main').getByText('The trends could not load').waitFor({ timeout: 10_000 });
    await link(page, 'Check-in');
    await page.locator('main').getByText('Check-in could not load').waitFor({ timeout: 10_000 });
    await link(page, 'Settings');
    await page.locator('#transfers').getByText('Backups and transfers could not load').waitFor({ timeout: 10_000 });
    await link(page, 'Today');
    await page.getByRole('heading', { name: 'Today' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('to draw the first time (canvas unavailable): Today and Trends say so, and nothing is left unhandled', async () => {
    const { page, errors } = await open(builtAppDir(), () => {
      HTMLCanvasElement.prototype.getContext = () => {
        throw new Error('test: no canvas');
      };
    });

    await startDemo(page);
    await todayTwice(page, () => loadFailed(page, '.live-chart').waitFor({ timeout: 5_000 }));

    await openTrends(page);
    await loadFailed(page, '.day-plot + figcaption').waitFor({ timeout: 10_000 });
    await loadFailed(page, '.trend-chart[data-series="symptomSum"]').waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
  });
});
