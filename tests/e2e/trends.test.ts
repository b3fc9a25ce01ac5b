import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToChunk, emptyChunk, type HeartRateSample, type SampleChunk } from '../../src/shared/samples';
import { putSyncedChunks, putSyncedDocs, waitForCredentials } from '../helpers/app-db';
import { injectAxe } from '../helpers/axe';
import { launchBrowser, type TestBrowser, waitForController } from '../helpers/browser';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';
import { measurementDoc } from '../helpers/trend-docs';

const PORT = 18261;

let server: TestServer;
let browser: TestBrowser;

// Everything below is local time, as the app shows it (Chromium runs in this machine's time zone).
const pad = (n: number) => String(n).padStart(2, '0');
const dateOf = (t: Date) => `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`;
/** The local day `back` days before today, `YYYY-MM-DD`, and its midnight. */
const daysBack = (back: number) => {
  const now = new Date();
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate() - back);
  return { date: dateOf(midnight), start: midnight.getTime() };
};

/** Morning HRV per day back (none 3 and 10 days ago; one old, high morning only the 90-day view reaches). */
const RMSSD = new Map<number, number>();
for (let back = 0; back < 30; back++) if (back !== 3 && back !== 10) RMSSD.set(back, 30 + ((back * 7) % 25));
RMSSD.set(40, 90);
const RESTING_HR = 58; // threshold 73 bpm
/** Evening fatigue (the only symptom rated) per day back; a crash 2 days ago. */
const FATIGUE = new Map([
  [1, 2],
  [2, 3],
  [5, 1],
]);
const SPIKE_PEAK = 163;

/** Yesterday, one sample a second: 56–64 bpm, no data 03:00–03:30, and a minute at 120 bpm peaking at 163 at 10:01:00. */
function yesterdayChunks(): SampleChunk[] {
  const { start } = daysBack(1);
  const chunks = new Map<number, SampleChunk>();
  for (let s = 0; s < 86_400; s++) {
    if (s >= 3 * 3600 && s < 3.5 * 3600) continue;
    const spike = s >= 10 * 3600 + 30 && s < 10 * 3600 + 90;
    const bpm = spike ? (s === 10 * 3600 + 60 ? SPIKE_PEAK : 120) : 60 + Math.round(4 * Math.sin(s / 600));
    const t = start + s * 1000;
    const minute = Math.floor(t / 60_000) * 60_000;
    const chunk = chunks.get(minute) ?? emptyChunk('strap-1', false, 'rr', t);
    chunks.set(minute, chunk);
    appendToChunk(chunk, [{ t, bpm, contact: true, intervalsMs: [] } satisfies HeartRateSample]);
  }
  return [...chunks.values()];
}

function docs() {
  const out: { kind: string; id: string; body: Record<string, unknown> }[] = [];
  for (const [back, rmssd] of RMSSD) {
    const { date, start } = daysBack(back);
    out.push(measurementDoc(date, { rmssd, restingHr: RESTING_HR, takenAt: start + 7 * 3_600_000 }));
  }
  for (const [back, fatigue] of FATIGUE) {
    const { date, start } = daysBack(back);
    out.push({
      kind: 'checkin',
      id: `${date}-evening`,
      body: {
        date,
        period: 'evening',
        fatigue,
        brainFog: null,
        pain: null,
        sleepQuality: null,
        orthostatic: null,
        mood: null,
        crash: back === 2,
        note: '',
        savedAt: start + 20 * 3_600_000,
      },
    });
  }
  // Not a valid measurement: left out of the trends and counted as unreadable, not a crash.
  out.push({ kind: 'measurement', id: daysBack(50).date, body: { date: daysBack(50).date, rmssd: -1 } });
  return out;
}

/** What the HRV summary must say over `days`, computed here from the seeded values. */
function expectedHrv(days: number) {
  const values = [...RMSSD].filter(([back]) => back < days).map(([, v]) => v);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean: mean.toFixed(0), min: Math.min(...values), max: Math.max(...values), count: values.length };
}

beforeAll(async () => {
  server = await startTestServer({ staticDir: builtAppDir(), port: PORT });
  browser = await launchBrowser();
  await browser.page.goto(`${server.url}/`);
  await waitForCredentials(browser.page);
  await putSyncedDocs(browser.page, docs());
  await putSyncedChunks(browser.page, yesterdayChunks());
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

const summary = (id: string) => browser.page.locator(`[data-summary="${id}"]`).first();
const ready = () => browser.page.locator('.trends[data-state="ready"]').waitFor({ timeout: 15_000 });
const chooseRange = async (days: 7 | 30 | 90) => {
  await browser.page.getByLabel(`${days} days`).check();
  await browser.page
    .locator('[data-summary="rmssd"]', { hasText: `over ${days} days` })
    .first()
    .waitFor({ timeout: 10_000 });
  await ready();
};

describe('the Trends screen', () => {
  it('draws every chart from IndexedDB, with summaries that give the recorded figures', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Trends' }).click();
    await ready();
    expect(await page.locator('.trend-plot canvas').count()).toBeGreaterThanOrEqual(6);
    const hrv = expectedHrv(30);
    const text = await summary('rmssd').textContent();
    expect(text).toContain(`Morning HRV averaged ${hrv.mean} ms over 30 days (${hrv.count} with a value)`);
    expect(text).toContain(`lowest ${hrv.min} ms on`);
    expect(text).toContain(`highest ${hrv.max} ms on`);
    expect(await summary('restingHr').textContent()).toContain(`Resting heart rate averaged ${RESTING_HR} bpm over 30 days`);
    expect(await summary('symptomSum').textContent()).toContain(
      'The symptom score averaged 2.0 over 30 days (3 with a value), lowest 1 on',
    );
    expect(await summary('aboveThreshold').textContent()).toContain(
      'Time above threshold averaged 1 min over 30 days (1 with a value), 1 min every time.',
    );
    expect(await summary('crashes').textContent()).toMatch(/^Shaded: crash day \(.+\)\.$/);
    expect(await page.locator('.trend-status').textContent()).toContain('1 record(s) could not be read');
  });

  it('switches between 7, 30 and 90 days', async () => {
    for (const days of [90, 7, 30] as const) {
      await chooseRange(days);
      const hrv = expectedHrv(days);
      const text = await summary('rmssd').textContent();
      expect(text).toContain(`averaged ${hrv.mean} ms over ${days} days (${hrv.count} with a value)`);
      expect(text).toContain(`highest ${hrv.max} ms`);
      await browser.page.getByText('Show the numbers as a table').click();
      await browser.page
        .locator('.trend-table tbody tr')
        .nth(days - 1)
        .waitFor();
      expect(await browser.page.locator('.trend-table tbody tr').count()).toBe(days);
    }
  });

  it('shows one symptom when chosen, and overlays two series on two axes', async () => {
    const { page } = browser;
    await page.getByLabel('Show', { exact: true }).selectOption('fatigue');
    await summary('fatigue').waitFor();
    expect(await summary('fatigue').textContent()).toContain('Fatigue averaged 2.0 over 30 days (3 with a value), lowest 1 on');
    await page.getByLabel('Solid line', { exact: true }).selectOption('restingHr');
    await page.getByLabel('Dashed line', { exact: true }).selectOption('aboveThreshold');
    const overlay = page.locator('figure[data-series="restingHr aboveThreshold"]');
    await overlay.locator('canvas').waitFor();
    expect(await overlay.locator('.u-axis').count()).toBe(3);
  });

  it('draws a day of per-second heart rate and names the peak of a one-minute spike', async () => {
    const { page } = browser;
    expect(await summary('day').textContent()).toMatch(/No heart rate recorded on/);
    await page.getByRole('button', { name: 'Previous day' }).click();
    await page.locator('[data-summary="day"]', { hasText: 'peaked at' }).waitFor({ timeout: 10_000 });
    const text = await summary('day').textContent();
    expect(text).toContain(`peaked at ${SPIKE_PEAK} bpm at`);
    expect(text).toContain('lowest 56 bpm');
    expect(text).toContain('1 min at or above your threshold of 73 bpm');
    expect(await page.locator('.day-plot canvas').count()).toBe(1);
  });

  it('has no serious or critical axe violations with its charts and table shown, light and dark', async () => {
    const { page } = browser;
    if (!(await page.locator('.trend-table').evaluate((d) => (d as HTMLDetailsElement).open))) {
      await page.getByText('Show the numbers as a table').click();
    }
    await page.locator('.trend-table tbody tr').first().waitFor();
    await injectAxe(page);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      const violations = await page.evaluate(async () => {
        type Result = { violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] };
        const axe = (window as unknown as { axe: { run(context: Element, options: object): Promise<Result> } }).axe;
        const result = await axe.run(document.querySelector('main')!, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        });
        return result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' '))}`);
      });
      expect(violations, colorScheme).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('reads the same offline, from this device alone', async () => {
    const { page, context } = browser;
    await waitForController(page);
    await context.setOffline(true);
    try {
      await page.reload();
      await ready();
      expect(await summary('rmssd').textContent()).toContain(`averaged ${expectedHrv(30).mean} ms over 30 days`);
      expect(await page.locator('.trend-plot canvas').count()).toBeGreaterThanOrEqual(6);
    } finally {
      await context.setOffline(false);
    }
  });
});
