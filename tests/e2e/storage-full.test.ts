import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkSamples, type SampleChunk } from '../../src/shared/samples';
import { eventually, readStore } from '../helpers/armband-emulation';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';

// A full disk, made real: Chromium's profile lives on a small tmpfs of its own, which the test
// fills with a file, so IndexedDB commits fail as on a phone with no space left. (CDP's
// Storage.overrideQuotaForOrigin answers {} and changes nothing in Chromium 156.) Mounting needs
// root, as CI runs; elsewhere this test fails with that reason rather than skip.
let server: TestServer;
let browser: TestBrowser;
const mountDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-small-disk-'));
const filler = path.join(mountDir, 'filler');

beforeAll(async () => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mountDir], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`this test mounts a 64 MB tmpfs as the browser's disk and needs root: ${String(error)}`);
  }
  server = await startTestServer({ staticDir: builtAppDir() });
  browser = await launchBrowser({ profileDir: path.join(mountDir, 'profile') });
  await browser.page.goto(`${server.url}/`);
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
  execFileSync('umount', ['-l', mountDir], { stdio: 'pipe' });
  fs.rmSync(mountDir, { recursive: true, force: true });
});

/** Fills the disk to its last byte. */
function fillDisk(): void {
  const free = Number(execFileSync('df', ['-k', '--output=avail', mountDir]).toString().split('\n')[1]);
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=1024', `count=${free + 1024}`], { stdio: 'ignore' });
  } catch {
    // dd stops with "No space left on device": that is the point.
  }
}

const demoSampleTimes = async () =>
  (await readStore<SampleChunk>(browser.page, 'chunks'))
    .filter((chunk) => chunk.sourceId === 'demo')
    .flatMap(chunkSamples)
    .map((s) => s.t)
    .sort((a, b) => a - b);

describe('when storage is full', () => {
  it('says so, keeps recording in memory, and saves everything once there is room', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Sync' }).first().click();
    await page.getByTestId('storage-card').waitFor();
    expect(await page.getByTestId('storage-card').textContent()).toMatch(/Used: .* of the .* this browser allows Steady/);
    await page.getByRole('link', { name: 'Today' }).click();

    await page.getByRole('button', { name: 'Try the demo armband' }).click();
    await eventually(demoSampleTimes, (t) => t.length >= 3, 10_000, 'three demo samples stored');

    const beforeFull = (await demoSampleTimes()).at(-1) as number;
    fillDisk();
    const banner = page.getByTestId('storage-banner');
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.textContent()).toMatch(/storage is full|could not save new readings/);
    // While full the database cannot even be opened to look; the banner counts what waits in memory.
    const waiting = async () => Number((await banner.textContent())?.match(/holding ([\d,]+)/)?.[1]?.replace(/,/g, ''));
    expect(await waiting()).toBeGreaterThanOrEqual(1);
    await page.waitForTimeout(4_000);

    fs.rmSync(filler);
    await banner.waitFor({ state: 'detached', timeout: 10_000 });
    const times = await eventually(demoSampleTimes, (t) => (t.at(-1) as number) > beforeFull + 10_000, 10_000, 'recording resumed');
    await page.getByRole('button', { name: 'Stop demo' }).click();

    // Every second from before the full disk to after it is stored once: no gap, no double.
    expect(new Set(times).size).toBe(times.length);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(1_500);
  });
});
