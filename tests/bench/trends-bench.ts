/**
 * The Trends screen in Chromium against the built app, with a heavy user's data in IndexedDB:
 * 90 days (and today so far) of per-second heart rate with RR intervals (~7.9 million samples in
 * ~131,000 chunks), a morning measurement and two check-ins a day.
 *
 *   npx vite build --outDir /tmp/x && STEADY_APP_DIR=/tmp/x npx tsx tests/bench/trends-bench.ts
 *
 * Measured in the page, as the app marks them (src/trends/): from asking the worker to the
 * chart(s) on screen (the frame after uPlot drew), and the longest main-thread task in that
 * window (PerformanceObserver 'longtask', which reports every task over 50 ms).
 * Targets: ≤ 100 ms to a painted chart, no main-thread task over 50 ms.
 * Not a test: it prints a table.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { inAppDb, putSyncedDocs, waitForCredentials } from '../helpers/app-db';
import { launchBrowser } from '../helpers/browser';
import { builtAppDir, startTestServer } from '../helpers/server';

const PORT = 18291;
const DAYS = Number(process.env.TRENDS_BENCH_DAYS ?? 90);
const RUNS = 7;

/** Collects long tasks from page start, before any app script runs. */
const LONG_TASKS = `
  globalThis.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) globalThis.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
`;

/**
 * Writes `days` days before today and today so far, one sample a second, straight into the app's
 * database (as a sync pull would leave them: nothing queued). Runs in the page; one day per transaction.
 */
async function seedSamples(page: Page, days: number): Promise<{ chunks: number; samples: number; ms: number }> {
  return inAppDb(
    page,
    async (db, dayCount, idb) => {
      const t0 = performance.now();
      const now = Date.now();
      const today = new Date();
      let chunks = 0;
      let samples = 0;
      // A fixed linear congruential sequence, inline: tsx wraps named functions in a helper the page lacks.
      let seed = 42;
      for (let back = dayCount; back >= 0; back--) {
        const start = new Date(today.getFullYear(), today.getMonth(), today.getDate() - back).getTime();
        const end = Math.min(new Date(today.getFullYear(), today.getMonth(), today.getDate() - back + 1).getTime(), now);
        const tx = db.transaction('chunks', 'readwrite');
        const store = tx.objectStore('chunks');
        let bpm = 62;
        for (let minute = start; minute < end; minute += 60_000) {
          const hour = new Date(minute).getHours();
          // Asleep at night, a few upright stretches by day, now and then over the threshold.
          seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
          const target = hour < 7 ? 55 : hour >= 22 ? 60 : seed / 2 ** 31 < 0.05 ? 105 : 72;
          const chunk = {
            id: `bench-strap|${minute}`,
            sourceId: 'bench-strap',
            demo: false,
            minuteStart: minute,
            intervalKind: 'rr',
            offsets: [] as number[],
            bpm: [] as number[],
            contact: [] as number[],
            intervalCounts: [] as number[],
            intervalsMs: [] as number[],
          };
          for (let s = 0; s < 60 && minute + s * 1000 < end; s++) {
            seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
            bpm += (target - bpm) * 0.1 + (seed / 2 ** 31 - 0.5) * 2;
            const whole = Math.round(bpm);
            chunk.offsets.push(s * 1000);
            chunk.bpm.push(whole);
            chunk.contact.push(1);
            chunk.intervalCounts.push(1);
            chunk.intervalsMs.push(Math.round(60_000 / whole));
          }
          store.put(chunk);
          chunks++;
          samples += chunk.offsets.length;
        }
        await idb.done(tx);
      }
      return { chunks, samples, ms: performance.now() - t0 };
    },
    days,
  );
}

/** A morning measurement and a morning and evening check-in for each day. */
function seedDocs(days: number) {
  const docs: { kind: string; id: string; body: Record<string, unknown> }[] = [];
  const today = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  for (let back = days; back >= 0; back--) {
    const d = new Date(today.getFullYear(), today.getMonth(), today.getDate() - back);
    const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    const rmssd = 35 + 10 * Math.sin(back / 5);
    docs.push({
      kind: 'measurement',
      id: date,
      body: {
        date,
        rmssd,
        lnRmssd: Math.log(rmssd),
        sdnn: rmssd * 1.3,
        restingHr: 58 + (back % 5),
        beats: 160,
        correctedShare: 0.01,
        durationS: 120,
        source: { id: 'bench-strap', name: 'Bench strap', intervalKind: 'rr', demo: false },
        takenAt: d.getTime() + 7 * 3_600_000,
      },
    });
    for (const period of ['morning', 'evening'] as const) {
      const r = (k: number) => (back * 7 + k) % 4;
      docs.push({
        kind: 'checkin',
        id: `${date}-${period}`,
        body: {
          date,
          period,
          fatigue: r(1),
          brainFog: r(2),
          pain: r(3),
          sleepQuality: r(4),
          orthostatic: r(5),
          mood: r(6),
          crash: back % 17 === 3,
          note: '',
          savedAt: d.getTime(),
        },
      });
    }
  }
  return docs;
}

interface Run {
  ms: number;
  longestTask: number;
  /** Of `ms`, the worker's own time (reading IndexedDB, counting, downsampling), where the app reports it. */
  workerMs: number | null;
}

/** Runs `act`, waits for the measure `name`, and reports it with the longest task that overlapped it. */
async function measure(page: Page, name: string, act: () => Promise<void>): Promise<Run> {
  await page.evaluate((n) => performance.clearMeasures(n), name);
  await act();
  await page
    .waitForFunction((n) => performance.getEntriesByName(n, 'measure').length > 0, name, { timeout: 120_000 })
    .catch(async (error) => {
      const state = await page.evaluate(() => ({
        marks: performance.getEntriesByType('mark').map((m) => m.name),
        measures: performance.getEntriesByType('measure').map((m) => m.name),
        state: document.querySelector('.trends')?.getAttribute('data-state'),
        status: document.querySelector('.trend-status')?.textContent,
      }));
      throw new Error(`no ${name} measure: ${JSON.stringify(state)}`, { cause: error });
    });
  return page.evaluate((n) => {
    const m = performance.getEntriesByName(n, 'measure')[0]!;
    const tasks = (globalThis as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks;
    const overlapping = tasks.filter((t) => t.start < m.startTime + m.duration && t.start + t.duration > m.startTime);
    const detail = (m as PerformanceMeasure).detail as { workerMs?: number } | null;
    return { ms: m.duration, longestTask: Math.max(0, ...overlapping.map((t) => t.duration)), workerMs: detail?.workerMs ?? null };
  }, name);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');

async function main(): Promise<void> {
  const server = await startTestServer({ staticDir: builtAppDir(), port: PORT });
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-bench-trends-'));
  const browser = await launchBrowser({ profileDir, viewport: { width: 1280, height: 800 } });
  const { page } = browser;
  try {
    await page.addInitScript(LONG_TASKS);
    await page.goto(`${server.url}/`);
    await waitForCredentials(page);
    const seeded = await seedSamples(page, DAYS);
    await putSyncedDocs(page, seedDocs(DAYS));
    console.log(
      `seeded ${seeded.samples.toLocaleString('en')} samples in ${seeded.chunks.toLocaleString('en')} chunks (${DAYS} days + today) in ${(seeded.ms / 1000).toFixed(0)} s`,
    );

    // First opening of 90 days: every day counted from its samples, then cached.
    await page.goto(`${server.url}/trends`);
    await page.locator('.trends').waitFor();
    const cold = await measure(page, 'steady:trends', () => page.getByLabel('90 days').check());

    // Afterwards: 30 → 90 again after a reload, from the cache; and full days in the 24-hour chart.
    const trends: Run[] = [];
    const dayChart: Run[] = [];
    for (let run = 0; run < RUNS; run++) {
      await page.reload();
      await page.locator('.trends[data-state="ready"]').waitFor({ timeout: 60_000 });
      trends.push(await measure(page, 'steady:trends', () => page.getByLabel('90 days').check()));
      // The view settled (every remembered day checked against its samples), as a person would find it.
      await page.locator('.trends[data-state="ready"]').waitFor({ timeout: 60_000 });
      await page.locator('[data-summary="day"]', { hasText: 'peaked' }).waitFor({ timeout: 60_000 });
      // Today (partial) → yesterday → the day before: two full days of 86,400 samples each.
      for (let step = 0; step < 2; step++) {
        dayChart.push(await measure(page, 'steady:day-chart', () => page.getByRole('button', { name: 'Previous day' }).click()));
      }
    }
    const points = await page.locator('[data-summary="day"]').textContent();
    // The observer itself: a deliberate 80 ms task must show up, or "no long task" would mean nothing.
    const probe = await page.evaluate(async () => {
      const before = (globalThis as unknown as { __longTasks: unknown[] }).__longTasks.length;
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          const end = performance.now() + 80;
          while (performance.now() < end) {
            // busy on purpose
          }
          resolve();
        }, 0),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const tasks = (globalThis as unknown as { __longTasks: { duration: number }[] }).__longTasks.slice(before);
      return Math.max(0, ...tasks.map((t) => t.duration));
    });

    const rows = [
      ['', 'median', 'worst', 'of which worker (median)', 'longest main-thread task', 'target', 'render', 'long tasks'],
      row('24-hour chart (86,400 s of samples)', dayChart),
      row('90-day trends view (cached days)', trends),
      [
        '90-day view, first open (counts every day)',
        `${cold.ms.toFixed(0)} ms`,
        '',
        '',
        `${cold.longestTask.toFixed(0)} ms`,
        '(informative)',
        '',
        verdict(cold.longestTask <= 50),
      ],
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    console.log(
      `\nTrends in Chromium (${RUNS} runs; load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${os.cpus().length} cores)\n`,
    );
    for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  │  '));
    console.log(`\nlast day chart says: ${points}`);
    console.log(`long-task observer check: a deliberate 80 ms task was reported as ${probe.toFixed(0)} ms\n`);
  } finally {
    await browser.close();
    await server.dispose();
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
}

function row(label: string, runs: Run[]): string[] {
  const ms = runs.map((r) => r.ms);
  const longest = Math.max(...runs.map((r) => r.longestTask));
  return [
    label,
    `${median(ms).toFixed(0)} ms`,
    `${Math.max(...ms).toFixed(0)} ms`,
    runs[0]?.workerMs === null ? '' : `${median(runs.map((r) => r.workerMs ?? 0)).toFixed(0)} ms`,
    `${longest.toFixed(0)} ms`,
    '≤ 100 ms, no task > 50 ms',
    verdict(median(ms) <= 100),
    verdict(longest <= 50),
  ];
}

await main();
