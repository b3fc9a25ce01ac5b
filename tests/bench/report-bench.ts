/**
 * The report for a doctor, made in Chromium against the built app from the seeded month the
 * browser test uses (tests/helpers/report-month.ts): how long the report worker takes, and
 * whether the page's main thread stays free while it works.
 *
 *   npm run build && npm run bench -- report
 *
 * Measured in the page, as the app marks them (src/report/report-view.tsx): from the request to
 * the worker to the PDF received, then to the preview shown, and every main-thread task over
 * 50 ms in the first window (PerformanceObserver 'longtask').
 * Target: no main-thread task over 50 ms while the worker builds the report.
 * Not a test: it prints a table. (The browser test checks that the report is made in a worker;
 * a timed assertion there would fail on a busy machine, not on slow code.)
 */
import type { Page } from 'playwright-core';
import { putSyncedChunks, putSyncedDocs, waitForCredentials } from '../helpers/app-db';
import { launchBrowser, waitForController } from '../helpers/browser';
import { monthChunks, monthDocs } from '../helpers/report-month';
import { builtAppDir, startTestServer } from '../helpers/server';

const RUNS = 7;

interface Run {
  workerMs: number;
  previewMs: number;
  longTasksWhileBuilding: number[];
  /** Every long task seen in the run: [start relative to the request, duration], in ms. */
  longTaskStarts: number[][];
}

/** Makes one report from the open report screen and reads the app's marks and the long tasks seen. */
async function makeOne(page: Page): Promise<Run> {
  await page.evaluate(() => {
    performance.clearMarks();
    const seen: { start: number; duration: number }[] = [];
    (globalThis as unknown as { longTasks: typeof seen }).longTasks = seen;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) seen.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask' });
  });
  await page.getByRole('button', { name: 'Make the report' }).click();
  // Marks were cleared above: the preview's mark is this run's (the previous Save link stays up).
  await page.waitForFunction(() => performance.getEntriesByName('steady:report:shown', 'mark').length > 0, null, { timeout: 60_000 });
  const marks = await page.evaluate(() => {
    const mark = (name: string) => performance.getEntriesByName(name, 'mark')[0]?.startTime ?? Number.NaN;
    return {
      start: mark('steady:report:request'),
      received: mark('steady:report:received'),
      shown: mark('steady:report:shown'),
      longTasks: (globalThis as unknown as { longTasks: { start: number; duration: number }[] }).longTasks,
    };
  });
  return {
    workerMs: marks.received - marks.start,
    previewMs: marks.shown - marks.received,
    longTasksWhileBuilding: marks.longTasks
      .filter((task) => task.start + task.duration > marks.start && task.start < marks.received)
      .map((task) => task.duration),
    longTaskStarts: marks.longTasks.map((task) => [Math.round(task.start - marks.start), Math.round(task.duration)]),
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const server = await startTestServer({ staticDir: builtAppDir() });
const browser = await launchBrowser();
try {
  const { page } = browser;
  await page.goto(`${server.url}/`);
  await waitForCredentials(page);
  await waitForController(page);
  await putSyncedDocs(page, monthDocs());
  await putSyncedChunks(page, monthChunks());
  await page.getByRole('link', { name: 'Trends' }).click();
  await page.getByRole('link', { name: 'Report for your doctor (PDF)' }).click();
  await page.getByRole('heading', { name: 'Report for your doctor' }).waitFor();

  await makeOne(page); // warm-up: the worker's chunk and fonts come from cache after this
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await makeOne(page));
  const longTasks = runs.flatMap((run) => run.longTasksWhileBuilding);
  const fmt = (ms: number) => `${Math.round(ms)} ms`;
  console.log(`report for a doctor, 30 days seeded, ${RUNS} runs after one warm-up`);
  console.log('| Measure | Median | Worst | Target |');
  console.log('| --- | --- | --- | --- |');
  console.log(`| Built in the worker | ${fmt(median(runs.map((r) => r.workerMs)))} | ${fmt(Math.max(...runs.map((r) => r.workerMs)))} | |`);
  console.log(
    `| Preview shown after | ${fmt(median(runs.map((r) => r.previewMs)))} | ${fmt(Math.max(...runs.map((r) => r.previewMs)))} | |`,
  );
  console.log(
    `| Main-thread tasks over 50 ms while built | ${longTasks.length} in ${RUNS} runs | ${longTasks.length ? fmt(Math.max(...longTasks)) : '–'} | none |`,
  );
  console.log(`long tasks per run, [ms from the request, duration]: ${JSON.stringify(runs.map((r) => r.longTaskStarts))}`);
} finally {
  await browser.close();
  await server.dispose();
}
