import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHeartRateMeasurement } from '../../src/shared/armband/heart-rate-measurement';
import { chunkSamples, type SampleChunk } from '../../src/shared/samples';
import { ArmbandEmulation, readStore } from '../helpers/armband-emulation';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';

const PORT = 18233;
/** What a closed tab or a crashed renderer may cost: the last ~2 s, never more. */
const ALLOWED_LOSS_MS = 2_000;

let server: TestServer;
let browser: TestBrowser;
let armband: ArmbandEmulation;

beforeAll(async () => {
  server = await startTestServer({ staticDir: builtAppDir(), port: PORT });
  browser = await launchBrowser({ bluetooth: true });
  await browser.page.goto(`${server.url}/`);
  armband = await ArmbandEmulation.start(browser);
  await browser.page.getByRole('button', { name: 'Connect armband' }).click();
  await browser.page.getByTestId('armband-state').filter({ hasText: 'Recording' }).waitFor({ timeout: 10_000 });
});
afterAll(async () => {
  await armband?.stop();
  await browser?.close();
  await server?.dispose();
});

let nextRr = 400;

/** An RR interval in ms as it comes back from the 1/1024 s units of 0x2A37. */
const roundTrip = (ms: number) => Math.round((Math.round((ms * 1024) / 1000) * 1000) / 1024);

/**
 * Sends a notification every ~100 ms for `durationMs`; each carries a unique RR interval (the
 * key to find it again) and is noted with the time the page had it.
 */
async function stream(durationMs: number): Promise<{ rr: number; at: number }[]> {
  const sent: { rr: number; at: number }[] = [];
  const end = Date.now() + durationMs;
  while (Date.now() < end) {
    nextRr += 2; // 2 ms apart: still distinct after the round trip
    const rr = nextRr;
    await armband.notify(browser.page, 'heartRate', encodeHeartRateMeasurement({ bpm: 70, contact: true, rrMs: [rr] }));
    sent.push({ rr: roundTrip(rr), at: Date.now() });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return sent;
}

/** RR values stored by the app, read from a fresh page of the app. */
async function storedRr(): Promise<Set<number>> {
  const page = await browser.context.newPage();
  try {
    await page.goto(`${server.url}/`);
    const chunks = await readStore<SampleChunk>(page, 'chunks');
    return new Set(chunks.flatMap(chunkSamples).flatMap((s) => s.intervalsMs));
  } finally {
    await page.close();
  }
}

describe('a recording cut short', () => {
  it('keeps everything but the last ~2 s when the tab is closed mid-recording', async () => {
    const sent = await stream(4_000);
    const closedAt = Date.now();
    await browser.page.close({ runBeforeUnload: false });
    const stored = await storedRr();
    const older = sent.filter((s) => s.at < closedAt - ALLOWED_LOSS_MS);
    expect(older.length).toBeGreaterThan(10);
    expect(older.filter((s) => !stored.has(s.rr)).map((s) => `${s.rr} ms sent ${closedAt - s.at} ms before the close`)).toEqual([]);
    const kept = sent.filter((s) => stored.has(s.rr)).length;
    console.info(`closed tab: ${kept}/${sent.length} samples kept; the last ${sent.length - kept} were in flight`);
  });

  it('keeps everything but the last ~2 s when the renderer crashes (no pagehide, no flush on the way out)', async () => {
    const page = await browser.context.newPage();
    browser.page = page;
    await page.goto(`${server.url}/`);
    // A new page tore the emulation down: bring the armband back; the app finds it with getDevices.
    await armband.arm();
    await page.getByTestId('armband-state').filter({ hasText: 'Recording' }).waitFor({ timeout: 15_000 });
    const sent = await stream(4_000);
    const crashedAt = Date.now();
    const cdp = await browser.context.newCDPSession(page);
    const crashed = new Promise((resolve) => page.once('crash', resolve));
    void cdp.send('Page.crash').catch(() => undefined); // never answers: the renderer is gone
    await crashed;
    const stored = await storedRr();
    const older = sent.filter((s) => s.at < crashedAt - ALLOWED_LOSS_MS);
    expect(older.length).toBeGreaterThan(10);
    expect(older.filter((s) => !stored.has(s.rr)).map((s) => `${s.rr} ms sent ${crashedAt - s.at} ms before the crash`)).toEqual([]);
    const kept = sent.filter((s) => stored.has(s.rr)).length;
    console.info(`crashed renderer: ${kept}/${sent.length} samples kept; the last ${sent.length - kept} were in flight`);
  });
});
