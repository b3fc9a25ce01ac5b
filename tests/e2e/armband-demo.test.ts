import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkSamples, type SampleChunk } from '../../src/shared/samples';
import { eventually, readStore } from '../helpers/armband-emulation';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';

const PORT = 18232;

let server: TestServer;
let browser: TestBrowser;

beforeAll(async () => {
  server = await startTestServer({ staticDir: builtAppDir(), port: PORT });
  // Without the Web Bluetooth flags: this browser has no navigator.bluetooth, like Firefox or Safari.
  browser = await launchBrowser();
  await browser.page.goto(`${server.url}/`);
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

const demoChunks = async () => (await readStore<SampleChunk>(browser.page, 'chunks')).filter((chunk) => chunk.sourceId === 'demo');

describe('the demo armband', () => {
  it('is what a browser without Web Bluetooth offers, and Settings says why', async () => {
    const { page } = browser;
    expect(await page.evaluate(() => 'bluetooth' in navigator)).toBe(false);
    await page.getByRole('button', { name: 'Try the demo armband' }).waitFor();
    expect(await page.getByRole('button', { name: 'Connect armband' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Settings' }).click();
    const card = await page.getByTestId('armband-capabilities').textContent();
    expect(card?.match(/No/g)?.length).toBeGreaterThanOrEqual(3);
    expect(card).toContain('demo armband');
    // Chromium has every background API Steady uses, even without Web Bluetooth: the armband is the one fallback.
    const rows = page.getByTestId('background-capabilities').locator('li');
    expect(
      await rows.filter({ hasText: 'Fallback' }).evaluateAll((items) => items.map((item) => item.getAttribute('data-mechanism'))),
    ).toEqual(['demo']);
    expect(await rows.filter({ hasText: 'Built in' }).count()).toBe(8);
    await page.getByRole('link', { name: 'Today' }).click();
  });

  it('streams through the same path, labelled Demo on screen', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Try the demo armband' }).click();
    await page.getByTestId('armband-state').filter({ hasText: 'Recording' }).waitFor({ timeout: 5_000 });
    await page.getByTestId('live-bpm').filter({ hasText: /\d+/ }).waitFor({ timeout: 5_000 });
    expect(await page.locator('.live-card .pill-demo').first().textContent()).toBe('Demo');
    expect(await page.getByTestId('armband-status').textContent()).toContain('demo data');
    expect(await page.locator('#armband-title .pill-demo').textContent()).toBe('Demo');
    expect(await page.locator('.live-chart figcaption').textContent()).toContain('Demo');
    await page.locator('.live-chart-plot canvas').waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('armband-diagnostics').textContent()).toMatch(/\d+ kept/);
  });

  it('stores its readings apart, as demo chunks with RR intervals', async () => {
    const chunks = await eventually(demoChunks, (c) => c.flatMap(chunkSamples).length >= 3, 8_000, 'three demo samples stored');
    for (const chunk of chunks) expect(chunk).toMatchObject({ demo: true, sourceId: 'demo', intervalKind: 'rr' });
    const samples = chunks.flatMap(chunkSamples);
    expect(samples.every((s) => s.bpm >= 30 && s.bpm <= 220 && s.contact === true)).toBe(true);
    expect(samples.flatMap((s) => s.intervalsMs).length).toBeGreaterThan(0);
    const all = await readStore<SampleChunk>(browser.page, 'chunks');
    expect(all.filter((chunk) => !chunk.demo)).toEqual([]);
  });

  it('stops when asked', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Stop demo' }).click();
    await page.getByTestId('armband-state').filter({ hasText: 'Disconnected' }).waitFor({ timeout: 3_000 });
    const count = (await demoChunks()).flatMap(chunkSamples).length;
    await page.waitForTimeout(2_500);
    expect((await demoChunks()).flatMap(chunkSamples).length).toBe(count);
  });
});
