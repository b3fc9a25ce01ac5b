import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForCredentials } from '../helpers/app-db';
import { launchBrowser, type TestBrowser, waitForController } from '../helpers/browser';
import { type BuiltAppCopy, copyBuiltApp } from '../helpers/built-app';
import { builtAppDir, startTestServer, type TestServer } from '../helpers/server';
import { navLink } from '../helpers/steady-app';

// A Web Worker whose script cannot run used to leave its caller waiting forever: "Sync now"
// spun until the page was reloaded. The sync worker here throws as it loads.
let copy: BuiltAppCopy;
let server: TestServer;
let browser: TestBrowser;

beforeAll(async () => {
  copy = copyBuiltApp(builtAppDir());
  const assets = path.join(copy.dir, 'assets');
  const chunk = fs.readdirSync(assets).find((name) => /^sync-worker-.*\.js$/.test(name));
  if (!chunk) throw new Error('no sync worker chunk in the build');
  fs.writeFileSync(path.join(assets, chunk), "throw new Error('test: the sync worker failed as it loaded');\n");
  server = await startTestServer({ staticDir: copy.dir });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
  copy?.dispose();
});

describe('a Web Worker that cannot start', () => {
  it('fails the sync it was asked for, says so on the Sync screen, and lets the person try again', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/`);
    await waitForController(page);
    await waitForCredentials(page);
    await navLink(page, 'Sync').click();
    const button = page.getByRole('button', { name: 'Sync now' });
    await button.click();
    // The run ends (the button comes back) and the log says what happened.
    await expect.poll(() => button.isEnabled(), { timeout: 15_000 }).toBe(true);
    const log = page.getByTestId('sync-log');
    await expect.poll(() => log.textContent(), { timeout: 15_000 }).toContain('the sync worker failed');
    await expect.poll(() => log.textContent()).toContain('Failed');
    // Again: a fresh worker is started for the next run (and fails the same way), no wedge.
    const failuresBefore = await log.getByText('the sync worker failed').count();
    await button.click();
    await expect.poll(() => log.getByText('the sync worker failed').count(), { timeout: 15_000 }).toBeGreaterThan(failuresBefore);
    await expect.poll(() => button.isEnabled()).toBe(true);
  });
});
