import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckIn } from '../../src/shared/checkin';
import type { SteadyExportV1 } from '../../src/shared/export/json';
import type { Measurement } from '../../src/shared/measurement';
import { TRENDS_CACHE_DB } from '../../src/shared/names';
import type { RecordingGap, SampleChunk } from '../../src/shared/samples';
import { appDbExists, inAppDb, putRecording, readCredentials, waitForCredentials } from '../helpers/app-db';
import { eventually } from '../helpers/armband-emulation';
import { launchBrowser, type TestBrowser, waitForController } from '../helpers/browser';
import { parseCsv } from '../helpers/export-csv';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';
import { accountIdsInDatabase, expectScreen, listDevices, screenAt } from '../helpers/steady-app';
import { syntheticSamples, toChunks } from '../helpers/sync-client';

// "Your data" in Settings, in the built app against the real server: exports whose contents
// match exactly what was seeded into IndexedDB, then "Delete everything", everywhere and on
// this device only (offline).
const PORT = 18477;
const ORIGIN = `http://127.0.0.1:${PORT}`;
/** Screenshots for a person to look at (STEADY_SCREENSHOTS, default a temp folder). */
const SHOTS = process.env.STEADY_SCREENSHOTS ?? path.join(os.tmpdir(), 'steady-your-data');

let server: TestServer;
let browser: TestBrowser;

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  server = await startTestServer({ staticDir: builtAppDir(), port: PORT });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

const START = Date.UTC(2026, 10, 29, 6, 0, 0);
const strapSamples = syntheticSamples(START, 1_500, 3); // 25 minutes, one a second
const demoSamples = syntheticSamples(START + 30_500, 120, 9); // two minutes overlapping, half a second apart
const chunks: SampleChunk[] = [...toChunks(strapSamples, 'strap-1'), ...toChunks(demoSamples, 'demo', true)];
const totalIntervals = [...strapSamples, ...demoSamples].reduce((n, s) => n + s.intervalsMs.length, 0);

const checkIns: CheckIn[] = [
  {
    date: '2026-11-29',
    period: 'evening',
    fatigue: 3,
    brainFog: 2,
    pain: null,
    sleepQuality: null,
    orthostatic: 1,
    mood: 1,
    symptoms: { headache: 2 },
    physicalExertion: 3,
    cognitiveExertion: 1,
    emotionalExertion: 0,
    sleepMinutes: null,
    crash: true,
    unwell: true,
    periodDay: false,
    note: 'Crashed after shopping, "bad"\n=not a formula',
    savedAt: START + 13 * 3600_000,
  },
  {
    date: '2026-11-29',
    period: 'morning',
    fatigue: 1,
    brainFog: 0,
    pain: 0,
    sleepQuality: 2,
    orthostatic: 0,
    mood: 2,
    symptoms: {},
    physicalExertion: null,
    cognitiveExertion: null,
    emotionalExertion: null,
    sleepMinutes: 420,
    crash: false,
    unwell: false,
    periodDay: true,
    note: '',
    savedAt: START + 1800_000,
  },
];
const measurement: Measurement = {
  date: '2026-11-29',
  rmssd: 42.5,
  lnRmssd: Math.log(42.5),
  sdnn: 51.25,
  restingHr: 58.5,
  beats: 118,
  correctedShare: 0.0169,
  durationS: 120,
  source: { id: 'strap-1', name: 'Polar H10 7E3A', intervalKind: 'rr', demo: false },
  takenAt: START + 900_000,
};
const gap: RecordingGap = {
  id: `strap-1|${START + 1_600_000}`,
  sourceId: 'strap-1',
  start: START + 1_600_000,
  end: START + 1_660_000,
  reason: 'disconnected',
};

/** A treatment whose name needs quoting in CSV. */
const treatment = {
  type: 'treatment',
  category: 'medication',
  name: 'LDN, low dose',
  dose: '1 mg',
  start: '2026-11-20',
  stop: null,
  note: '',
  savedAt: START - 3600_000,
};

/** Puts documents, a gap and an armband into the app's IndexedDB the way the app stores them. */
async function seedDocuments(page: Page): Promise<void> {
  const at = START + 3600_000;
  const docs = [
    ...checkIns.map((c) => ({ kind: 'checkin', id: `${c.date}-${c.period}`, body: c })),
    { kind: 'measurement', id: measurement.date, body: measurement },
    {
      kind: 'message',
      id: 'msg-1',
      body: { text: '@team: pace yourself, "please"', from: 'Clinic', createdAt: '2026-11-28T10:00:00.000Z' },
    },
    { kind: 'message-read', id: 'msg-1', body: { readAt: '2026-11-28T12:00:00.000Z' } },
    { kind: 'treatment', id: 'treat-1', body: treatment },
  ].map((d) => ({ ...d, key: `${d.kind}|${d.id}`, updatedAt: at }));
  const armband = { id: 'strap-1', name: 'Polar H10 7E3A', pairedAt: START - 86_400_000, lastConnectedAt: START, recording: false };
  await inAppDb(
    page,
    async (db, { docs: records, gap: g, armband: a }, idb) => {
      const tx = db.transaction(['docs', 'gaps', 'armbands'], 'readwrite');
      for (const record of records) tx.objectStore('docs').put(record);
      tx.objectStore('gaps').put(g);
      tx.objectStore('armbands').put(a);
      await idb.done(tx);
    },
    { docs, gap, armband },
  );
}

/** Record counts of the app's data stores (-1: the store or the database does not exist). */
async function storeCounts(page: Page): Promise<Record<string, number>> {
  const names = ['chunks', 'gaps', 'armbands', 'docs', 'outbox', 'transfers', 'syncLog', 'meta'];
  if (!(await appDbExists(page))) return Object.fromEntries(names.map((n) => [n, -1]));
  return inAppDb(
    page,
    async (db, stores, idb) => {
      const counts: Record<string, number> = {};
      for (const name of stores) {
        counts[name] = db.objectStoreNames.contains(name) ? await idb.result(db.transaction(name).objectStore(name).count()) : -1;
      }
      return counts;
    },
    names,
  );
}

async function openSettings(page: Page): Promise<void> {
  await page.goto(`${ORIGIN}/settings`);
  await page.locator('#your-data-title').waitFor();
}

/** Clicks a download link and answers the file's text. */
async function download(page: Page, name: RegExp): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  return { name: (file as Download).suggestedFilename(), text: fs.readFileSync(await (file as Download).path(), 'utf8') };
}

/** Screenshots at phone and desktop size, light and dark: the card alone, or the page (the dialog). */
async function shoot(page: Page, name: string, selector?: string): Promise<void> {
  for (const [size, viewport] of [
    ['phone', { width: 390, height: 844 }],
    ['desktop', { width: 1280, height: 800 }],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme: scheme });
      const file = path.join(SHOTS, `${name}-${size}-${scheme}.png`);
      if (selector) await page.locator(selector).screenshot({ path: file });
      else await page.screenshot({ path: file });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 412, height: 915 });
}

describe('Your data', () => {
  let credentials: Awaited<ReturnType<typeof waitForCredentials>>;

  it('exports the seeded data as JSON, exactly', async () => {
    const { page } = browser;
    await page.goto(`${ORIGIN}/`);
    await waitForController(page);
    credentials = await waitForCredentials(page);
    await putRecording(page, chunks);
    await seedDocuments(page);
    await openSettings(page);

    await page.getByRole('button', { name: 'Export JSON' }).click();
    const { name, text } = await download(page, /^Download steady-export-\d{4}-\d{2}-\d{2}\.json$/);
    expect(name).toMatch(/^steady-export-\d{4}-\d{2}-\d{2}\.json$/);
    const data = JSON.parse(text) as SteadyExportV1;
    expect(data).toMatchObject({ format: 'steady-export', version: 1 });
    expect(data.account).toEqual({ accountId: credentials.accountId, deviceId: credentials.deviceId });
    expect(text).not.toContain(credentials.deviceToken);
    expect(data.counts).toEqual({
      heartRateSamples: strapSamples.length + demoSamples.length,
      intervals: totalIntervals,
      checkIns: 2,
      measurements: 1,
      messages: 1,
      standTests: 0,
      treatments: 1,
      gaps: 1,
    });
    expect(data.treatments).toEqual([{ id: 'treat-1', ...treatment }]);
    expect(data.heartRate).toHaveLength(strapSamples.length + demoSamples.length);
    // In time order, both sources merged; every sample exactly as seeded.
    const times = data.heartRate.map((s) => s.timeMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const expected = [
      ...strapSamples.map((s) => ({ ...s, sourceId: 'strap-1', demo: false })),
      ...demoSamples.map((s) => ({ ...s, sourceId: 'demo', demo: true })),
    ].sort((a, b) => a.t - b.t || a.sourceId.localeCompare(b.sourceId));
    expect(data.heartRate.map((s) => [s.timeMs, s.sourceId, s.demo, s.bpm, s.contact, s.intervalsMs])).toEqual(
      expected.map((s) => [s.t, s.sourceId, s.demo, s.bpm, s.contact, s.intervalsMs]),
    );
    expect(data.heartRate[0]?.time).toBe(new Date(START).toISOString());
    expect(data.checkIns).toEqual([checkIns[1], checkIns[0]]); // morning before evening
    expect(data.measurements).toEqual([measurement]);
    expect(data.messages).toEqual([
      {
        id: 'msg-1',
        createdAt: '2026-11-28T10:00:00.000Z',
        from: 'Clinic',
        text: '@team: pace yourself, "please"',
        readAt: '2026-11-28T12:00:00.000Z',
      },
    ]);
    expect(data.gaps).toMatchObject([{ sourceId: 'strap-1', start: gap.start, end: gap.end, reason: 'disconnected' }]);
    expect(data.armbands).toEqual([
      {
        id: 'strap-1',
        name: 'Polar H10 7E3A',
        pairedAt: new Date(START - 86_400_000).toISOString(),
        lastConnectedAt: new Date(START).toISOString(),
      },
    ]);
  });

  it('exports the seeded data as CSV files, one per table, exactly', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await page.getByRole('link', { name: /^Download steady-heart-rate-/ }).waitFor();
    expect(await page.getByRole('list', { name: 'CSV export files' }).getByRole('link').count()).toBe(8);
    const read = async (table: string) => {
      const { text } = await download(page, new RegExp(`^Download steady-${table}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
      expect(text.startsWith('\uFEFF')).toBe(true);
      return parseCsv(text.slice(1));
    };

    const heartRate = await read('heart-rate');
    expect(heartRate[0]).toEqual(['time_iso', 'time_ms', 'source_id', 'demo', 'bpm', 'contact', 'interval_count']);
    expect(heartRate).toHaveLength(1 + strapSamples.length + demoSamples.length);
    const first = strapSamples[0];
    expect(heartRate[1]).toEqual([
      new Date(START).toISOString(),
      String(START),
      'strap-1',
      '0',
      String(first?.bpm),
      '1',
      String(first?.intervalsMs.length),
    ]);
    const firstDemo = heartRate.find((row) => row[2] === 'demo');
    expect(firstDemo?.slice(0, 5)).toEqual([
      new Date(START + 30_500).toISOString(),
      String(START + 30_500),
      'demo',
      '1',
      String(demoSamples[0]?.bpm),
    ]);
    expect(heartRate.slice(1).reduce((n, row) => n + Number(row[6]), 0)).toBe(totalIntervals);

    const intervals = await read('intervals');
    expect(intervals[0]).toEqual(['time_iso', 'time_ms', 'source_id', 'demo', 'kind', 'index', 'interval_ms']);
    expect(intervals).toHaveLength(1 + totalIntervals);
    expect(intervals[1]).toEqual([new Date(START).toISOString(), String(START), 'strap-1', '0', 'rr', '0', String(first?.intervalsMs[0])]);

    const checkInRows = await read('check-ins');
    expect(checkInRows).toHaveLength(3);
    expect(checkInRows[2]).toEqual([
      '2026-11-29',
      'evening',
      '3',
      '2',
      '',
      '',
      '1',
      '1',
      '1',
      'Crashed after shopping, "bad"\n=not a formula',
      new Date(checkIns[0]?.savedAt ?? 0).toISOString(),
      String(checkIns[0]?.savedAt),
      '1',
      '0',
      '',
      '3',
      '1',
      '0',
    ]);
    expect(checkInRows[1]?.slice(12, 15)).toEqual(['0', '1', '420']);
    expect(await read('symptom-ratings')).toEqual([
      ['date', 'period', 'symptom_id', 'symptom_name', 'rating', 'tracked'],
      ['2026-11-29', 'evening', 'headache', 'Headache', '2', '0'],
    ]);
    const measurements = await read('measurements');
    expect(measurements).toHaveLength(2);
    expect(measurements[1]?.slice(0, 4)).toEqual([
      '2026-11-29',
      new Date(measurement.takenAt).toISOString(),
      String(measurement.takenAt),
      '42.5',
    ]);
    const messages = await read('messages');
    expect(messages[1]).toEqual([
      'msg-1',
      '2026-11-28T10:00:00.000Z',
      'Clinic',
      '\'@team: pace yourself, "please"',
      '2026-11-28T12:00:00.000Z',
    ]);
    expect((await read('treatments')).slice(1)).toEqual([
      ['treat-1', 'treatment', 'medication', 'LDN, low dose', '1 mg', '2026-11-20', '', '', new Date(treatment.savedAt).toISOString()],
    ]);
    const gaps = await read('gaps');
    expect(gaps.slice(1)).toEqual([
      [
        'strap-1',
        new Date(gap.start).toISOString(),
        String(gap.start),
        new Date(gap.end ?? 0).toISOString(),
        String(gap.end),
        'disconnected',
      ],
    ]);
    await shoot(page, 'settings-your-data', '#your-data');
  });

  it('refuses to delete everywhere while offline, and deletes nothing', async () => {
    const { page, context } = browser;
    await page.getByRole('button', { name: 'Delete everything…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete everything?' });
    await dialog.waitFor();
    await shoot(page, 'dialog');
    await dialog.getByRole('radio', { name: /Everywhere/ }).check();
    await dialog.getByLabel(/Type DELETE to confirm/).fill('DELETE');
    const confirm = dialog.getByRole('button', { name: 'Delete everything everywhere' });
    expect(await confirm.isEnabled()).toBe(true);
    await context.setOffline(true);
    await dialog.getByRole('alert').filter({ hasText: 'You are offline' }).waitFor();
    expect(await confirm.isDisabled()).toBe(true);
    await context.setOffline(false);
    await expect.poll(() => confirm.isEnabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await storeCounts(page)).chunks).toBe(chunks.length);
  });

  it('deletes everything everywhere: the server forgets the account and the app starts afresh', async () => {
    const { page } = browser;
    expect(accountIdsInDatabase(server.dataDir)).toContain(credentials.accountId);
    // Trends keeps derived per-day loads in a database of its own: it must go too.
    const databases = () => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    await page.getByRole('link', { name: 'Trends', exact: true }).click();
    await eventually(databases, (names) => names.includes(TRENDS_CACHE_DB), 15_000, 'the trends cache made');
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('button', { name: 'Delete everything…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete everything?' });
    const confirm = dialog.getByRole('button', { name: /^Delete everything/ });
    expect(await confirm.isDisabled()).toBe(true); // nothing typed yet
    await dialog.getByRole('radio', { name: /Everywhere/ }).check();
    await dialog.getByLabel(/Type DELETE to confirm/).fill('delete'); // must be exact
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel(/Type DELETE to confirm/).fill('DELETE');
    await Promise.all([page.waitForURL(`${ORIGIN}/`, { timeout: 20_000 }), confirm.click()]);
    await expectScreen(page, screenAt('/'));

    expect((await listDevices(server.url, credentials.deviceToken)).status).toBe(401);
    expect(accountIdsInDatabase(server.dataDir)).not.toContain(credentials.accountId);
    // The reloaded app has made a fresh account, with nothing in it.
    const fresh = await waitForCredentials(page);
    expect(fresh.accountId).not.toBe(credentials.accountId);
    const counts = await storeCounts(page);
    expect({ ...counts, meta: undefined, syncLog: undefined }).toEqual({
      chunks: 0,
      gaps: 0,
      armbands: 0,
      docs: 0,
      outbox: 0,
      transfers: 0,
      meta: undefined,
      syncLog: undefined,
    });
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(await databases()).not.toContain(TRENDS_CACHE_DB);
    const cacheNames = await page.evaluate(() => caches.keys());
    expect(cacheNames.every((name) => name.startsWith('workbox-precache'))).toBe(true);
    expect(cacheNames.length).toBeGreaterThan(0); // the app still opens offline
  });

  it('deletes on this device only while offline, leaving the account on the server', async () => {
    const { page, context } = browser;
    const mine = await readCredentials(page);
    if (!mine) throw new Error('no account after the restart');
    await putRecording(page, chunks.slice(0, 5));
    await seedDocuments(page);
    await openSettings(page);
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Delete everything…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete everything?' });
    expect(await dialog.getByRole('radio', { name: /This device only/ }).isChecked()).toBe(true);
    await dialog.getByLabel(/Type DELETE to confirm/).fill('DELETE');
    await Promise.all([
      page.waitForURL(`${ORIGIN}/`, { timeout: 20_000 }),
      dialog.getByRole('button', { name: 'Delete everything on this device' }).click(),
    ]);
    await expectScreen(page, screenAt('/'));
    const counts = await storeCounts(page);
    for (const store of ['chunks', 'gaps', 'armbands', 'docs']) expect(counts[store], store).toBeLessThanOrEqual(0);
    await context.setOffline(false);
    expect(accountIdsInDatabase(server.dataDir)).toContain(mine.accountId);
    const again = await waitForCredentials(page);
    expect(again.accountId).not.toBe(mine.accountId);
  });
});
